package codec

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MetaKind tells what a decoded metadata value stands for: JavaScript has two empty values with
// their own stored text ("null" and "undefined"), which a Go string alone cannot express.
type MetaKind int

const (
	// MetaText is an ordinary text value.
	MetaText MetaKind = iota
	// MetaNull is the stored text "null": the value was null.
	MetaNull
	// MetaUndefined is the stored text "undefined": JS drops the field on read.
	MetaUndefined
)

// String names the kind for messages and tests.
func (k MetaKind) String() string {
	switch k {
	case MetaText:
		return "text"
	case MetaNull:
		return "null"
	case MetaUndefined:
		return "undefined"
	}
	return fmt.Sprintf("MetaKind(%d)", int(k))
}

// EncodeMeta returns the text the s3db.js S3 client writes as the value of a metadata entry
// (§5.1 of the format). nil gives "null". Other values are first turned into text as JavaScript's
// String(v) does (numbers via FormatNumber, booleans "true"/"false", slices joined by "," with nil
// items empty, objects "[object Object]", see JSString), then the first rule that applies:
//
//  1. text starting with "d:", "u:", "b:", "z:" or "z85:" → "b:" + base64 of its UTF-8;
//  2. a whole dictionary value, or a text starting with a dictionary URL prefix (the longest one
//     that matches), whose "d:" form is strictly shorter → that form ("processing" → "d:p");
//  3. only characters U+0020–U+007E (or empty) → the text unchanged;
//  4. otherwise, counting UTF-16 code units: with any code unit below U+0020, U+007F or above
//     U+00FF, "b:" + base64 when they are more than 30 % of the units, else "u:" +
//     encodeURIComponent; with only Latin-1 extras, "b:" when they are more than 50 %, else "u:".
//
// Where s3db.js 21.6.2 writes a form that does not read back as the same text, EncodeMeta writes
// one that does (JavaScript reads every form EncodeMeta writes as the original text):
//   - the texts "null" and "undefined" are written as "b:bnVsbA==" and "b:dW5kZWZpbmVk"
//     (JS writes them raw and reads them back as null / a missing field, §13.5);
//   - "font/woff2" is written as it is (JS writes "d:f", which reads "failed");
//   - the names of Object.prototype members ("constructor", "toString", "valueOf", …) are written
//     as they are (JS looks them up in its dictionary object, finds the inherited function, and
//     writes "d:function Object() { [native code] }" and the like; "__proto__" is dropped);
//   - a dictionary form containing characters outside U+0020–U+007E is not used: the text is
//     encoded by rule 4 instead (JS would send the raw characters in an HTTP header);
//   - a text with a lone surrogate (possible only in the WTF-8 form described in jsjson.go) that
//     rule 4 sends to "u:" is written as "b:" of its UTF-8 with U+FFFD (JS throws URIError).
//
// Invalid UTF-8 bytes count as U+FFFD, one per byte, and are written as such.
func EncodeMeta(v any) string {
	if v == nil {
		return "null"
	}
	return encodeMetaText(JSString(v))
}

func encodeMetaText(s string) string {
	if hasReservedMetaPrefix(s) || s == "null" || s == "undefined" {
		return metaBase64(s)
	}
	if s != "font/woff2" {
		if d, ok := dictEncode(s); ok && isPrintableASCII(d) {
			return d
		}
	}
	if isPrintableASCII(s) {
		return s
	}
	var units, latin1, multi int
	lone := false
	for i := 0; i < len(s); {
		r, n := jsNextCodePoint(s, i)
		i += n
		units++
		switch {
		case r >= 0x20 && r <= 0x7E:
		case r < 0x20 || r == 0x7F:
			multi++
		case r >= 0x80 && r <= 0xFF:
			latin1++
		case r >= 0x10000:
			units++
			multi += 2
		default:
			multi++
			lone = lone || isSurrogate(r)
		}
	}
	var useBase64 bool
	if multi > 0 {
		useBase64 = float64(multi)/float64(units) > 0.3
	} else {
		useBase64 = float64(latin1)/float64(units) > 0.5
	}
	if useBase64 || lone {
		return metaBase64(s)
	}
	return "u:" + encodeURIComponent(s)
}

func hasReservedMetaPrefix(s string) bool {
	if len(s) < 2 {
		return false
	}
	if s[1] == ':' {
		switch s[0] {
		case 'd', 'u', 'b', 'z':
			return true
		}
	}
	return strings.HasPrefix(s, "z85:")
}

