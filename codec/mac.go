package codec

import (
	"regexp"
	"strings"
)

var macHexPattern = regexp.MustCompile(`^[0-9a-f]{12}$`)

// NormalizeMAC is s3db.js's `mac` validator: ":", "-" and "." are removed, the rest lowercased,
// and 12 hexadecimal digits are returned as aa:bb:cc:dd:ee:ff. AA-BB-CC-DD-EE-FF and
// aabb.ccdd.eeff are accepted too.
func NormalizeMAC(v any) (string, error) {
	s, ok := v.(string)
	if ok {
		cleaned := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(s))
		if macHexPattern.MatchString(cleaned) {
			return macPairs(cleaned), nil
		}
	}
	return "", valueErr("mac", v, "not a MAC address of 12 hexadecimal digits (e.g. AA:BB:CC:DD:EE:FF)")
}

// macPairs is JavaScript's hex.match(/.{2}/g).join(":"): pairs of characters, a trailing odd
// character dropped.
func macPairs(hex string) string {
	pairs := make([]string, 0, len(hex)/2)
	for i := 0; i+2 <= len(hex); i += 2 {
		pairs = append(pairs, hex[i:i+2])
	}
	return strings.Join(pairs, ":")
}

// EncodeMAC is the s3db.js mapper for `mac`: without its colons, 12 characters are read as a
// hexadecimal number and written in base62 left-padded to 9: aa:bb:cc:dd:ee:ff → 0RiYGo9Lp.
// Other text is stored as it is.
func EncodeMAC(s string) string {
	if s == "" {
		return s
	}
	hex := strings.ReplaceAll(s, ":", "")
	if JSLength(hex) != 12 {
		return s
	}
	return txtPadStart(EncodeInteger(txtParseInt(hex, 16)), 9)
}

// DecodeMAC reads a stored `mac`: a 9-character text without ":" is a base62 number → 12 lowercase
// hexadecimal digits in colon-separated pairs. Other text, or text with a character outside
// base62, is returned unchanged.
func DecodeMAC(s string) string {
	if JSLength(s) != 9 || strings.Contains(s, ":") {
		return s
	}
	n, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	return macPairs(txtPadStart(txtHex(n), 12))
}
