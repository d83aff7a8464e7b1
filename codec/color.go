package codec

import (
	"regexp"
	"strings"
)

var (
	colorHex3 = regexp.MustCompile(`^[0-9a-f]{3}$`)
	colorHex6 = regexp.MustCompile(`^[0-9a-f]{6}$`)
)

// NormalizeColor is s3db.js's `color` validator: a hexadecimal RGB colour with or without "#",
// 3 or 6 digits, any case, returned as "#" and 6 lowercase digits (F80 → #ff8800).
func NormalizeColor(v any) (string, error) {
	if s, ok := v.(string); ok {
		hex := strings.ToLower(strings.TrimPrefix(s, "#"))
		if colorHex3.MatchString(hex) {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if colorHex6.MatchString(hex) {
			return "#" + hex, nil
		}
	}
	return "", valueErr("color", v, "not a hexadecimal colour of 3 or 6 digits (e.g. #FF5733 or #F57)")
}

// EncodeColor is the s3db.js mapper for `color`: "#" followed by 6 characters is read as a
// hexadecimal number and written in base62 left-padded to 5: #ff8800 → 18gwM. Other text is
// stored as it is.
func EncodeColor(s string) string {
	if !strings.HasPrefix(s, "#") || JSLength(s) != 7 {
		return s
	}
	return txtPadStart(EncodeInteger(txtParseInt(s[1:], 16)), 5)
}

// DecodeColor reads a stored `color`: a 5-character text not starting with "#" is a base62
// number → "#" and at least 6 lowercase hexadecimal digits. Other text, or text with a character
// outside base62, is returned unchanged.
func DecodeColor(s string) string {
	if JSLength(s) != 5 || strings.HasPrefix(s, "#") {
		return s
	}
	n, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	return "#" + txtPadStart(txtHex(n), 6)
}
