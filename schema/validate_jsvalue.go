package schema

import (
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/s3db-go/s3db/codec"
)

// JavaScript value semantics that the validator depends on: String(), Number(), String.prototype
// .trim, UTF-16 string lengths and JSON.stringify. fastest-validator is generated JavaScript, so a
// byte-compatible port has to reproduce these exactly.

// vIsJSSpace reports whether r is JavaScript whitespace (WhiteSpace or LineTerminator): what
// String.prototype.trim removes and what Number() ignores around digits.
func vIsJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0xfeff, 0x2028, 0x2029:
		return true
	}
	return unicode.Is(unicode.Zs, r)
}

// vTrim is String.prototype.trim.
func vTrim(s string) string { return strings.TrimFunc(s, vIsJSSpace) }

// vLen is JavaScript's string length: UTF-16 code units ("😀".length is 2).
func vLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// vNumber converts any Go number to float64, like JavaScript's single number type.
func vNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case interface{ Float64() (float64, error) }: // json.Number
		f, err := n.Float64()
		if err != nil {
			return math.NaN(), true
		}
		return f, true
	}
	return 0, false
}

// vText is JavaScript's String(v) for record values.
func vText(v any) string {
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
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			if x != nil {
				parts[i] = vText(x)
			}
		}
		return strings.Join(parts, ",")
	case *vObject, map[string]any, codec.Ordered:
		return "[object Object]"
	}
	if f, ok := vNumber(v); ok {
		return codec.FormatNumber(f)
	}
	return "[object Object]"
}

var vDecimalLiteral = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)

// vStringToNumber is Number(text): whitespace-trimmed decimal, hex/octal/binary literals,
// Infinity; "" is 0; anything else NaN.
func vStringToNumber(text string) float64 {
	s := vTrim(text)
	switch s {
	case "":
		return 0
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
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
			if !ok {
				return math.NaN()
			}
			f, _ := new(big.Float).SetInt(n).Float64()
			return f
		}
	}
	if !vDecimalLiteral.MatchString(s) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only range errors remain: ParseFloat already returns ±Inf or 0 as JavaScript does.
		return f
	}
	return f
}

// vToNumber is Number(v).
func vToNumber(v any) float64 {
	switch t := v.(type) {
	case nil:
		return 0
	case bool:
		if t {
			return 1
		}
		return 0
	case string:
		return vStringToNumber(t)
	case []any:
		return vStringToNumber(vText(t))
	}
	if f, ok := vNumber(v); ok {
		return f
	}
	return math.NaN()
}

// vFinite reports whether f is neither NaN nor infinite.
func vFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// vArrayIndexKey reports whether k is a canonical array index, which JavaScript objects list
// before all other keys, in ascending order.
func vArrayIndexKey(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// vJSKeyOrder orders keys as a JavaScript object enumerates them: array indexes ascending first,
// then the rest in their given order.
func vJSKeyOrder(keys []string) []string {
	out := make([]string, 0, len(keys))
	var idx []string
	for _, k := range keys {
		if _, ok := vArrayIndexKey(k); ok {
			idx = append(idx, k)
		}
	}
	sort.Slice(idx, func(i, j int) bool {
		a, _ := vArrayIndexKey(idx[i])
		b, _ := vArrayIndexKey(idx[j])
		return a < b
	})
	out = append(out, idx...)
	for _, k := range keys {
		if _, ok := vArrayIndexKey(k); !ok {
			out = append(out, k)
		}
	}
	return out
}

// vStringify is JSON.stringify(v) for record values (after vClone).
func vStringify(v any) string {
	var b strings.Builder
	vAppendJSON(&b, v)
	return b.String()
}

func vAppendJSON(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		vAppendQuoted(b, t)
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			vAppendJSON(b, x)
		}
		b.WriteByte(']')
	case *vObject:
		b.WriteByte('{')
		for i, k := range vJSKeyOrder(t.keys) {
			if i > 0 {
				b.WriteByte(',')
			}
			vAppendQuoted(b, k)
			b.WriteByte(':')
			vAppendJSON(b, t.vals[k])
		}
		b.WriteByte('}')
	default:
		f, ok := vNumber(v)
		if !ok || !vFinite(f) {
			b.WriteString("null")
			return
		}
		b.WriteString(codec.FormatNumber(f))
	}
}

// vAppendQuoted writes s as JSON.stringify quotes it: only '"', '\\' and control characters are
// escaped (not '<', '>', '&' or U+2028 as encoding/json does).
func vAppendQuoted(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 cannot come from JavaScript; write it as the replacement character.
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// vUpper and vLower are toUpperCase/toLowerCase; Go's case mapping differs from JavaScript's
// for a few special-casing characters (ß → SS is handled here).
func vUpper(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "ß", "SS")) }

func vLower(s string) string { return strings.ToLower(s) }

// vPad is padStart/padEnd to a UTF-16 length.
func vPad(s string, n int, pad string, start bool) string {
	l := vLen(s)
	if n <= l || pad == "" {
		return s
	}
	units := utf16.Encode([]rune(pad))
	var fill []uint16
	for len(fill) < n-l {
		fill = append(fill, units...)
	}
	fill = fill[:n-l]
	f := string(utf16.Decode(fill))
	if start {
		return f + s
	}
	return s + f
}
