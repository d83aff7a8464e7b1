package codec

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// JavaScript strings are sequences of UTF-16 code units and may hold lone surrogates; Go strings
// are bytes. Wherever this package needs the JavaScript view of a Go string it reads the bytes as
// WTF-8 (UTF-8 extended with lone surrogates):
//   - valid UTF-8 is the same code points (astral ones are a surrogate pair in JS);
//   - a three-byte sequence ED A0..BF 80..BF (the UTF-8 form of a surrogate, forbidden in strict
//     UTF-8) is that surrogate; a high one followed directly by a low one is the pair;
//   - every other invalid byte is U+FFFD, one per byte (as ranging over a string does).
// So every JavaScript string has a Go form, and well-formed ones are plain UTF-8. Where JS turns a
// string into bytes (TextEncoder, Buffer.from(s, "utf8")) lone surrogates become U+FFFD.

// jsNextCodePoint decodes the JavaScript code point at s[i:], returning it and its byte length.
// Lone surrogates come back as their surrogate value (0xD800–0xDFFF).
func jsNextCodePoint(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r != utf8.RuneError || n != 1 {
		return r, n
	}
	hi, ok := wtf8Surrogate(s, i)
	if !ok {
		return utf8.RuneError, 1
	}
	if hi <= 0xDBFF {
		if lo, ok := wtf8Surrogate(s, i+3); ok && lo >= 0xDC00 {
			return 0x10000 + (hi-0xD800)<<10 + (lo - 0xDC00), 6
		}
	}
	return hi, 3
}

// wtf8Surrogate reports whether s[i:] starts with the three-byte form of a surrogate.
func wtf8Surrogate(s string, i int) (rune, bool) {
	if i+2 >= len(s) || s[i] != 0xED || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
		return 0, false
	}
	return 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), true
}

func isSurrogate(r rune) bool { return r >= 0xD800 && r <= 0xDFFF }

// jsUnits returns the UTF-16 code units of the JavaScript string s stands for.
func jsUnits(s string) []uint16 {
	out := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		r, n := jsNextCodePoint(s, i)
		i += n
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

// jsFromUnits turns UTF-16 code units back into a Go string (lone surrogates in WTF-8 form).
func jsFromUnits(u []uint16) string {
	b := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		if r >= 0xD800 && r <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			r = 0x10000 + (r-0xD800)<<10 + (rune(u[i+1]) - 0xDC00)
			i++
		}
		b = appendWTF8(b, r)
	}
	return string(b)
}

