package codec

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber formats f exactly as JavaScript's Number.prototype.toString() (radix 10) does:
// the shortest digits that round-trip, in positional notation for 1e-7 < |f| < 1e21 and in
// exponent form (1e-7, 1.5e+21) outside that range. NaN and the infinities give "NaN",
// "Infinity" and "-Infinity"; -0 gives "0".
//
// s3db.js writes numbers through String(n) in many places (decimals, unmapped values, JSON
// bodies), so byte compatibility depends on reproducing this algorithm, which differs from
// strconv's 'g' format in where it switches to exponent form and how it writes the exponent.
func FormatNumber(f float64) string {
	return string(AppendNumber(nil, f))
}

// AppendNumber appends the JavaScript text of f (see FormatNumber) to dst.
func AppendNumber(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		return append(dst, '0')
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Fast path for integers that JS prints positionally.
	if f < 1e21 && f == math.Trunc(f) && f < 1<<53 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	// Between 1e-6 and 1e21 JavaScript writes the shortest round-trip digits positionally, which
	// is strconv's 'f' format with precision -1.
	if f >= 1e-6 && f < 1e21 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	// Shortest round-trip digits in the form d.ddddde±XX.
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	mant, expText, _ := strings.Cut(string(e), "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expText)
	k := len(digits) // number of significant digits
	n := exp + 1     // position of the decimal point relative to the digits
	switch {
	case k <= n && n <= 21:
		dst = append(dst, digits...)
		for i := 0; i < n-k; i++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		dst = append(dst, digits[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for i := 0; i < -n; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	default:
		dst = append(dst, digits[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}
