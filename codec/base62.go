package codec

import "math"

// base62Alphabet is the digit order of s3db.js's base62 values: digit value 0 is '0', 61 is 'Z'.
const base62Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// jsUndefinedText is what s3db.js's base62 encoders return for NaN and ±Infinity; the metadata
// text "undefined" later reads back as an absent field.
const jsUndefinedText = "undefined"

// maxBase62Digits bounds the digits of any finite float64 in base 62 (62^173 > MaxFloat64).
const maxBase62Digits = 176

// base62Value returns the value of one base62 digit, or -1 for a byte outside the alphabet.
func base62Value(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 36
	}
	return -1
}

// EncodeInteger writes n as s3db.js's base62 integer (the `number|integer` type, datetimes and
// the other packed types): floor first, then digits of 0-9a-zA-Z; negatives are "-" followed by
// the digits of -floor(n), so -3.7 gives "-4". NaN and ±Infinity give the text "undefined".
//
// The arithmetic is float64, as in JavaScript, so values above 2^53 encode whatever the
// float64 holds. A positive value below 1 encodes as "" (JS checks n === 0 before flooring),
// which is why 1e-7 in a `number` attribute is stored as the empty string.
func EncodeInteger(n float64) string {
	var buf [maxBase62Digits + 1]byte
	return string(appendInteger(buf[:0], n))
}

// appendInteger appends the EncodeInteger text of n to dst.
func appendInteger(dst []byte, n float64) []byte {
	switch {
	case math.IsNaN(n) || math.IsInf(n, 0):
		return append(dst, jsUndefinedText...)
	case n == 0:
		return append(dst, '0')
	case n < 0:
		dst = append(dst, '-')
		n = -math.Floor(n)
	}
	return appendBase62Digits(dst, math.Floor(n))
}

// appendBase62Digits appends the base62 digits of the non-negative integral n, most significant
// first, using the same float64 operations as JavaScript (n % 62, Math.floor(n / 62)) so that
// values beyond 2^53 produce the same digits. Zero appends nothing. +Inf, which JavaScript
// would loop on forever, appends "undefined".
func appendBase62Digits(dst []byte, n float64) []byte {
	if math.IsInf(n, 0) {
		return append(dst, jsUndefinedText...)
	}
	var buf [maxBase62Digits]byte
	i := len(buf)
	if n < 1<<53 {
		// Below 2^53 the float64 steps are exact, so integer division gives the same digits
		// without math.Mod's cost.
		for u := uint64(n); u > 0; u /= 62 {
			i--
			buf[i] = base62Alphabet[u%62]
		}
		return append(dst, buf[i:]...)
	}
	for n > 0 && i > 0 {
		i--
		buf[i] = base62Alphabet[int(math.Mod(n, 62))]
		n = math.Floor(n / 62)
	}
	return append(dst, buf[i:]...)
}

// DecodeInteger reads a base62 integer as s3db.js does: "" is 0, a leading "-" negates (so "-"
// alone is -0), and any character outside 0-9a-zA-Z makes the result NaN with ok false. The
// value accumulates in float64 exactly like JavaScript's r = r * 62 + digit, so long texts lose
// precision or overflow to +Inf the same way.
func DecodeInteger(s string) (float64, bool) {
	return decodeSignedDigits(s)
}
