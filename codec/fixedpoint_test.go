package codec_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeMoneyOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Money {
		x := bitsFloat(t, rawString(t, c[0]))
		d := rawInt(t, c[1])
		want := rawTagged(t, c[2])
		if !assert.NotNilf(t, want.Str, "hook output for %v", x) {
			continue
		}
		assert.Equalf(t, *want.Str, codec.EncodeMoney(x, d), "EncodeMoney(%v, %d)", x, d)
	}
}

func TestDecodeMoneyOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.MoneyDecode {
		s := rawString(t, c[0])
		d := rawInt(t, c[1])
		hook := rawTagged(t, c[2])
		got, ok := codec.DecodeMoney(s, d)
		if hook.Num == nil { // s3db.js keeps the stored text
			assert.Equalf(t, s, *hook.Str, "hook kept text")
			assert.Falsef(t, ok, "DecodeMoney(%q, %d)", s, d)
			continue
		}
		want := bitsFloat(t, *hook.Num)
		assert.Truef(t, ok, "DecodeMoney(%q, %d)", s, d)
		assert.Truef(t, sameFloat(want, got), "DecodeMoney(%q, %d): want %v, got %v", s, d, want, got)
	}
}

func TestEncodeDecimalOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Decimal {
		x := bitsFloat(t, rawString(t, c[0]))
		p := rawInt(t, c[1])
		// The hook keeps the number when the encoder throws; the client then writes String(x).
		want := hookStoredText(t, rawTagged(t, c[2]))
		assert.Equalf(t, want, codec.EncodeDecimal(x, p), "EncodeDecimal(%v, %d)", x, p)
	}
}

func TestDecodeDecimalOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.DecimalDecode {
		s := rawString(t, c[0])
		p := rawInt(t, c[1])
		hook := rawTagged(t, c[2])
		if !assert.NotNil(t, hook.Num) {
			continue
		}
		want := bitsFloat(t, *hook.Num)
		got, ok := codec.DecodeDecimal(s, p)
		assert.Truef(t, sameFloat(want, got), "DecodeDecimal(%q, %d): want %v, got %v", s, p, want, got)
		assert.Equalf(t, !math.IsNaN(want), ok, "DecodeDecimal(%q, %d) ok", s, p)
	}
}

func TestFixedPointExamples(t *testing.T) {
	tests := []struct {
		name   string
		encode func(float64, int) string
		x      float64
		n      int
		want   string
	}{
		{name: "money", encode: codec.EncodeMoney, x: 19.99, n: 2, want: "$wf"},
		{name: "money:3 rounds", encode: codec.EncodeMoney, x: 1.2345, n: 3, want: "$jV"},
		{name: "crypto", encode: codec.EncodeMoney, x: 0.00012345, n: 8, want: "$3d7"},
		{name: "money half rounds up", encode: codec.EncodeMoney, x: 0.5, n: 0, want: "$1"},
		{name: "money NaN", encode: codec.EncodeMoney, x: math.NaN(), n: 2, want: "$undefined"},
		{name: "decimal", encode: codec.EncodeDecimal, x: 3.14159, n: 2, want: "^54"},
		{name: "decimal:4 negative", encode: codec.EncodeDecimal, x: -3.14159, n: 4, want: "^-8aI"},
		{name: "decimal zero", encode: codec.EncodeDecimal, x: 0.001, n: 2, want: "^0"},
		{name: "decimal negative half rounds up", encode: codec.EncodeDecimal, x: -2.5, n: 0, want: "^-2"},
		{name: "decimal infinity", encode: codec.EncodeDecimal, x: math.Inf(1), n: 2, want: "undefined"},
		{name: "decimal overflowing product", encode: codec.EncodeDecimal, x: 1e300, n: 10, want: "1e+300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.encode(tt.x, tt.n))
		})
	}
}

func ExampleEncodeMoney() {
	fmt.Println(codec.EncodeMoney(19.99, 2), codec.EncodeMoney(0.00012345, 8))
	fmt.Println(codec.DecodeMoney("$wf", 2))
	// Output:
	// $wf $3d7
	// 19.99 true
}

func ExampleEncodeDecimal() {
	fmt.Println(codec.EncodeDecimal(3.14159, 2), codec.EncodeDecimal(-3.14159, 4))
	fmt.Println(codec.DecodeDecimal("^-8aI", 4))
	// Output:
	// ^54 ^-8aI
	// -3.1416 true
}

func FuzzDecodeMoney(f *testing.F) {
	for _, s := range []string{"$wf", "$", "$-", "wf", "$é", "$ZZZZZZZZZZZZZZZZZZZZZZZZ"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, decimals int) {
		v, ok := codec.DecodeMoney(s, decimals%400)
		if ok == math.IsNaN(v) {
			t.Fatalf("DecodeMoney(%q) = %v, %v", s, v, ok)
		}
	})
}

func FuzzDecodeDecimal(f *testing.F) {
	for _, s := range []string{"^54", "^", "^-", "^0", "54", "^é", "^-8aI"} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, decimals int) {
		v, ok := codec.DecodeDecimal(s, decimals%400)
		if ok == math.IsNaN(v) {
			t.Fatalf("DecodeDecimal(%q) = %v, %v", s, v, ok)
		}
	})
}

// FuzzFixedPointRoundTrip checks that money and decimal values read back within half a unit
// of the last kept decimal (plus float noise), for magnitudes where the scaled integer is exact.
func FuzzFixedPointRoundTrip(f *testing.F) {
	f.Add(19.99, uint8(2))
	f.Add(-3.14159, uint8(4))
	f.Add(0.00012345, uint8(8))
	f.Fuzz(func(t *testing.T, x float64, n uint8) {
		decimals := int(n % 10)
		scale := math.Pow(10, float64(decimals))
		if math.IsNaN(x) || math.Abs(x*scale) > 1<<52 {
			return
		}
		tolerance := 0.5/scale + math.Abs(x)*1e-15
		if x >= 0 {
			got, ok := codec.DecodeMoney(codec.EncodeMoney(x, decimals), decimals)
			if !ok || math.Abs(got-x) > tolerance {
				t.Fatalf("money %v at %d reads back as %v, %v", x, decimals, got, ok)
			}
		}
		got, ok := codec.DecodeDecimal(codec.EncodeDecimal(x, decimals), decimals)
		if !ok || math.Abs(got-x) > tolerance {
			t.Fatalf("decimal %v at %d reads back as %v, %v", x, decimals, got, ok)
		}
	})
}
