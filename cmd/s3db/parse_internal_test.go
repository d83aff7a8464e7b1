package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/internal/cliflags"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantPos []string
		wantD   string
		wantErr bool
	}{
		{name: "flags after", args: []string{"users", "u1", "-d", "{}"}, wantPos: []string{"users", "u1"}, wantD: "{}"},
		{name: "flags between", args: []string{"users", "--data={}", "u1"}, wantPos: []string{"users", "u1"}, wantD: "{}"},
		{name: "flags before", args: []string{"-d", "x", "users"}, wantPos: []string{"users"}, wantD: "x"},
		{name: "double dash ends flags", args: []string{"users", "--", "-u1"}, wantPos: []string{"users", "-u1"}},
		{name: "unknown flag", args: []string{"users", "-z"}, wantErr: true},
		{name: "missing flag value", args: []string{"users", "-d"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("t")
			var f commandFlags
			dataFlag(fs, &f)
			pos, err := cliflags.ParseInterspersed(fs, tt.args)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tt.wantPos, pos)
			assert.Equal(t, tt.wantD, f.data)
		})
	}
}

func TestParseValues(t *testing.T) {
	got, err := parseValues("region=eu,plan=pro=max")
	assert.NoError(t, err)
	assert.Equal(t, map[string]any{"region": "eu", "plan": "pro=max"}, got)
	for _, bad := range []string{"", "region", "=eu", "a=1,a=2", "a=1,"} {
		_, err := parseValues(bad)
		assert.Error(t, err, bad)
	}
}

func TestScrub(t *testing.T) {
	assert.Equal(t, "key xxxxx and xxxxx", scrub("key s3cret and s3cret", []string{"s3cret"}))
	assert.Equal(t, "a b", scrub("a b", []string{"a"}), "too short to mask safely")
}

// FuzzParse checks that no command line makes the parser panic, and that every outcome is a
// command, a help text or a usage error.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "list", "get\x00users\x00u1", "--json\x00query\x00r\x00--limit\x00x",
		"help\x00count", "insert\x00r\x00-d", "--\x00get", "count\x00r\x00--values\x00a=b,c", "-h"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		var args []string
		if joined != "" {
			args = splitNUL(joined)
		}
		inv, err := (&App{}).parse(args)
		if err == nil {
			assert.NotNil(t, inv.cmd)
			assert.Len(t, inv.args, len(inv.cmd.args))
		}
	})
}

func splitNUL(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
