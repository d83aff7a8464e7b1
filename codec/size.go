package codec

import (
	"encoding/json"
	"reflect"
	"strings"
)

// ByteSize returns s3db.js's size of a field value (§7.1 of the format), the unit of every
// behavior's metadata budget: the UTF-8 byte length of the value turned into text *before* the
// client's u:/b:/d: encoding, where
//   - nil → "" (0 bytes); booleans → "1"/"0" (1 byte); numbers → String(n) (FormatNumber);
//   - strings → themselves (lone surrogates and invalid bytes count 3, the U+FFFD JS writes);
//   - slices and arrays → String(item) of every item joined by "|" (nil items are "null",
//     nested slices joined by ","; an empty slice is "[]", 2 bytes);
//   - Ordered, maps and other objects → their JSON.stringify text (MarshalJS).
//
// Mapped record values are already strings, so for records this is simply their byte length.
func ByteSize(v any) int {
	switch t := v.(type) {
	case nil:
		return 0
	case string:
		return jsUTF8Len(t)
	case bool:
		return 1
	case float64:
		return len(FormatNumber(t))
	case json.Number:
		return len(JSString(t))
	case []any:
		return joinedSize(len(t), func(i int) any { return t[i] })
	case []string:
		return joinedSize(len(t), func(i int) any { return t[i] })
	case Ordered, map[string]any:
		return jsonSize(v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return 0
		}
		return ByteSize(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			break // []byte: a Buffer, counted as its text
		}
		return joinedSize(rv.Len(), func(i int) any { return rv.Index(i).Interface() })
	case reflect.Map, reflect.Struct:
		return jsonSize(v)
	case reflect.Bool:
		return 1
	}
	return jsUTF8Len(JSString(v))
}

func joinedSize(n int, at func(int) any) int {
	if n == 0 {
		return 2 // "[]"
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(JSString(at(i)))
	}
	return jsUTF8Len(b.String())
}

// jsonSize is the byte length of the JSON text; values encoding/json cannot write either
// (channels, functions) count as their String() text.
func jsonSize(v any) int {
	b, err := MarshalJS(v)
	if err != nil {
		return jsUTF8Len(JSString(v))
	}
	return len(b)
}
