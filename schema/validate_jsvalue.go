package schema

import (
	"strings"
	"unicode/utf16"

	"github.com/s3db-go/s3db/codec"
)

// JavaScript string operations the validator needs beyond the shared ones in codec (String(),
// Number(), trim, UTF-16 lengths and JSON.stringify live there: codec.JSString, codec.JSNumber,
// codec.ParseJSNumber, codec.JSTrim, codec.JSLength, codec.MarshalJS). fastest-validator is
// generated JavaScript, so a byte-compatible port has to reproduce these exactly.

// vUpper and vLower are toUpperCase/toLowerCase; Go's case mapping differs from JavaScript's
// for a few special-casing characters (ß → SS is handled here).
func vUpper(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "ß", "SS")) }

func vLower(s string) string { return strings.ToLower(s) }

// vPad is padStart/padEnd to a UTF-16 length.
func vPad(s string, n int, pad string, start bool) string {
	l := codec.JSLength(s)
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