// appendWTF8 appends r as UTF-8, writing surrogates in their three-byte form.
func appendWTF8(b []byte, r rune) []byte {
	if isSurrogate(r) {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

// jsWellFormed returns the UTF-8 bytes JavaScript produces for s (TextEncoder, Buffer.from):
// lone surrogates and invalid bytes become U+FFFD.
func jsWellFormed(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, n := jsNextCodePoint(s, i)
		i += n
		if isSurrogate(r) {
			r = utf8.RuneError
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// jsUTF8Len counts UTF-8 bytes the way s3db.js's calculateUTF8Bytes does: by code point, 3 bytes
// for a lone surrogate (the same as the U+FFFD it is written as).
func jsUTF8Len(s string) int {
	if utf8.ValidString(s) {
		return len(s)
	}
	total := 0
	for i := 0; i < len(s); {
		r, n := jsNextCodePoint(s, i)
		i += n
		switch {
		case r < 0x80:
			total++
		case r < 0x800:
			total += 2
		case r < 0x10000:
			total += 3
		default:
			total += 4
		}
	}
	return total
}

// compareUTF16 orders strings by UTF-16 code units, as JavaScript's default sort does. It equals
// byte order except that astral characters sort before U+E000–U+FFFF.
func compareUTF16(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ra, na := jsNextCodePoint(a, i)
		rb, nb := jsNextCodePoint(b, j)
		if ra != rb {
			ua, ub := utf16Pair(ra), utf16Pair(rb)
			if c := cmpInt(int(ua[0]), int(ub[0])); c != 0 {
				return c
			}
			return cmpInt(int(ua[1]), int(ub[1]))
		}
		i += na
		j += nb
	}
	return cmpInt(len(a)-i, len(b)-j)
}

// utf16Pair gives the one or two code units of r; a BMP character's second unit is -1 so that it
// sorts before any continuation.
func utf16Pair(r rune) [2]int32 {
	if r >= 0x10000 {
		r -= 0x10000
		return [2]int32{0xD800 + (r >> 10), 0xDC00 + (r & 0x3FF)}
	}
	return [2]int32{r, -1}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// isArrayIndex reports whether a property name is an array index ("0" … "4294967294" written
// without leading zeros). JavaScript lists such keys first, in ascending numeric order, whatever
// the insertion order.
func isArrayIndex(k string) bool {
	if len(k) == 0 || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n <= 4294967294
}

// jsPropertyOrder sorts keys in JavaScript property order: array indexes ascending, then the
// others in the order given.
func jsPropertyOrder(keys []string) {
	slices.SortStableFunc(keys, func(a, b string) int {
		ai, bi := isArrayIndex(a), isArrayIndex(b)
		switch {
		case ai && bi:
			if len(a) != len(b) {
				return cmpInt(len(a), len(b))
			}
			return cmpStr(a, b) // same length: numeric order is lexical order
		case ai:
			return -1
		case bi:
			return 1
		}
		return 0
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// maxJSDepth bounds nesting so that cyclic values fail instead of exhausting the stack (JS throws
// "Converting circular structure to JSON").
const maxJSDepth = 1000

var errJSDepth = errors.New("codec: value nested too deeply (cycle?)")

// MarshalJS returns the text JavaScript's JSON.stringify produces for v, byte for byte:
//   - numbers as Number.prototype.toString (FormatNumber); NaN and ±Infinity as null; every Go
//     integer type is first converted to float64 as JS would hold it (so 2^53+1 prints 9007199254740992);
//     json.Number is parsed as a JS number (1.0 → 1);
//   - strings with JSON.stringify's escapes only: \b \f \n \r \t \" \\, other control characters
//     as \u00xx (lowercase hex), lone surrogates (see the WTF-8 note above) as \udxxx; no HTML
//     escaping, U+2028/U+2029 and DEL literal; invalid UTF-8 bytes become U+FFFD;
//   - Ordered in JavaScript property order: array-index keys ("0" … "4294967294", no leading
//     zeros) first in ascending numeric order, then the rest in insertion order; a repeated name
//     keeps its first position and its last value, as assignment to a JS object does;
//   - map[string]V: array-index keys ascending, then the other keys sorted by UTF-16 code units
//     (a Go map has no insertion order; this is the order a sorted insertion would give);
//   - []any and other slices and arrays as arrays, nil as null, nil slices, maps and pointers
//     as null (as encoding/json; JavaScript has no nil array), pointers followed,
//     json.RawMessage written as it is;
//   - anything else (structs, json.Marshaler, encoding.TextMarshaler, maps with other key types)
//     through encoding/json first, then re-read keeping key order and written by the rules above.
//     []byte therefore becomes a base64 string, not a Node Buffer's {"type":"Buffer",…}.
func MarshalJS(v any) ([]byte, error) {
	e := jsEncoder{}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// jsEncoder writes JSON text; stable selects json-stable-stringify's key order.
type jsEncoder struct {
	buf    []byte
	stable bool
}

func (e *jsEncoder) value(v any, depth int) error {
	if depth > maxJSDepth {
		return errJSDepth
	}
	switch t := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.buf = appendJSQuote(e.buf, t)
	case bool:
		e.buf = strconv.AppendBool(e.buf, t)
	case float64:
		e.number(t)
	case float32:
		e.number(float64(t))
	case int:
		e.number(float64(t))
	case int8:
		e.number(float64(t))
	case int16:
		e.number(float64(t))
	case int32:
		e.number(float64(t))
	case int64:
		e.number(float64(t))
	case uint:
		e.number(float64(t))
	case uint8:
		e.number(float64(t))
	case uint16:
		e.number(float64(t))
	case uint32:
		e.number(float64(t))
	case uint64:
		e.number(float64(t))
	case uintptr:
		e.number(float64(t))
	case json.Number:
		f, err := parseJSONNumber(t)
		if err != nil {
			return err
		}
		e.number(f)
	case json.RawMessage:
		if t == nil {
			e.buf = append(e.buf, "null"...)
		} else {
			e.buf = append(e.buf, t...)
		}
	case []any:
		if t == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.array(len(t), func(i int) any { return t[i] }, depth)
	case []string:
		if t == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.array(len(t), func(i int) any { return t[i] }, depth)
	case Ordered:
		return e.ordered(t, depth)
	case map[string]any:
		if t == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		return e.object(keys, func(k string) any { return t[k] }, depth)
	default:
		return e.reflectValue(v, depth)
	}
	return nil
}

func parseJSONNumber(n json.Number) (float64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, nil // ±Inf or 0, as Number("1e400") is Infinity
		}
		return 0, fmt.Errorf("codec: invalid json.Number %q: %w", string(n), err)
	}
	return f, nil
}

func (e *jsEncoder) number(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.buf = AppendNumber(e.buf, f)
}

func (e *jsEncoder) array(n int, at func(int) any, depth int) error {
	e.buf = append(e.buf, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.value(at(i), depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

// ordered writes an Ordered object: first position, last value for repeated names.
func (e *jsEncoder) ordered(o Ordered, depth int) error {
	keys := make([]string, 0, len(o))
	last := make(map[string]any, len(o))
	for _, m := range o {
		if _, seen := last[m.Name]; !seen {
			keys = append(keys, m.Name)
		}
		last[m.Name] = m.Value
	}
	if !e.stable {
		jsPropertyOrder(keys)
		return e.members(keys, func(k string) any { return last[k] }, depth)
	}
	return e.object(keys, func(k string) any { return last[k] }, depth)
}

// object writes an object whose keys have no meaningful order: array indexes ascending, then the
// rest by UTF-16 code units (stable mode: all keys by UTF-16 code units).
func (e *jsEncoder) object(keys []string, get func(string) any, depth int) error {
	slices.SortFunc(keys, compareUTF16)
	if !e.stable {
		jsPropertyOrder(keys)
	}
	return e.members(keys, get, depth)
}

func (e *jsEncoder) members(keys []string, get func(string) any, depth int) error {
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendJSQuote(e.buf, k)
		e.buf = append(e.buf, ':')
		if err := e.value(get(k), depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// reflectValue handles the types the fast switch does not: pointers, typed slices and maps with
// string keys go through reflection; the rest through encoding/json.
func (e *jsEncoder) reflectValue(v any, depth int) error {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	if rt.Kind() == reflect.Pointer {
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if rt.Elem().Implements(jsonMarshalerType) || !rt.Implements(jsonMarshalerType) {
			return e.value(rv.Elem().Interface(), depth+1)
		}
	}
	if rt.Implements(jsonMarshalerType) || rt.Implements(textMarshalerType) {
		return e.viaEncodingJSON(v, depth)
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rt.Elem().Kind() == reflect.Uint8 && !rt.Elem().Implements(jsonMarshalerType) {
			return e.viaEncodingJSON(v, depth) // base64 text, as encoding/json
		}
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.array(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Array:
		return e.array(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map:
		if rt.Key().Kind() != reflect.String || rt.Key().Implements(textMarshalerType) {
			return e.viaEncodingJSON(v, depth)
		}
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		keys := make([]string, 0, rv.Len())
		vals := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := it.Key().String()
			keys = append(keys, k)
			vals[k] = it.Value().Interface()
		}
		return e.object(keys, func(k string) any { return vals[k] }, depth)
	case reflect.String:
		e.buf = appendJSQuote(e.buf, rv.String())
		return nil
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, rv.Bool())
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.number(float64(rv.Int()))
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.number(float64(rv.Uint()))
		return nil
	case reflect.Float32, reflect.Float64:
		e.number(rv.Float())
		return nil
	}
	return e.viaEncodingJSON(v, depth)
}

// viaEncodingJSON marshals v with encoding/json, re-reads the text keeping key order and writes
// it by the JavaScript rules.
func (e *jsEncoder) viaEncodingJSON(v any, depth int) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("codec: marshal %T: %w", v, err)
	}
	parsed, err := ParseOrdered(raw)
	if err != nil {
		return fmt.Errorf("codec: re-read JSON of %T: %w", v, err)
	}
	return e.value(parsed, depth+1)
}

const lowerHex = "0123456789abcdef"

// appendJSQuote appends s as a JSON string literal with JSON.stringify's escaping.
func appendJSQuote(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := jsNextCodePoint(s, i)
			if !isSurrogate(r) && (r != utf8.RuneError || n != 1) && n != 6 {
				i += n
				continue
			}
			b = append(b, s[start:i]...)
			if n == 6 { // two WTF-8 halves of one pair: the character itself
				b = utf8.AppendRune(b, r)
			} else if isSurrogate(r) {
				b = append(b, '\\', 'u', lowerHex[r>>12], lowerHex[(r>>8)&0xF], lowerHex[(r>>4)&0xF], lowerHex[r&0xF])
			} else {
				b = append(b, "\uFFFD"...)
			}
			i += n
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
