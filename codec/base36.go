package codec

import "math"

// base36Alphabet is the digit order of metadata keys. Keys are lowercase so that S3's
// lowercasing of metadata names cannot make two keys collide.
const base36Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// maxExactIndex is the largest integer a JavaScript number holds exactly (2^53).
const maxExactIndex = 1 << 53

// EncodeKey turns an attribute index of the schema registry into its metadata key (§3.2 of the
// format): base36 with the alphabet 0-9a-z, so 0 → "0", 35 → "z", 36 → "10", 1296 → "100".
// Negative indexes never occur; like s3db.js they encode as "-" followed by the digits.
func EncodeKey(index int) string {
	if index == 0 {
		return "0"
	}
	var buf [72]byte
	i := len(buf)
	u := uint64(index)
	if index < 0 {
		u = -u // two's complement negation also covers math.MinInt64
	}
	for u > 0 {
		i--
		buf[i] = base36Alphabet[u%36]
		u /= 36
	}
	if index < 0 {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// DecodeKey reads a base36 metadata key back into its index, as s3db.js's decodeKey does: ""
// is 0 and a leading "-" negates. It reports false for characters outside 0-9a-z (uppercase
// included, since keys are lowercase) and for values JavaScript could not hold exactly (above
// 2^53).
func DecodeKey(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	negative := s[0] == '-'
	if negative {
		s = s[1:]
	}
	r := uint64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'z':
			d = uint64(c-'a') + 10
		default:
			return 0, false
		}
		if r > (maxExactIndex-d)/36 {
			return 0, false
		}
		r = r*36 + d
	}
	if r > math.MaxInt {
		return 0, false
	}
	if negative {
		return -int(r), true
	}
	return int(r), true
}
