package codec

import (
	"math"
	"strings"
)

// arraySeparator is s3db.js's default arraySeparator option; no API changes it.
const arraySeparator = '|'

// EncodeStringArray writes an `array|items:string` value: items joined by "|", where string
// items escape "\" as "\\" and then "|" as "\|", and other items are written with JavaScript's
// String() and not escaped (as s3db.js does). ["a|b", "c\\d", "x"] → `a\|b|c\\d|x`; an empty
// (or nil) slice is "", so [] and [""] both read back as [].
func EncodeStringArray(items []any) string {
	var b strings.Builder
	n := len(items)
	for _, item := range items {
		if s, ok := item.(string); ok {
			n += len(s) + 2 // room for a couple of escapes without growing
		}
	}
	b.Grow(n)
	for i, item := range items {
		if i > 0 {
			b.WriteByte(arraySeparator)
		}
		s, isString := item.(string)
		if !isString {
			b.WriteString(JSString(item))
			continue
		}
		for j := 0; j < len(s); j++ {
			if s[j] == '\\' || s[j] == arraySeparator {
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
	}
	return b.String()
}

// DecodeStringArray reads an `array|items:string` value: "" is an empty array; otherwise the
// text is split on "|" not preceded by an escaping "\", and "\x" becomes x (a trailing lone "\"
// stays). Items are strings.
func DecodeStringArray(s string) []any {
	if strings.IndexByte(s, '\\') < 0 { // no escapes: the items are substrings, nothing to copy
		if s == "" {
			return []any{}
		}
		out := make([]any, 0, strings.Count(s, "|")+1)
		for {
			i := strings.IndexByte(s, arraySeparator)
			if i < 0 {
				return append(out, s)
			}
			out = append(out, s[:i])
			s = s[i+1:]
		}
	}
	parts := splitEscaped(s, arraySeparator)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// splitEscaped is s3db.js's toArray scan: "" gives no items; "\" escapes the next byte, and sep
// ends an item. Working on bytes gives the same result as JavaScript's UTF-16 units because
// "\" and sep are ASCII and never occur inside a multi-byte character.
func splitEscaped(s string, sep byte) []string {
	if s == "" {
		return []string{}
	}
	items := make([]string, 0, strings.Count(s, string(sep))+1)
	var cur []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			cur = append(cur, s[i+1])
			i++
		case s[i] == sep:
			items = append(items, string(cur))
			cur = cur[:0]
		default:
			cur = append(cur, s[i])
		}
	}
	return append(items, string(cur))
}

// EncodeNumberArray writes an `array|items:number` value (base62 decimals, as EncodeNumber) or,
// with integer, an `array|items:number|integer` value (base62 integers, as EncodeInteger),
// joined by "|": [1.5, −2, 3] → "1.5|-2|3", integers [1, 62, 3843] → "1|10|ZZ". Items that are
// not numbers go through JavaScript's Number() first ("12" → 12, null → 0, true → 1); those
// that give NaN, and NaN itself, are written as empty items. An empty (or nil) slice is "".
func EncodeNumberArray(items []any, integer bool) string {
	var b strings.Builder
	var buf [maxBase62Digits + 40]byte
	for i, item := range items {
		if i > 0 {
			b.WriteByte(arraySeparator)
		}
		x := JSNumber(item)
		if math.IsNaN(x) {
			continue
		}
		if integer {
			b.Write(appendInteger(buf[:0], x))
		} else {
			b.Write(appendNumberBase62(buf[:0], x))
		}
	}
	return b.String()
}

// DecodeNumberArray reads a number array written by EncodeNumberArray with the same integer
// flag: "" is an empty array; otherwise the text is split as DecodeStringArray splits it and
// each item is decoded. Like s3db.js, an item that is empty or does not decode becomes NaN
// (JSON null) rather than failing the array. Items are float64.
func DecodeNumberArray(s string, integer bool) []any {
	parts := splitEscaped(s, arraySeparator)
	out := make([]any, len(parts))
	for i, p := range parts {
		v := math.NaN()
		switch {
		case p == "":
		case integer:
			v, _ = DecodeInteger(p)
		default:
			v = decodeDecimalText(p)
		}
		out[i] = v
	}
	return out
}
