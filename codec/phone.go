package codec

import (
	"regexp"
	"strings"
)

var phoneDigitsPattern = regexp.MustCompile(`^\d{7,15}$`)

// NormalizePhone is s3db.js's `phone` validator: spaces (any JavaScript whitespace), "-", "(", ")"
// and "." are removed, a "+" is added when missing, and 7–15 digits must follow: "+55 (11)
// 99999-8888" → +5511999998888.
//
// s3db.js stores the digits as one number, so leading zeros after "+" are lost (+0012345678 reads
// back as +12345678); such numbers (never valid E.164) are refused here.
func NormalizePhone(v any) (string, error) {
	if s, ok := v.(string); ok {
		digits := strings.Map(func(r rune) rune {
			if IsJSSpace(r) || r == '-' || r == '(' || r == ')' || r == '.' {
				return -1
			}
			return r
		}, s)
		withPlus := digits
		if !strings.HasPrefix(withPlus, "+") {
			withPlus = "+" + withPlus
		}
		if phoneDigitsPattern.MatchString(withPlus[1:]) {
			if withPlus[1] == '0' {
				return "", valueErr("phone", v, "the number after + must not start with 0 (s3db.js would drop the leading zeros)")
			}
			return withPlus, nil
		}
	}
	return "", valueErr("phone", v, "not a phone number of 7-15 digits in E.164 form (e.g. +5511999999999)")
}

// EncodePhone is the s3db.js mapper for `phone`: for text starting with "+", parseInt of the rest
// in base62 (+5511999998888 → 1z2ASgAw; text with no leading digits gives "undefined", as in
// JavaScript). Other text is stored as it is.
func EncodePhone(s string) string {
	if !strings.HasPrefix(s, "+") {
		return s
	}
	return EncodeInteger(txtParseInt(s[1:], 10))
}

// DecodePhone reads a stored `phone`: a non-empty text not starting with "+" is a base62 number →
// "+" and its decimal digits. Other text, or text with a character outside base62, is returned
// unchanged (JavaScript shows "+NaN").
func DecodePhone(s string) string {
	if s == "" || strings.HasPrefix(s, "+") {
		return s
	}
	n, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	return "+" + FormatNumber(n)
}
