package objstore

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNodeJoin checks nodeJoin against Node 24's path.join (every want below is what node printed for
// path.join(prefix, key)): s3db.js joins every key to the prefix with it.
func TestNodeJoin(t *testing.T) {
	tests := []struct{ name, prefix, key, want string }{
		{"plain", "p", "k", "p/k"},
		{"prefix trailing slash", "p/", "k", "p/k"},
		{"key leading slash", "p", "/k", "p/k"},
		{"double slash", "p", "a//b", "p/a/b"},
		{"dot", "p", "a/./b", "p/a/b"},
		{"dotdot", "p", "a/../b", "p/b"},
		{"out of prefix", "p", "../x", "x"},
		{"above root", "p", "../../x", "../x"},
		{"trailing slash kept", "p", "k/", "p/k/"},
		{"empty key", "p", "", "p"},
		{"all up", "a/b", "../../..", ".."},
		{"absolute", "/abs", "../../x", "/x"},
		{"key dot", "p", ".", "p"},
		{"key dotdot", "p", "..", "."},
		{"messy", "p//q/", "./k//", "p/q/k/"},
		{"dot prefix", "./p", "k", "p/k"},
		{"three dots", "p", "...", "p/..."},
		{"up to prefix", "p", "a/..", "p"},
		{"up to prefix slash", "p", "a/../", "p/"},
		{"dotdot prefix", "..", "k", "../k"},
		{"unicode", "p", "id=sp ace é", "p/id=sp ace é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, nodeJoin(tt.prefix, tt.key))
		})
	}
	assert.Equal(t, ".", nodeJoin("", ""))
}

func TestKeyspace(t *testing.T) {
	tests := []struct {
		name, prefix, key, full, listAll string
	}{
		{name: "no prefix keeps the key as is", prefix: "", key: "a//b/../c", full: "a//b/../c", listAll: ""},
		{name: "prefix joins", prefix: "app/db", key: "a//b/../c", full: "app/db/a/c", listAll: "app/db/"},
		{name: "prefix with slashes", prefix: "/app//db/", key: "k", full: "/app/db/k", listAll: "/app/db/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks := newKeyspace(tt.prefix)
			full, err := ks.full("put", tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.full, full)
			assert.Equal(t, tt.listAll, ks.listPrefix(""))
			if tt.prefix != "" {
				assert.Equal(t, "x/y", ks.rel(strings.TrimSuffix(tt.listAll, "/")+"/x/y"))
			}
		})
	}
	_, err := newKeyspace("p").full("get", "")
	require.ErrorIs(t, err, ErrInvalidKey)
}

func TestEscapeSegment(t *testing.T) {
	tests := []struct{ seg, want string }{
		{"id=u1", "id=u1"},
		{"", "%e"},
		{".", "%2E"},
		{"..", "%2E%2E"},
		{"...", "..."},
		{"a%b", "a%25b"},
		{"back\\slash", "back%5Cslash"},
		{"tab\there", "tab%09here"},
		{"é 日本", "é 日本"},
		{"x%o", "x%25o"},
	}
	for _, tt := range tests {
		t.Run(tt.seg, func(t *testing.T) {
			got := escapeSegment(tt.seg)
			assert.Equal(t, tt.want, got)
			back, ok := unescapeSegment(got)
			require.True(t, ok)
			assert.Equal(t, tt.seg, back)
		})
	}
	for _, name := range []string{"%locks", "x%o", "a%w123", "%41", "%4", "%zz", ".", "..", ""} {
		_, ok := unescapeSegment(name)
		assert.False(t, ok, "%q is not an escaped segment", name)
	}
}

// FuzzEscapeSegment: escaping is a bijection onto names that contain no "/" and no internal marker, so
// keys can never collide with each other or with internal files, nor point outside their directory.
func FuzzEscapeSegment(f *testing.F) {
	for _, s := range []string{"", ".", "..", "a%b", "id=x", "%e", "%2E", "\x00", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seg string) {
		if strings.Contains(seg, "/") || !utf8.ValidString(seg) {
			return
		}
		name := escapeSegment(seg)
		if name == "" || name == "." || name == ".." || strings.Contains(name, "/") || strings.ContainsRune(name, 0) {
			t.Fatalf("escapeSegment(%q) = %q is not a safe file name", seg, name)
		}
		if strings.HasSuffix(name, objectSuffix) || strings.Contains(name, tempInfix) || name == locksDir {
			t.Fatalf("escapeSegment(%q) = %q looks like an internal file", seg, name)
		}
		back, ok := unescapeSegment(name)
		if !ok || back != seg {
			t.Fatalf("unescapeSegment(%q) = %q, %v; want %q", name, back, ok, seg)
		}
	})
}
