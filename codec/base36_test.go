package codec_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeKeyOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Key {
		var pair [2]any
		assert.NoError(t, jsonDecode(c, &pair))
		n := int(pair[0].(float64))
		assert.Equalf(t, pair[1], codec.EncodeKey(n), "EncodeKey(%d)", n)
		got, ok := codec.DecodeKey(pair[1].(string))
		assert.True(t, ok)
		assert.Equal(t, n, got)
	}
}

func TestDecodeKeyOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.KeyDecode {
		want := bitsFloat(t, c[1])
		got, ok := codec.DecodeKey(c[0])
		if math.IsNaN(want) || math.Abs(want) > 1<<53 {
			assert.Falsef(t, ok, "DecodeKey(%q)", c[0])
			continue
		}
		assert.Truef(t, ok, "DecodeKey(%q)", c[0])
		assert.Equalf(t, want, float64(got), "DecodeKey(%q)", c[0])
	}
}

func TestEncodeKey(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want string
	}{
		{name: "zero", in: 0, want: "0"},
		{name: "nine", in: 9, want: "9"},
		{name: "ten", in: 10, want: "a"},
		{name: "last digit", in: 35, want: "z"},
		{name: "two digits", in: 36, want: "10"},
		{name: "49", in: 49, want: "1d"},
		{name: "largest two digits", in: 1295, want: "zz"},
		{name: "three digits", in: 1296, want: "100"},
		{name: "negative", in: -36, want: "-10"},
		{name: "min int", in: math.MinInt64, want: "-1y2p0ij32e8e8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeKey(tt.in))
		})
	}
}

func TestDecodeKeyRejects(t *testing.T) {
	for _, s := range []string{"A", "1_", "é", "zzzzzzzzzzzz", "1.5"} {
		_, ok := codec.DecodeKey(s)
		assert.Falsef(t, ok, "DecodeKey(%q)", s)
	}
}

func ExampleEncodeKey() {
	fmt.Println(codec.EncodeKey(0), codec.EncodeKey(35), codec.EncodeKey(36), codec.EncodeKey(1296))
	// Output: 0 z 10 100
}

func FuzzDecodeKey(f *testing.F) {
	for _, s := range []string{"", "-", "0", "zz", "Z", "zzzzzzzzzzzzzzzz", "-1y2p0ij32e8e8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := codec.DecodeKey(s)
		if ok && n >= 0 && s != "" && s[0] != '-' {
			// Canonical texts (no leading zeros) round-trip.
			if s[0] != '0' || s == "0" {
				if back := codec.EncodeKey(n); back != s {
					t.Fatalf("DecodeKey(%q) = %d encodes as %q", s, n, back)
				}
			}
		}
	})
}
