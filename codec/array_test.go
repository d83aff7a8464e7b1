package codec_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeStringArrayOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for i, c := range o.StringArray {
		items := rawTagged(t, c[0]).goValue(t).([]any)
		assert.Equalf(t, rawString(t, c[1]), codec.EncodeStringArray(items), "case %d: %q", i, items)
	}
}

func TestDecodeStringArrayOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.StringArrayDecode {
		s := rawString(t, c[0])
		want := rawTagged(t, c[1]).goValue(t).([]any)
		assert.Equalf(t, want, codec.DecodeStringArray(s), "DecodeStringArray(%q)", s)
	}
}

func TestEncodeNumberArrayOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for i, c := range o.NumberArray {
		items := rawTagged(t, c[0]).goValue(t).([]any)
		integer := rawBool(t, c[1])
		assert.Equalf(t, rawString(t, c[2]), codec.EncodeNumberArray(items, integer), "case %d (integer %v): %v", i, integer, items)
	}
}

func TestDecodeNumberArrayOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.NumberArrayDecode {
		s := rawString(t, c[0])
		integer := rawBool(t, c[1])
		want := rawTagged(t, c[2]).goValue(t).([]any)
		assertSameItems(t, want, codec.DecodeNumberArray(s, integer), fmt.Sprintf("DecodeNumberArray(%q, %v)", s, integer))
	}
}

func TestStringArrayExamples(t *testing.T) {
	tests := []struct {
		name  string
		items []any
		want  string
	}{
		{name: "escapes", items: []any{"a|b", `c\d`, "x"}, want: `a\|b|c\\d|x`},
		{name: "two empty strings", items: []any{"", ""}, want: "|"},
		{name: "empty", items: []any{}, want: ""},
		{name: "non-strings via String()", items: []any{1.5, nil, true, []any{1, "a|b"}, map[string]any{}, json.Number("1e21")}, want: "1.5|null|true|1,a|b|[object Object]|1e+21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeStringArray(tt.items))
		})
	}
	assert.Equal(t, []any{}, codec.DecodeStringArray(""))
	assert.Equal(t, []any{"a|b", `c\d`, "x"}, codec.DecodeStringArray(`a\|b|c\\d|x`))
	assert.Equal(t, []any{"a", `b\`}, codec.DecodeStringArray(`a|b\`))
}

func TestNumberArrayExamples(t *testing.T) {
	assert.Equal(t, "1.5|-2|3", codec.EncodeNumberArray([]any{1.5, -2, 3}, false))
	assert.Equal(t, "1|10|ZZ", codec.EncodeNumberArray([]any{1, int64(62), uint16(3843)}, true))
	assert.Equal(t, "c|0|1||v", codec.EncodeNumberArray([]any{"12", nil, true, "abc", "0x1f"}, true))
	got := codec.DecodeNumberArray("1.5||x|!", false)
	assert.Equal(t, 1.5, got[0])
	assert.True(t, math.IsNaN(got[1].(float64)))
	assert.Equal(t, 33.0, got[2])
	assert.True(t, math.IsNaN(got[3].(float64)))
	assert.Equal(t, []any{}, codec.DecodeNumberArray("", true))
}

func ExampleEncodeStringArray() {
	s := codec.EncodeStringArray([]any{"a|b", `c\d`, "x"})
	fmt.Println(s, codec.DecodeStringArray(s))
	// Output: a\|b|c\\d|x [a|b c\d x]
}

func ExampleEncodeNumberArray() {
	fmt.Println(codec.EncodeNumberArray([]any{1.5, -2, 3}, false), codec.EncodeNumberArray([]any{1, 62, 3843}, true))
	fmt.Println(codec.DecodeNumberArray("1|10|ZZ", true))
	// Output:
	// 1.5|-2|3 1|10|ZZ
	// [1 62 3843]
}

func FuzzDecodeStringArray(f *testing.F) {
	for _, s := range []string{"", "|", `a\|b|c\\d|x`, `\`, `a\`, "é|\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := codec.DecodeStringArray(s)
		if s != "" && len(items) == 0 {
			t.Fatalf("DecodeStringArray(%q) = []", s)
		}
	})
}

// FuzzStringArrayRoundTrip checks that string items survive, except that [""] reads as [].
func FuzzStringArrayRoundTrip(f *testing.F) {
	f.Add("a|b", `c\d`, "x")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		in := []any{a, b, c}
		got := codec.DecodeStringArray(codec.EncodeStringArray(in))
		if !assert.ObjectsAreEqual(in, got) {
			t.Fatalf("%q reads back as %q", in, got)
		}
		if single := codec.DecodeStringArray(codec.EncodeStringArray([]any{a})); a != "" && (len(single) != 1 || single[0] != a) {
			t.Fatalf("[%q] reads back as %q", a, single)
		}
	})
}

func FuzzDecodeNumberArray(f *testing.F) {
	for _, s := range []string{"", "|", "1.5|-2|3", "1|10|ZZ", `1\|2`, "x|-|--1|é"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, integer bool) {
		items := codec.DecodeNumberArray(s, integer)
		if want := len(codec.DecodeStringArray(s)); len(items) != want {
			t.Fatalf("DecodeNumberArray(%q) has %d items, want %d", s, len(items), want)
		}
	})
}

// FuzzNumberArrayRoundTrip checks that numbers survive: decimals as in FuzzNumberRoundTrip
// (outside the lost (0, 1e-6) range), integers up to 2^53 exactly.
func FuzzNumberArrayRoundTrip(f *testing.F) {
	f.Add(1.5, -2.0, int64(3843))
	f.Fuzz(func(t *testing.T, a, b float64, n int64) {
		n %= 1<<53 + 1
		for _, x := range []float64{a, b} {
			if math.IsNaN(x) || math.IsInf(x, 0) || (x != 0 && math.Abs(x) < 1e-6) {
				return
			}
		}
		got := codec.DecodeNumberArray(codec.EncodeNumberArray([]any{a, b}, false), false)
		if len(got) != 2 || !closeEnough(a, got[0].(float64)) || !closeEnough(b, got[1].(float64)) {
			t.Fatalf("[%v %v] reads back as %v", a, b, got)
		}
		ints := codec.DecodeNumberArray(codec.EncodeNumberArray([]any{n}, true), true)
		if len(ints) != 1 || ints[0] != float64(n) {
			t.Fatalf("[%d] reads back as %v", n, ints)
		}
		if strings.Contains(codec.EncodeNumberArray([]any{a, b}, true), "undefined") {
			t.Fatalf("finite values encoded as undefined")
		}
	})
}