func metaBase64(s string) string {
	return "b:" + base64.StdEncoding.EncodeToString([]byte(jsWellFormed(s)))
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

// encodeURIComponent percent-encodes the UTF-8 of s (upper-case hex) except A–Z a–z 0–9 and
// - _ . ! ~ * ' ( ), as JavaScript's encodeURIComponent.
func encodeURIComponent(s string) string {
	const upperHex = "0123456789ABCDEF"
	s = jsWellFormed(s)
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if uriUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0xF])
	}
	return b.String()
}

func uriUnreserved(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}

// protoTexts maps the texts s3db.js 21.6.2 writes for the names of Object.prototype members
// (its dictionary lookup finds the inherited functions) back to the names. No other writer
// produces them: any text starting with "d:" is written as "b:…".
var protoTexts = func() map[string]string {
	m := map[string]string{"d:function Object() { [native code] }": "constructor"}
	for _, name := range []string{"__defineGetter__", "__defineSetter__", "hasOwnProperty",
		"__lookupGetter__", "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString",
		"valueOf", "toLocaleString"} {
		m["d:function "+name+"() { [native code] }"] = name
	}
	return m
}()

// DecodeMeta reverses EncodeMeta for a metadata value as read from S3 (§5.2 of the format), the
// way the s3db.js client does, first rule that applies:
//
//   - "null" → MetaNull, "undefined" → MetaUndefined (text "");
//   - "d:" + a known code → the dictionary value;
//   - "z85:"/"z:" + payload → raw-deflate decompression of the base85/base64 payload, as UTF-8
//     (on any failure the text unchanged);
//   - "u:" + payload → decodeURIComponent (on failure the text unchanged);
//   - "b:" + payload → base64 decoded as Node's Buffer does (characters outside the alphabet are
//     skipped, "=" ends the data, so "b:!!!" is ""), then UTF-8 with U+FFFD for invalid bytes;
//   - anything else → unchanged.
//
// One deliberate difference: the texts s3db.js writes for Object.prototype member names (see
// EncodeMeta), such as "d:function Object() { [native code] }", decode to the name the writer
// stored ("constructor"); JavaScript shows the raw text. Results that hold lone surrogates
// (from u: escapes of unpaired surrogate characters in the input) are WTF-8, see jsjson.go.
func DecodeMeta(s string) (string, MetaKind) {
	switch s {
	case "null":
		return "", MetaNull
	case "undefined":
		return "", MetaUndefined
	}
	if len(s) < 2 {
		return s, MetaText
	}
	if strings.HasPrefix(s, "d:") {
		if v, ok := dictDecode(s); ok {
			return v, MetaText
		}
		if v, ok := protoTexts[s]; ok {
			return v, MetaText
		}
	}
	if payload, ok := strings.CutPrefix(s, "z85:"); ok {
		if payload == "" {
			return s, MetaText
		}
		if out, ok := inflateText(decodeBase85(jsUnits(payload))); ok {
			return out, MetaText
		}
		return s, MetaText
	}
	if s[1] != ':' || len(s) == 2 {
		return s, MetaText
	}
	switch s[0] {
	case 'z':
		if out, ok := inflateText(nodeBase64Decode(s[2:])); ok {
			return out, MetaText
		}
	case 'u':
		if out, ok := decodeURIComponent(s[2:]); ok {
			return out, MetaText
		}
	case 'b':
		return decodeUTF8(nodeBase64Decode(s[2:]), false), MetaText
	}
	return s, MetaText
}

// maxInflated bounds z:/z85: decompression (a metadata value is at most 2 KB; JS has no bound).
const maxInflated = 64 << 20

func inflateText(compressed []byte) (string, bool) {
	r := flate.NewReader(bytes.NewReader(compressed))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
	if err != nil || len(out) > maxInflated {
		return "", false
	}
	return decodeUTF8(out, false), true
}

// base64Values maps bytes to their value in either base64 alphabet (Node decodes both), 0xFF for
// other bytes.
var base64Values = func() [256]byte {
	var t [256]byte
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['-'] = 62
	t['_'] = 63
	return t
}()

