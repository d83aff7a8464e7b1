package codec

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// This file holds the small JavaScript primitives the text-like types (datetime, uuid, mac, cidr,
// semver, phone, color, duration, ean, ip4/ip6) need to reproduce s3db.js byte for byte: parseInt,
// Number(string), ToInt32, Number.prototype.toString(16), String.prototype.trim/padStart and
// string lengths in UTF-16 code units.

// txtSlice16 is s.slice(from, to) for 0 <= from <= to, counted in UTF-16 code units.
func txtSlice16(s string, from, to int) string {
	u := jsUnits(s)
	from = min(from, len(u))
	to = min(max(to, from), len(u))
	return jsFromUnits(u[from:to])
}

// txtPadStart is s.padStart(n, "0") for the ASCII texts it is used on.
func txtPadStart(s string, n int) string {
	if k := JSLength(s); k < n {
		return strings.Repeat("0", n-k) + s
	}
	return s
}

// txtParseInt is JavaScript's parseInt(s, radix) for radix 10 or 16: leading whitespace and one
// sign are skipped (and "0x" for radix 16), then the longest run of digits is read; no digits
// gives NaN. Decimal digits are converted with correct rounding as V8 does; hexadecimal digits
// are exact up to 2^53 and rounded to nearest-even beyond.
func txtParseInt(s string, radix int) float64 {
	s = strings.TrimLeftFunc(s, IsJSSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if radix == 16 && len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	end := 0
	for end < len(s) && txtDigit(s[end], radix) {
		end++
	}
	if end == 0 {
		return math.NaN()
	}
	var f float64
	if radix == 10 {
		f, _ = strconv.ParseFloat(s[:end], 64) // ±Inf on overflow, like V8
	} else {
		n, _ := new(big.Int).SetString(s[:end], 16)
		f, _ = new(big.Float).SetInt(n).Float64()
	}
	if neg {
		f = -f
	}
	return f
}

func txtDigit(c byte, radix int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return radix == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
}

// txtToUint32 is JavaScript's ToUint32: NaN and ±Inf give 0, otherwise truncate and wrap modulo 2^32.
func txtToUint32(f float64) uint32 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	m := math.Mod(math.Trunc(f), 4294967296)
	if m < 0 {
		m += 4294967296
	}
	return uint32(m)
}

// txtToInt32 is JavaScript's ToInt32.
func txtToInt32(f float64) int32 { return int32(txtToUint32(f)) }

// txtHex is Number.prototype.toString(16) for the integral values the decoders produce (base62
// decodes are always integers): lowercase digits, "-" for negatives, exact for any magnitude.
func txtHex(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if math.Abs(f) < 1<<63 {
		return strconv.FormatInt(int64(f), 16)
	}
	n, _ := new(big.Float).SetFloat64(f).Int(nil)
	return n.Text(16)
}
