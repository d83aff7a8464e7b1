package codec

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
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
		num = jsStringToNumber(FormatNumber(num) + "." + decPart)
	}
	if negative {
		num = -num
	}
	return num
}

// numericOf reports whether v is a number as JavaScript's typeof would see it once the value
// reached s3db.js: every Go integer and float type and json.Number. NaN and ±Inf are numbers.
func numericOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uintptr:
		return float64(x), true
	case json.Number:
		return jsStringToNumber(string(x)), true
	}
	return 0, false
}

// jsToNumber is JavaScript's Number(v) for the values a decoded record can hold: null → 0,
// booleans → 1/0, numbers as they are, strings through the StringToNumber grammar, arrays
// through their String() text, and any object → NaN.
func jsToNumber(v any) float64 {
	if f, ok := numericOf(v); ok {
		return f
	}
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		return jsStringToNumber(x)
	case []any:
		return jsStringToNumber(jsString(x))
	}
	return math.NaN()
}

// jsString is JavaScript's String(v) for the values a decoded record can hold: null → "null",
// numbers in JavaScript notation, arrays as their items joined by "," (null items empty), and
// objects as "[object Object]".
func jsString(v any) string {
	if f, ok := numericOf(v); ok {
		return FormatNumber(f)
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		var b strings.Builder
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if item != nil {
				b.WriteString(jsString(item))
			}
		}
		return b.String()
	case []string:
		return strings.Join(x, ",")
	}
	return "[object Object]"
}

// isJSWhiteSpace reports whether r is StrWhiteSpaceChar of ECMAScript: WhiteSpace (tab, VT,
// FF, ZWNBSP and every Zs character) or LineTerminator (LF, CR, LS, PS).
func isJSWhiteSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x2028, 0x2029, 0xFEFF:
		return true
	}
	return r > 0x7F && unicode.Is(unicode.Zs, r)
}

// jsStringToNumber is JavaScript's Number(text): surrounding white space is ignored, "" is 0,
// "Infinity" with an optional sign, decimal literals with optional fraction and exponent
// ("1.", ".5", "1e5"), and unsigned 0x/0o/0b integers are accepted; anything else is NaN.
func jsStringToNumber(s string) float64 {
	s = strings.TrimFunc(s, isJSWhiteSpace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			return parseRadixInteger(s[2:], 16)
		case 'o', 'O':
			return parseRadixInteger(s[2:], 8)
		case 'b', 'B':
			return parseRadixInteger(s[2:], 2)
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
	if !isDecimalLiteral(body) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return math.NaN()
	}
	return f
}

// isDecimalLiteral matches StrUnsignedDecimalLiteral without "Infinity":
// (digits ["." [digits]] | "." digits) [("e"|"E") ["+"|"-"] digits].
func isDecimalLiteral(s string) bool {
	i, n := 0, len(s)
	intDigits := 0
	for i < n && isDigit(s[i]) {
		i++
		intDigits++
	}
	fracDigits := 0
	if i < n && s[i] == '.' {
		i++
		for i < n && isDigit(s[i]) {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < n && isDigit(s[i]) {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseRadixInteger reads the digits of a 0x/0o/0b literal, rounding like JavaScript (to
// nearest, ties to even) when the value exceeds 2^53.
func parseRadixInteger(digits string, radix int) float64 {
	if digits == "" {
		return math.NaN()
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d int
		switch {
		case isDigit(c):
			d = int(c - '0')
		case c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = int(c-'A') + 10
		default:
			return math.NaN()
		}
		if d >= radix {
			return math.NaN()
		}
	}
	n, ok := new(big.Int).SetString(digits, radix)
	if !ok {
		return math.NaN()
	}
	f, _ := new(big.Float).SetInt(n).Float64() // nearest, ties to even, ±Inf beyond range
	return f
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