// nodeBase64Decode decodes s as Node's Buffer.from(s, "base64"): it reads the UTF-16 code units of
// the JS string, looks at the low byte of each (so U+0159 counts as "Y"), skips bytes outside
// both base64 alphabets, stops at the first "=", and turns the sextets read into bytes (a final
// group of 2 or 3 gives 1 or 2 bytes, a single sextet nothing).
func nodeBase64Decode(s string) []byte {
	out := make([]byte, 0, len(s)*3/4+3)
	var acc uint32
	n := 0
	put := func(c byte) bool {
		v := base64Values[c]
		if v == 0xFF {
			return c != '='
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
		return true
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			if !put(s[i]) {
				break
			}
		}
	} else {
		for _, u := range jsUnits(s) {
			if !put(byte(u)) {
				break
			}
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

const base85Alphabet = "!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~"

// base85Values maps ASCII to base85 values; characters outside the alphabet count as 0, as in
// s3db.js's table.
var base85Values = func() [128]byte {
	var t [128]byte
	for i := 0; i < len(base85Alphabet); i++ {
		t[base85Alphabet[i]] = byte(i)
	}
	return t
}()

// decodeBase85 reproduces s3db.js's decodeBase85 on UTF-16 code units, including its quirks: a
// group value above 2^32-1 wraps modulo 2^32, a code unit ≥ 128 makes its group's bytes 0 (the
// JS value becomes NaN), a final partial group is padded with the last digit, and a single
// trailing character gives no byte.
func decodeBase85(units []uint16) []byte {
	out := make([]byte, 0, len(units)*4/5+4)
	group := func(g []uint16, keep int) {
		var val uint64
		nan := false
		for _, u := range g {
			if u >= 128 {
				nan = true
				continue
			}
			val = val*85 + uint64(base85Values[u])
		}
		for i := len(g); i < 5; i++ {
			val = val*85 + 84
		}
		w := uint32(val)
		if nan {
			w = 0
		}
		for i := 0; i < keep; i++ {
			out = append(out, byte(w>>(24-8*i)))
		}
	}
	full := len(units) / 5
	for i := 0; i < full; i++ {
		group(units[i*5:i*5+5], 4)
	}
	if rem := len(units) % 5; rem > 0 {
		group(units[full*5:], rem-1)
	}
	return out
}

// decodeURIComponent implements JavaScript's decodeURIComponent on the JS string s; ok is false
// where JS throws URIError (a malformed escape or escapes that are not UTF-8 of one code point).
func decodeURIComponent(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	u := jsUnits(s)
	out := make([]uint16, 0, len(u))
	hexAt := func(k int) (byte, bool) {
		if k+2 >= len(u) || u[k] != '%' {
			return 0, false
		}
		hi, ok1 := hexValue(u[k+1])
		lo, ok2 := hexValue(u[k+2])
		return hi<<4 | lo, ok1 && ok2
	}
	for k := 0; k < len(u); {
		if u[k] != '%' {
			out = append(out, u[k])
			k++
			continue
		}
		b, ok := hexAt(k)
		if !ok {
			return "", false
		}
		k += 3
		if b < 0x80 {
			out = append(out, uint16(b))
			continue
		}
		n := 0
		for m := byte(0x80); b&m != 0 && n < 8; m >>= 1 {
			n++
		}
		if n == 1 || n > 4 {
			return "", false
		}
		octets := []byte{b}
		for j := 1; j < n; j++ {
			c, ok := hexAt(k)
			if !ok || c&0xC0 != 0x80 {
				return "", false
			}
			octets = append(octets, c)
			k += 3
		}
		r, size := utf8.DecodeRune(octets)
		if (r == utf8.RuneError && size == 1) || size != n {
			return "", false
		}
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
		} else {
			out = append(out, uint16(r))
		}
	}
	return jsFromUnits(out), true
}

func hexValue(u uint16) (byte, bool) {
	switch {
	case u >= '0' && u <= '9':
		return byte(u - '0'), true
	case u >= 'a' && u <= 'f':
		return byte(u-'a') + 10, true
	case u >= 'A' && u <= 'F':
		return byte(u-'A') + 10, true
	}
	return 0, false
}

// decodeUTF8 decodes bytes as the WHATWG UTF-8 decoder (Node's Buffer.toString, TextDecoder):
// each maximal ill-formed subsequence becomes one U+FFFD. stripBOM drops a leading U+FEFF as
// TextDecoder does (Buffer.toString keeps it).
func decodeUTF8(b []byte, stripBOM bool) string {
	if stripBOM && bytes.HasPrefix(b, []byte("\uFEFF")) {
		b = b[3:]
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		need, lower, upper := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lower = 0xA0
			} else if c == 0xED {
				upper = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lower = 0x90
			} else if c == 0xF4 {
				upper = 0x8F
			}
		default:
			out = append(out, "\uFFFD"...)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lower || b[j] > upper {
				ok = false
				break
			}
			lower, upper = 0x80, 0xBF
			j++
		}
		if ok {
			out = append(out, b[i:j]...)
		} else {
			out = append(out, "\uFFFD"...)
		}
		i = j
	}
	return string(out)
}
