package codec

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// EncodeNumber writes n as the base62 decimal of a plain `number` attribute (§4.2): a "-" for
// negatives, the base62 integer of the part of JavaScript's String(|n|) before the ".", then,
// when that text has a ".", the "." and everything after it verbatim. So 42.5 → "G.5",
// 123456.789 → "w7e.789", 1.5e-7 → "1.5e-7" (integer part "1", digits "5e-7"),
// 1e21 → "jdt8BLTpPG02" (no "."), and every value in (0, 1e-6) whose text has no "." — 1e-7,
// 5e-7 — becomes "" (the integer part floors to an empty base62 text). A negative of those
// becomes "-", which reads back as -0. NaN and ±Infinity give "undefined".
func EncodeNumber(n float64) string {
	var buf [64]byte
	return string(appendNumberBase62(buf[:0], n))
}

// appendNumberBase62 appends the EncodeNumber text of n to dst.
func appendNumberBase62(dst []byte, n float64) []byte {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return append(dst, jsUndefinedText...)
	}
	negative := n < 0
	var text [32]byte
	js := AppendNumber(text[:0], math.Abs(n))
	intPart, decPart := js, []byte(nil)
	if dot := indexByte(js, '.'); dot >= 0 {
		intPart, decPart = js[:dot], js[dot+1:]
	}
	// The integer part is JavaScript number text ("123", "1e+21", "5e-7"), which strconv
	// parses to the same value as JavaScript's Number().
	iv, err := strconv.ParseFloat(string(intPart), 64)
	if err != nil {
		iv = math.NaN()
	}
	if negative {
		dst = append(dst, '-')
	}
	dst = appendInteger(dst, iv)
	if len(decPart) > 0 {
		dst = append(dst, '.')
		dst = append(dst, decPart...)
	}
	return dst
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// DecodeNumber reads a base62 decimal written by EncodeNumber (the read hook of a plain `number`
// attribute). ok is false when JavaScript would not produce a number:
//   - "" (what 1e-7 is stored as): s3db.js hands back the empty string itself, so the field
//     reads as "" there; Go callers should treat the field as absent.
//   - an integer part with characters outside 0-9a-zA-Z, or digits after the "." that
//     JavaScript's Number() rejects: the value is NaN, which s3db.js turns into undefined.
//
// Otherwise it mirrors decodeDecimal: an optional "-", the base62 integer before the first ".",
// and, when the text between the first and second "." is non-empty, Number(String(int) + "." +
// digits), so "1.5e-7" → 1.5e-7 and "1.2.3" → 1.2.
func DecodeNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	v := decodeDecimalText(s)
	if math.IsNaN(v) {
		return v, false
	}
	return v, true
}

// decodeDecimalText is s3db.js's decodeDecimal: NaN when the text is not a base62 decimal.
func decodeDecimalText(s string) float64 {
	negative := strings.HasPrefix(s, "-")
	if negative {
		s = s[1:]
	}
	intPart, rest, hasDot := strings.Cut(s, ".")
	decPart := ""
	if hasDot {
		decPart, _, _ = strings.Cut(rest, ".")
	}
	num, ok := DecodeInteger(intPart)
	if !ok {
		return math.NaN()
	}
	if decPart != "" {
		num = ParseJSNumber(FormatNumber(num) + "." + decPart)
	}
	if negative {
		num = -num
	}
	return num
}

// lastCodeUnitLen returns the length in bytes of the last UTF-16 code unit of s when s is seen as
// JavaScript text: the whole last character for BMP characters, one byte (leaving an invalid
// remainder, as JavaScript leaves a lone surrogate) for characters beyond the BMP.
func lastCodeUnitLen(s string) int {
	r, size := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError || r < 0x10000 {
		return size
	}
	return 1
}
