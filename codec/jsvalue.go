package codec

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// JavaScript value semantics shared by the codecs, the mapper and the validator: a Go value seen
// as the JavaScript value s3db.js would hold (one number type, String(), Number(), trim and
// UTF-16 lengths). They are the single implementation both packages use, so that every place
// that imitates JavaScript agrees with every other.

// AsNumber reports whether v is a number as JavaScript's typeof would see it once the value
// reached s3db.js, and returns it as the float64 JavaScript holds: every Go integer and float
// type (integers beyond 2^53 are rounded, as JavaScript rounds them) and json.Number (read as
// JSON.parse reads a number literal; text that is not one gives NaN). NaN and ±Inf are numbers.
// Named types (time.Duration, …) are not numbers: they are what their String method says.
func AsNumber(v any) (float64, bool) {
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
		f, err := parseJSONNumber(x)
		if err != nil {
			return math.NaN(), true
		}
		return f, true
	}
	return 0, false
}

// JSNumber is JavaScript's Number(v) for the values a record can hold: null → 0, booleans → 1/0,
// numbers (AsNumber) as they are, strings through ParseJSNumber, arrays through their String()
// text ([] → 0, [5] → 5, [1,2] → NaN), and any other object → NaN.
func JSNumber(v any) float64 {
	if f, ok := AsNumber(v); ok {
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
		return ParseJSNumber(x)
	case []any, []string:
		return ParseJSNumber(JSString(x))
	}
	return math.NaN()
}

// ParseJSNumber is JavaScript's Number(text) (the StringToNumber operation): surrounding
// JavaScript white space (IsJSSpace) is ignored, "" is 0, "Infinity" takes an optional sign,
// decimal literals may have a sign, a fraction and an exponent ("1.", ".5", "-1e5"), and 0x/0o/0b
// integers are unsigned and exact up to 2^53 (rounded to nearest-even beyond). Anything else —
// "1_000", "0x", "-0x1", "inf", "1e" — is NaN, which is the only failure signal, as in JavaScript.
func ParseJSNumber(s string) float64 {
	s = JSTrim(s)
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
	return f // on range errors ParseFloat already gives ±Inf or ±0, as JavaScript does
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

// maxJSStringDepth bounds the nesting JSString follows; deeper (cyclic) arrays give "" as
// JavaScript's join does for a cycle.
const maxJSStringDepth = 1000

// JSString is JavaScript's String(v) for the Go value v: nil → "null", booleans "true"/"false",
// numbers (AsNumber) in JavaScript notation (FormatNumber), slices and arrays joined by ","
// (nil items empty, nested slices joined the same way), []byte as its UTF-8 text (a Node Buffer),
// maps, Ordered and structs "[object Object]", fmt.Stringer via String(), pointers followed;
// anything else through fmt.Sprint.
func JSString(v any) string {
	return jsStringDepth(v, 0)
}

func jsStringDepth(v any, depth int) string {
	if depth > maxJSStringDepth {
		return ""
	}
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case bool:
		if t {
			return "true"
		}
		return "false"
	case []byte:
		return decodeUTF8(t, false)
	case []any:
		return jsJoin(len(t), func(i int) any { return t[i] }, depth)
	case []string:
		return strings.Join(t, ",")
	case Ordered, map[string]any:
		return "[object Object]"
	}
	if f, ok := AsNumber(v); ok {
		return FormatNumber(f)
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null"
		}
		return jsStringDepth(rv.Elem().Interface(), depth+1)
	case reflect.Slice, reflect.Array:
		return jsJoin(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map, reflect.Struct:
		return "[object Object]"
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return jsStringDepth(rv.Bool(), depth)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return FormatNumber(float64(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return FormatNumber(float64(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		return FormatNumber(rv.Float())
	}
	return fmt.Sprint(v)
}

// jsJoin is Array.prototype.join(","): null and undefined items are empty.
func jsJoin(n int, at func(int) any, depth int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if item := at(i); !isNilValue(item) {
			b.WriteString(jsStringDepth(item, depth+1))
		}
	}
	return b.String()
}

func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// IsJSSpace reports whether r is StrWhiteSpaceChar of ECMAScript: WhiteSpace (tab, VT, FF,
// ZWNBSP U+FEFF and every Zs character) or LineTerminator (LF, CR, LS, PS) — the set that
// String.prototype.trim, Number(), parseInt and the regular-expression class \s skip. Unlike Go's
// unicode.IsSpace it includes U+FEFF and excludes U+0085.
func IsJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x2028, 0x2029, 0xFEFF:
		return true
	}
	return r > 0x7F && unicode.Is(unicode.Zs, r)
}

// JSTrim is String.prototype.trim: IsJSSpace characters removed from both ends.
func JSTrim(s string) string { return strings.TrimFunc(s, IsJSSpace) }

// JSLength is JavaScript's string length: UTF-16 code units, so "😀" is 2.
func JSLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
