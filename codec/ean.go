package codec

import (
	"math"
	"regexp"
)

var (
	eanLengths  = regexp.MustCompile(`^\d{8}$|^\d{12}$|^\d{13}$|^\d{14}$`)
	eanDigits   = regexp.MustCompile(`^\d{8,14}$`)
	eanPrefixes = map[int]string{8: "0", 12: "2", 13: "1", 14: "3"}
	eanLenOf    = map[byte]int{'0': 8, '1': 13, '2': 12, '3': 14}
)

// NormalizeEAN is s3db.js's `ean` validator: a string of 8, 12, 13 or 14 digits (EAN-8, UPC-A,
// EAN-13, GTIN-14) unchanged, or a non-negative integer number left-padded with zeros to 13
// digits. The check digit is not verified, as in JavaScript. Numbers of 10^14 and above are
// refused (JavaScript would store exponent texts such as 000000001e+21 that cannot be read back).
func NormalizeEAN(v any) (string, error) {
	const want = "expected 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13 or GTIN-14)"
	if s, ok := v.(string); ok {
		if eanLengths.MatchString(s) {
			return s, nil
		}
		return "", valueErr("ean", v, "not a barcode: %s", want)
	}
	f, ok := AsNumber(v)
	if !ok || f != math.Trunc(f) || f < 0 || math.IsInf(f, 0) {
		return "", valueErr("ean", v, "not a barcode: %s, as a string or a non-negative integer", want)
	}
	s := FormatNumber(f)
	if len(s) > 14 || !eanDigits.MatchString(txtPadStart(s, 13)) {
		return "", valueErr("ean", v, "number too large for a barcode: %s", want)
	}
	return txtPadStart(s, 13), nil
}

// EncodeEAN is the s3db.js mapper for `ean`: 8, 12, 13 or 14 digits → a length code (0, 2, 1, 3)
// followed by the base62 of the number: 4006381333931 → 118x8XMN5, 96385074 → 06wq9Y. Other text
// (including 9–11 digits) is stored as it is.
func EncodeEAN(s string) string {
	if !eanDigits.MatchString(s) {
		return s
	}
	prefix, ok := eanPrefixes[len(s)]
	if !ok {
		return s
	}
	return prefix + EncodeInteger(txtParseInt(s, 10))
}

// DecodeEAN reads a stored `ean`: a non-empty text starting with 0–3 that is not already 8–14
// digits is the length code and a base62 number → the number left-padded with zeros to 8, 13, 12
// or 14 digits. Other text, or a number part with a character outside base62, is returned
// unchanged.
func DecodeEAN(s string) string {
	if s == "" || s[0] < '0' || s[0] > '3' || eanDigits.MatchString(s) {
		return s
	}
	n, ok := DecodeInteger(s[1:])
	if !ok {
		return s
	}
	return txtPadStart(FormatNumber(n), eanLenOf[s[0]])
}
