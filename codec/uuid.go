package codec

import (
	"regexp"
	"strings"
)

// uuidPattern is fastest-validator's uuid check (applied to the lowercased text): versions 1–8
// in the 8-4-4-4-12 form, or the nil UUID.
var uuidPattern = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|[0]{8}-[0]{4}-[0]{4}-[0]{4}-[0]{12})$`)

// NormalizeUUID is s3db.js's `uuid` validator (fastest-validator's uuid rule): a string in the
// 8-4-4-4-12 hexadecimal form, any case, with version digit 1–8 (or the nil UUID); versions 3, 4,
// 5, 7 and 8 also need the variant digit 8, 9, a or b. The value is returned unchanged (not
// lowercased), as JavaScript stores it.
func NormalizeUUID(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", valueErr("uuid", v, "must be a string such as 123e4567-e89b-12d3-a456-426614174000")
	}
	low := strings.ToLower(s)
	if !uuidPattern.MatchString(low) {
		return "", valueErr("uuid", v, "not a UUID in the 8-4-4-4-12 hexadecimal form (e.g. 123e4567-e89b-12d3-a456-426614174000)")
	}
	switch low[14] {
	case '3', '4', '5', '7', '8':
		if !strings.ContainsRune("89ab", rune(low[19])) {
			return "", valueErr("uuid", v, "the variant digit (first of the fourth group) must be 8, 9, a or b for UUID version %c", low[14])
		}
	}
	return s, nil
}

// EncodeUUID is the s3db.js mapper for `uuid`: without its dashes, 32 characters are read as four
// 8-digit hexadecimal numbers, each written in base62 left-padded to 6 (24 characters):
// 123e4567-e89b-12d3-a456-426614174000 → 0kIf1d4g6oxB30AzXg0mOiNa. Any other text (and "") is
// stored as it is. As in JavaScript, parseInt rules apply to each 8-character slice (a slice
// without leading hex digits gives "undefined").
func EncodeUUID(s string) string {
	if s == "" {
		return s
	}
	hex := strings.ReplaceAll(s, "-", "")
	if JSLength(hex) != 32 {
		return s
	}
	var b strings.Builder
	for i := 0; i < 32; i += 8 {
		b.WriteString(txtPadStart(EncodeInteger(txtParseInt(txtSlice16(hex, i, i+8), 16)), 6))
	}
	return b.String()
}

// DecodeUUID reads a stored `uuid`: a 24-character text without "-" is four 6-character base62
// numbers → canonical lowercase 8-4-4-4-12 (with JavaScript's slicing when a number exceeds 8 hex
// digits). Other text is returned unchanged, and so is a 24-character text with a character
// outside base62 (JavaScript shows NaN pieces).
func DecodeUUID(s string) string {
	if JSLength(s) != 24 || strings.Contains(s, "-") {
		return s
	}
	var hex strings.Builder
	for i := 0; i < 24; i += 6 {
		n, ok := DecodeInteger(txtSlice16(s, i, i+6))
		if !ok {
			return s
		}
		hex.WriteString(txtPadStart(txtHex(n), 8))
	}
	h := hex.String()
	part := func(a, b int) string { return h[min(a, len(h)):min(b, len(h))] }
	return part(0, 8) + "-" + part(8, 12) + "-" + part(12, 16) + "-" + part(16, 20) + "-" + part(20, 32)
}
