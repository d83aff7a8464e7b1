package codec_test

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestFormatNumberOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Format {
		x := bitsFloat(t, c[0])
		assert.Equalf(t, c[1], codec.FormatNumber(x), "FormatNumber(%s)", c[0])
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "zero", in: 0, want: "0"},
		{name: "negative zero", in: math.Copysign(0, -1), want: "0"},
		{name: "NaN", in: math.NaN(), want: "NaN"},
		{name: "infinity", in: math.Inf(1), want: "Infinity"},
		{name: "negative infinity", in: math.Inf(-1), want: "-Infinity"},
		{name: "2^53", in: 1 << 53, want: "9007199254740992"},
		{name: "large integer positional", in: 1e20, want: "100000000000000000000"},
		{name: "1e21 switches to exponent", in: 1e21, want: "1e+21"},
		{name: "1e-6 positional", in: 1e-6, want: "0.000001"},
		{name: "1e-7 exponent", in: 1e-7, want: "1e-7"},
		{name: "shortest digits", in: 1.5e-7, want: "1.5e-7"},
		{name: "smallest subnormal", in: 5e-324, want: "5e-324"},
		{name: "largest", in: math.MaxFloat64, want: "1.7976931348623157e+308"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.FormatNumber(tt.in))
			assert.Equal(t, tt.want, string(codec.AppendNumber(nil, tt.in)))
		})
	}
}

func TestPowerOfTenOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Pow10 {
		p := rawInt(t, c[0])
		want := bitsFloat(t, rawString(t, c[1]))
		assert.Equalf(t, want, codec.PowerOfTen(p), "Math.pow(10, %d)", p)
	}
}

func TestJSRoundOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Round {
		x := bitsFloat(t, c[0])
		want := bitsFloat(t, c[1])
		got := codec.JSRound(x)
		assert.Truef(t, sameFloat(want, got), "Math.round(%v): want %v, got %v", x, want, got)
	}
}

func ExampleFormatNumber() {
	fmt.Println(codec.FormatNumber(0.1), codec.FormatNumber(1e21), codec.FormatNumber(1e-7), codec.FormatNumber(123.0))
	// Output: 0.1 1e+21 1e-7 123
}

// FuzzFormatNumber checks that the text parses back to the same double (the oracle test checks
// the exact text).
func FuzzFormatNumber(f *testing.F) {
	for _, x := range []float64{0, 1, 0.1, 1e21, 1e-7, 5e-324, math.MaxFloat64, 123456.789} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := codec.FormatNumber(x)
		if math.IsNaN(x) {
			if s != "NaN" {
				t.Fatalf("FormatNumber(NaN) = %q", s)
			}
			return
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != x {
			t.Fatalf("FormatNumber(%x) = %q parses as %v, %v", bits, s, back, err)
		}
	})
}
