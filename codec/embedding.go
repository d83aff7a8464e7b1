package codec

import (
	"math"
	"strings"
)

// embeddingPrecision is the fixed decimal precision of embeddings (§4.4): 6 digits.
const embeddingPrecision = 6

// EncodeEmbedding writes an `embedding`, `embedding:N` or long (≥ 256) `array|items:number`
// value (§4.4): "^[" + items joined by "," + "]", each item the base62 digits of
// Math.round(x · 10^6) with "-" for negatives and "0" for zero, so [0.1, −0.2, 0, 1] →
// "^[q0U,-Q1O,0,4c92]" and [] → "^[]". Items that are not numbers (any Go integer or float type,
// or json.Number), NaN, infinities, and values whose scaled product overflows (on which
// s3db.js would loop forever) are written as empty items. A nil slice is written as "^[]".
func EncodeEmbedding(items []any) string {
	if len(items) == 0 {
		return "^[]"
	}
	var b strings.Builder
	b.Grow(2 + 6*len(items))
	b.WriteString("^[")
	var buf [maxBase62Digits + 1]byte
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(appendEmbeddingItem(buf[:0], item))
	}
	b.WriteByte(']')
	return b.String()
}

func appendEmbeddingItem(dst []byte, item any) []byte {
	x, ok := AsNumber(item)
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		return dst
	}
	v := scaled(x, embeddingPrecision)
	switch {
	case v == 0:
		return append(dst, '0')
	case math.IsInf(v, 0):
		return dst
	case v < 0:
		dst = append(dst, '-')
	}
	return appendBase62Digits(dst, math.Abs(v))
}

// DecodeEmbedding reads an embedding as s3db.js's read hook does. "" and "^[]" are empty.
// Text starting with "^[" loses its first two and its last character (whatever that is) and
// is split on ","; "0" is 0, "" is NaN, other items are base62 with an optional "-" divided by
// 10^6 (a bare "-" is -0). Any other text is the legacy form: items separated by unescaped "|"
// ("\x" escapes x), each "^"-prefixed fixed point. Items are float64; ok is false when any item
// is NaN (JSON null in s3db.js).
func DecodeEmbedding(s string) ([]any, bool) {
	if s == "" || s == "^[]" {
		return []any{}, true
	}
	allOK := true
	if strings.HasPrefix(s, "^[") {
		end := max(len(s)-lastCodeUnitLen(s), 2)
		inner := s[2:end]
		if inner == "" {
			return []any{}, true
		}
		parts := strings.Split(inner, ",")
		out := make([]any, len(parts))
		for i, part := range parts {
			v := decodeEmbeddingItem(part)
			allOK = allOK && !math.IsNaN(v)
			out[i] = v
		}
		return out, allOK
	}
	parts := splitEscaped(s, '|')
	out := make([]any, len(parts))
	for i, part := range parts {
		v := math.NaN()
		if part != "" {
			v, _ = decodeFixedPoint(part, embeddingPrecision)
		}
		allOK = allOK && !math.IsNaN(v)
		out[i] = v
	}
	return out, allOK
}

func decodeEmbeddingItem(part string) float64 {
	switch part {
	case "0":
		return 0
	case "":
		return math.NaN()
	}
	r, ok := decodeSignedDigits(part)
	if !ok {
		return math.NaN()
	}
	return r / powerOfTen(embeddingPrecision)
}
