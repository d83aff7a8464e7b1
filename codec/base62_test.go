package codec_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeIntegerOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Integer {
		x := bitsFloat(t, c[0])
		assert.Equalf(t, c[1], codec.EncodeInteger(x), "EncodeInteger(%v)", x)
	}
}

func TestDecodeIntegerOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.IntegerDecode {
		s := rawString(t, c[0])
		want := bitsFloat(t, rawString(t, c[1])) // base62.decode
		got, ok := codec.DecodeInteger(s)
		assert.Truef(t, sameFloat(want, got), "DecodeInteger(%q): want %v, got %v", s, want, got)
		assert.Equalf(t, !math.IsNaN(want), ok, "DecodeInteger(%q) ok", s)
		// The read hook passes "" through and turns NaN into undefined.
		hook := rawTagged(t, c[2])
		switch {
		case s == "":
			assert.NotNil(t, hook.Str)
		case !ok:
			assert.True(t, hook.Undef, s)
		}
	}
}

func TestEncodeInteger(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "zero", in: 0, want: "0"},
		{name: "thousand", in: 1000, want: "g8"},
		{name: "base", in: 62, want: "10"},
		{name: "negative", in: -7, want: "-7"},
		{name: "two digits max", in: 3843, want: "ZZ"},
		{name: "2^40", in: 1 << 40, want: "jmaiJOw"},
		{name: "floors", in: 3.7, want: "3"},
		{name: "negative floors away from zero", in: -3.7, want: "-4"},
		{name: "below one is empty", in: 0.5, want: ""},
		{name: "negative below one", in: -0.5, want: "-1"},
		{name: "NaN", in: math.NaN(), want: "undefined"},
		{name: "infinity", in: math.Inf(1), want: "undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeInteger(tt.in))
		})
	}
}

func TestDecodeInteger(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   float64
		wantOK bool
	}{
		{name: "empty is zero", in: "", want: 0, wantOK: true},
		{name: "thousand", in: "g8", want: 1000, wantOK: true},
		{name: "negative", in: "-7", want: -7, wantOK: true},
		{name: "unknown character", in: "g_8", wantOK: false},
		{name: "double minus", in: "--1", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := codec.DecodeInteger(tt.in)
			assert.Equal(t, tt.wantOK, ok)
			if tt.wantOK {
				assert.Equal(t, tt.want, got)
			} else {
				assert.True(t, math.IsNaN(got))
			}
		})
	}
}

func ExampleEncodeInteger() {
	fmt.Println(codec.EncodeInteger(1000), codec.EncodeInteger(-7), codec.EncodeInteger(1<<40))
	// Output: g8 -7 jmaiJOw
}

func ExampleDecodeInteger() {
	fmt.Println(codec.DecodeInteger("g8"))
	// Output: 1000 true
}

func FuzzDecodeInteger(f *testing.F) {
	for _, s := range []string{"", "-", "g8", "-ZZ", "a-b", "é", "ZZZZZZZZZZZZZZZZZZZZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := codec.DecodeInteger(s)
		if ok == math.IsNaN(v) {
			t.Fatalf("DecodeInteger(%q) = %v, %v", s, v, ok)
		}
	})
}

// FuzzIntegerRoundTrip checks that integers up to 2^53 survive exactly.
func FuzzIntegerRoundTrip(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 61, 62, 1000, 1 << 53, -(1 << 53)} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		n %= 1<<53 + 1
		s := codec.EncodeInteger(float64(n))
		got, ok := codec.DecodeInteger(s)
		if !ok || got != float64(n) {
			t.Fatalf("EncodeInteger(%d) = %q reads back as %v, %v", n, s, got, ok)
		}
	})
}

func BenchmarkEncodeInteger(b *testing.B) {
	values := []float64{0, 1000, -7, 1 << 40, 1706931845678}
	for i := 0; b.Loop(); i++ {
		_ = codec.EncodeInteger(values[i%len(values)])
	}
}

func BenchmarkDecodeInteger(b *testing.B) {
	texts := []string{"0", "g8", "-7", "jmaiJOw", "u0aFbhc"}
	for i := 0; b.Loop(); i++ {
		_, _ = codec.DecodeInteger(texts[i%len(texts)])
	}
}
