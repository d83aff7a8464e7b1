package codec

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
)

// This file holds the small JavaScript primitives the text-like types (datetime, uuid, mac, cidr,
// semver, phone, color, duration, ean, ip4/ip6) need to reproduce s3db.js byte for byte: parseInt,
// Number(string), ToInt32, Number.prototype.toString(16), String.prototype.trim/padStart and
// string lengths in UTF-16 code units.

// txtIsSpace reports whether r is JavaScript whitespace or a line terminator (the set that
// String.prototype.trim, parseInt and the regular-expression class \s skip).
func txtIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// txtTrim is String.prototype.trim.
func txtTrim(s string) string { return strings.TrimFunc(s, txtIsSpace) }

// txtLen16 is the JavaScript length of s (UTF-16 code units).
func txtLen16(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// txtSlice16 is s.slice(from, to) for 0 <= from <= to, counted in UTF-16 code units.
func txtSlice16(s string, from, to int) string {
	u := jsUnits(s)
	from = min(from, len(u))
	to = min(max(to, from), len(u))
	return jsFromUnits(u[from:to])
}

// txtPadStart is s.padStart(n, "0") for the ASCII texts it is used on.
func txtPadStart(s string, n int) string {
	if k := txtLen16(s); k < n {
		return strings.Repeat("0", n-k) + s
	}
	return s
}

// txtParseInt is JavaScript's parseInt(s, radix) for radix 10 or 16: leading whitespace and one
// sign are skipped (and "0x" for radix 16), then the longest run of digits is read; no digits
// gives NaN. Decimal digits are converted with correct rounding as V8 does; hexadecimal digits
// are exact up to 2^53 and rounded to nearest-even beyond.
func txtParseInt(s string, radix int) float64 {
	s = strings.TrimLeftFunc(s, txtIsSpace)
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

// txtToNumber is Number(s) for a string: trimmed; "" is 0; decimal literals with optional sign,
// fraction and exponent; "Infinity" with optional sign; 0x/0o/0b integers without sign; anything
// else NaN.
func txtToNumber(s string) float64 {
	s = txtTrim(s)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			n, ok := new(big.Int).SetString(s[2:], base)
			if !ok || strings.ContainsAny(s[2:], "+-_") {
				return math.NaN()
			}
			f, _ := new(big.Float).SetInt(n).Float64()
			return f
		}
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if body == "Infinity" {
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if !txtDecimalLiteral(body) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return math.NaN()
	}
	return f
}

// txtDecimalLiteral reports whether s is digits[.digits][e[±]digits] or .digits[e…] (at least one
// mantissa digit), the StrUnsignedDecimalLiteral grammar without Infinity.
func txtDecimalLiteral(s string) bool {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
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
