package codec

import "strings"

// SanitizeMetaName returns the metadata name the s3db.js S3 client writes for a field name
// (§3.4 of the format): every UTF-16 code unit outside [A-Za-z0-9_-] becomes "_" (so a character
// above U+FFFF, two code units, becomes "__"; an invalid UTF-8 byte, read as U+FFFD, one "_"),
// then the result is lowercased. S3 lowercases names anyway; doing it here keeps Go's view of
// the names equal to what reads return.
func SanitizeMetaName(name string) string {
	clean := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			clean = false
			break
		}
	}
	if clean {
		return name // short keys and system names: nothing to change, nothing to allocate
	}
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + ('a' - 'A'))
			i++
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteByte(c)
			i++
		case c < 0x80:
			b.WriteByte('_')
			i++
		default:
			r, n := jsNextCodePoint(name, i)
			i += n
			b.WriteByte('_')
			if r >= 0x10000 {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}
