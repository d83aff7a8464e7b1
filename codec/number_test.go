package codec_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

// numericOracle is testdata/numeric.json, written by testdata/gen/numeric.mjs from the real
// s3db.js 21.6.2 functions. Doubles are 16 hex digits of their bits; other values are tagged.
type numericOracle struct {
	Format            [][2]string          `json:"format"`
	Pow10             [][2]json.RawMessage `json:"pow10"`
	Round             [][2]string          `json:"round"`
	Integer           [][2]string          `json:"integer"`
	IntegerDecode     [][3]json.RawMessage `json:"integerDecode"`
	Key               []json.RawMessage    `json:"key"`
	KeyDecode         [][2]string          `json:"keyDecode"`
	Number            [][2]string          `json:"number"`
	NumberDecode      [][3]json.RawMessage `json:"numberDecode"`
	Money             [][3]json.RawMessage `json:"money"`
	MoneyDecode       [][3]json.RawMessage `json:"moneyDecode"`
	Decimal           [][3]json.RawMessage `json:"decimal"`
	DecimalDecode     [][3]json.RawMessage `json:"decimalDecode"`
	GeoLat            [][3]json.RawMessage `json:"geoLat"`
	GeoLon            [][3]json.RawMessage `json:"geoLon"`
	GeoDecode         [][4]json.RawMessage `json:"geoDecode"`
	GeoPoint          [][4]json.RawMessage `json:"geoPoint"`
	GeoPointDecode    [][3]json.RawMessage `json:"geoPointDecode"`
	Embedding         [][2]json.RawMessage `json:"embedding"`
	EmbeddingDecode   [][2]json.RawMessage `json:"embeddingDecode"`
	StringArray       [][2]json.RawMessage `json:"stringArray"`
	StringArrayDecode [][2]json.RawMessage `json:"stringArrayDecode"`
	NumberArray       [][3]json.RawMessage `json:"numberArray"`
	NumberArrayDecode [][3]json.RawMessage `json:"numberArrayDecode"`
	Bool              [][2]json.RawMessage `json:"bool"`
	BoolDecode        [][2]json.RawMessage `json:"boolDecode"`
}

// jsValue is one tagged JavaScript value of the oracle.
type jsValue struct {
	Num   *string            `json:"num"`
	Str   *string            `json:"str"`
	Bool  *bool              `json:"bool"`
	Null  bool               `json:"null"`
	Undef bool               `json:"undef"`
	Arr   []jsValue          `json:"arr"`
	Obj   map[string]jsValue `json:"obj"`
}

// goValue converts the tagged value to what a Go record holds: float64, string, bool, nil,
// []any, map[string]any. undefined becomes nil too.
func (v jsValue) goValue(t testing.TB) any {
	switch {
	case v.Num != nil:
		return bitsFloat(t, *v.Num)
	case v.Str != nil:
		return *v.Str
	case v.Bool != nil:
		return *v.Bool
	case v.Arr != nil:
		out := make([]any, len(v.Arr))
		for i, item := range v.Arr {
			out[i] = item.goValue(t)
		}
		return out
	case v.Obj != nil:
		out := make(map[string]any, len(v.Obj))
		for k, item := range v.Obj {
			out[k] = item.goValue(t)
		}
		return out
	}
	return nil
}

var (
	oracleOnce sync.Once
	oracle     numericOracle
	oracleErr  error
)

func loadNumericOracle(t testing.TB) *numericOracle {
	t.Helper()
	oracleOnce.Do(func() {
		var b []byte
		b, oracleErr = os.ReadFile("testdata/numeric.json")
		if oracleErr == nil {
			oracleErr = json.Unmarshal(b, &oracle)
		}
	})
	require.NoError(t, oracleErr)
	return &oracle
}

func bitsFloat(t testing.TB, h string) float64 {
	t.Helper()
	u, err := strconv.ParseUint(h, 16, 64)
	require.NoError(t, err)
	return math.Float64frombits(u)
}

func rawString(t testing.TB, r json.RawMessage) string {
	t.Helper()
	var s string
	require.NoError(t, json.Unmarshal(r, &s))
	return s
}

func rawInt(t testing.TB, r json.RawMessage) int {
	t.Helper()
	var n int
	require.NoError(t, json.Unmarshal(r, &n))
	return n
}

func rawBool(t testing.TB, r json.RawMessage) bool {
	t.Helper()
	var b bool
	require.NoError(t, json.Unmarshal(r, &b))
	return b
}

func rawTagged(t testing.TB, r json.RawMessage) jsValue {
	t.Helper()
	var v jsValue
	require.NoError(t, json.Unmarshal(r, &v))
	return v
}

// sameFloat compares doubles bit for bit, except that every NaN equals every NaN.
func sameFloat(want, got float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Float64bits(want) == math.Float64bits(got)
}

// assertSameItems compares []any of float64 (bitwise, NaN = NaN) or strings.
func assertSameItems(t *testing.T, want, got []any, msg string) {
	t.Helper()
	if !assert.Len(t, got, len(want), msg) {
		return
	}
	for i := range want {
		wf, wIsF := want[i].(float64)
		gf, gIsF := got[i].(float64)
		if wIsF && gIsF {
			assert.Truef(t, sameFloat(wf, gf), "%s: item %d: want %v (%x), got %v (%x)", msg, i, wf, math.Float64bits(wf), gf, math.Float64bits(gf))
			continue
		}
		assert.Equalf(t, want[i], got[i], "%s: item %d", msg, i)
	}
}

func TestEncodeNumberOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Number {
		x := bitsFloat(t, c[0])
		assert.Equalf(t, c[1], codec.EncodeNumber(x), "EncodeNumber(%v)", x)
	}
}

func TestDecodeNumberOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.NumberDecode {
		s := rawString(t, c[0])
		hook := rawTagged(t, c[1])
		got, ok := codec.DecodeNumber(s)
		switch {
		case hook.Num != nil:
			want := bitsFloat(t, *hook.Num)
			assert.Truef(t, ok, "DecodeNumber(%q) ok", s)
			assert.Truef(t, sameFloat(want, got), "DecodeNumber(%q): want %v, got %v", s, want, got)
		default: // "" kept as text, or undefined
			assert.Falsef(t, ok, "DecodeNumber(%q) = %v should fail (JS %+v)", s, got, hook)
		}
	}
}

// tenth and fifth are variables so that their sum is computed in float64, not as an exact
// constant.
var tenth, fifth = 0.1, 0.2

func TestEncodeNumberExamples(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "half", in: 42.5, want: "G.5"},
		{name: "negative", in: -1.5, want: "-1.5"},
		{name: "fraction digits verbatim", in: 123456.789, want: "w7e.789"},
		{name: "float noise", in: tenth + fifth, want: "0.30000000000000004"},
		{name: "integer", in: 123456789, want: "8m0Kx"},
		{name: "ten", in: 10, want: "a"},
		{name: "negative fraction", in: -0.25, want: "-0.25"},
		{name: "tiny with dot", in: 1.5e-7, want: "1.5e-7"},
		{name: "tiny without dot", in: 1e-7, want: ""},
		{name: "negative tiny", in: -1e-7, want: "-"},
		{name: "1e21", in: 1e21, want: "jdt8BLTpPG02"},
		{name: "1.5e21", in: 1.5e21, want: "1.5e+21"},
		{name: "negative zero", in: math.Copysign(0, -1), want: "0"},
		{name: "NaN", in: math.NaN(), want: "undefined"},
		{name: "-Inf", in: math.Inf(-1), want: "undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeNumber(tt.in))
		})
	}
}

func TestDecodeNumberExamples(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   float64
		wantOK bool
	}{
		{name: "half", in: "G.5", want: 42.5, wantOK: true},
		{name: "exponent digits", in: "1.5e-7", want: 1.5e-7, wantOK: true},
		{name: "second dot ignored", in: "1.2.3", want: 1.2, wantOK: true},
		{name: "empty fraction", in: "1.", want: 1, wantOK: true},
		{name: "empty is absent", in: "", wantOK: false},
		{name: "bad integer part", in: "!.5", wantOK: false},
		{name: "bad fraction", in: "1.5x", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := codec.DecodeNumber(tt.in)
			require.Equal(t, tt.wantOK, ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

func ExampleEncodeNumber() {
	for _, n := range []float64{42.5, -1.5, 123456.789, 1.5e-7, 1e-7} {
		fmt.Printf("%q\n", codec.EncodeNumber(n))
	}
	// Output:
	// "G.5"
	// "-1.5"
	// "w7e.789"
	// "1.5e-7"
	// ""
}

func ExampleDecodeNumber() {
	v, ok := codec.DecodeNumber("w7e.789")
	fmt.Println(v, ok)
	// Output: 123456.789 true
}

func FuzzDecodeNumber(f *testing.F) {
	for _, s := range []string{"", "-", "G.5", "1.5e-7", "1.2.3", "a.e3", "--1.5", "ZZZZZZZZZZZZ.5", "1.0x10", "1.\u00a05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := codec.DecodeNumber(s)
		if ok && math.IsNaN(v) {
			t.Fatalf("DecodeNumber(%q) ok with NaN", s)
		}
	})
}

// closeEnough is exact equality below 2^53; above, the base62 integer part accumulates in
// float64 (as in JavaScript) and may be off by a few units in the last place.
func closeEnough(want, got float64) bool {
	if math.Abs(want) < 1<<53 {
		return want == got
	}
	return math.Abs(want-got) <= math.Abs(want)*1e-14
}

// FuzzNumberRoundTrip checks that every value whose JavaScript text has a "." or is an integer
// (everything except the (0, 1e-6) texts without "." that s3db.js loses) reads back exactly
// below 2^53 and within 1e-14 relative above.
func FuzzNumberRoundTrip(f *testing.F) {
	for _, x := range []float64{0, 1, -1.5, 42.5, 0.30000000000000004, 1.5e-7, 1e21, 1.5e300, 2e-300, 1e-7, 5e-324} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := codec.EncodeNumber(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if s != "undefined" {
				t.Fatalf("EncodeNumber(%v) = %q", x, s)
			}
			return
		}
		got, ok := codec.DecodeNumber(s)
		if s == "" || s == "-" { // tiny values without "." in their text: lost, as in s3db.js
			if math.Abs(x) >= 1e-6 {
				t.Fatalf("EncodeNumber(%v) = %q", x, s)
			}
			return
		}
		if !ok || !closeEnough(x, got) {
			t.Fatalf("EncodeNumber(%v) = %q reads back as %v, %v", x, s, got, ok)
		}
	})
}

func BenchmarkEncodeNumber(b *testing.B) {
	values := []float64{42.5, -123456.789, 0.30000000000000004, 123456789, 1.5e-7}
	for i := 0; b.Loop(); i++ {
		_ = codec.EncodeNumber(values[i%len(values)])
	}
}

func BenchmarkDecodeNumber(b *testing.B) {
	texts := []string{"G.5", "-w7e.789", "0.30000000000000004", "8m0Kx", "1.5e-7"}
	for i := 0; b.Loop(); i++ {
		_, _ = codec.DecodeNumber(texts[i%len(texts)])
	}
}

func jsonDecode(r json.RawMessage, v any) error { return json.Unmarshal(r, v) }
