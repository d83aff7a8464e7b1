package codec

import (
	"math"
	"strconv"
	"strings"
)

// exactPowersOfTen are the powers of ten that float64 holds exactly.
var exactPowersOfTen = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// powerOfTen is V8's Math.pow(10, p), the scale of every fixed-point type. For p ≤ 22 it is
// exact; above, V8 returns the correctly rounded 1e<p> except for p = 23 and p = 210, where it
// is one unit in the last place higher (checked against Node for p ≤ 400). Go's math.Pow differs
// from V8 for most p above 32, so it is not used. Above 308 the result is +Inf; negative p
// (which no definition can express) is computed as 1e<p>.
func powerOfTen(p int) float64 {
	switch {
	case p >= 0 && p < len(exactPowersOfTen):
		return exactPowersOfTen[p]
	case p == 23:
		return math.Float64frombits(0x44b52d02c7e14af7)
	case p == 210:
		return math.Float64frombits(0x6b88557f31326bbc)
	case p > 308:
		return math.Inf(1)
	}
	f, _ := strconv.ParseFloat("1e"+strconv.Itoa(p), 64)
	return f
}

// jsRound is JavaScript's Math.round: the nearest integer, halves toward +Infinity (2.5 → 3,
// -2.5 → -2), -0 for values in [-0.5, -0], NaN and ±Inf unchanged.
func jsRound(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	f := math.Floor(x)
	if float64(x-f) >= 0.5 { // x - floor(x) is exact for every float64
		f++
	}
	if f == 0 && (x < 0 || math.Signbit(x)) {
		return math.Copysign(0, -1)
	}
	return f
}

// scaled is jsRound(x · 10^decimals) with the product rounded on its own, as in JavaScript.
func scaled(x float64, decimals int) float64 {
	return jsRound(float64(x * powerOfTen(decimals)))
}

// EncodeMoney writes a `money`, `money:N`, `crypto` or `crypto:N` value: "$" followed by the
// base62 integer of Math.round(x · 10^decimals). The definition gives decimals: 2 for money, 8
// for crypto, N when given. 19.99 → "$wf". s3db.js's validator rejects negatives (min:0) before
// this runs; the encoding itself writes them as "$-…". NaN and ±Infinity give "$undefined".
func EncodeMoney(x float64, decimals int) string {
	var buf [maxBase62Digits + 2]byte
	return string(appendInteger(append(buf[:0], '$'), scaled(x, decimals)))
}

// DecodeMoney reads a money value: the base62 integer after "$" divided by 10^decimals. ok is
// false when the text does not start with "$" or the integer is not base62; s3db.js then hands
// back the stored text unchanged. "$" alone is 0. A quotient that is NaN (only possible with
// more than 308 decimals) also reports false.
func DecodeMoney(s string, decimals int) (float64, bool) {
	rest, found := strings.CutPrefix(s, "$")
	if !found {
		return math.NaN(), false
	}
	n, ok := DecodeInteger(rest)
	if !ok {
		return math.NaN(), false
	}
	return notNaN(n / powerOfTen(decimals))
}

// notNaN reports a quotient as decoded unless it is NaN, which Infinity / Infinity (a huge
// integer at more than 308 decimals) or a negative precision (0 / 0) can produce.
func notNaN(v float64) (float64, bool) {
	return v, !math.IsNaN(v)
}

// EncodeDecimal writes a `decimal` or `decimal:N` value as s3db.js's fixed point: "^" followed
// by "-" for negatives and the base62 digits of |Math.round(x · 10^decimals)|; a value that
// rounds to zero is "^0". decimal 3.14159 → "^54", decimal:4 -3.14159 → "^-8aI". NaN and
// ±Infinity give "undefined" (without "^"). When the product overflows to ±Infinity (1e300 at
// 10 decimals), s3db.js's digit loop grows a string until JavaScript throws "Invalid string
// length" and the hook stores the number unencoded, so this returns the JavaScript text of x;
// a product that is NaN (0 · 10^400) gives "^".
func EncodeDecimal(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return jsUndefinedText
	}
	v := scaled(x, decimals)
	if v == 0 {
		return "^0"
	}
	if math.IsInf(v, 0) {
		return FormatNumber(x)
	}
	var buf [maxBase62Digits + 2]byte
	dst := append(buf[:0], '^')
	if v < 0 {
		dst = append(dst, '-')
	}
	return string(appendBase62Digits(dst, math.Abs(v)))
}

// DecodeDecimal reads a fixed-point decimal: the text must start with "^"; "^0" is 0, a "-"
// after the "^" negates, and the base62 integer is divided by 10^decimals ("^" alone is 0). ok
// is false, with NaN, when the text lacks the "^" or has a character outside 0-9a-zA-Z;
// s3db.js stores that NaN in the record (JSON null).
func DecodeDecimal(s string, decimals int) (float64, bool) {
	v, ok := decodeFixedPoint(s, decimals)
	return v, ok
}

// decodeFixedPoint is s3db.js's decodeFixedPoint.
func decodeFixedPoint(s string, precision int) (float64, bool) {
	str, found := strings.CutPrefix(s, "^")
	if !found {
		return math.NaN(), false
	}
	if str == "0" {
		return 0, true
	}
	r, ok := decodeSignedDigits(str)
	if !ok {
		return math.NaN(), false
	}
	return notNaN(r / powerOfTen(precision))
}

// decodeSignedDigits reads an optional "-" and base62 digits (possibly none) in float64.
func decodeSignedDigits(str string) (float64, bool) {
	negative := strings.HasPrefix(str, "-")
	if negative {
		str = str[1:]
	}
	r := 0.0
	for i := 0; i < len(str); i++ {
		d := base62Value(str[i])
		if d < 0 {
			return math.NaN(), false
		}
		r = float64(r*62) + float64(d)
	}
	if negative {
		r = -r
	}
	return r, true
}
