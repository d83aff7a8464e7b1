package objstore

import (
	"path/filepath"
	"strings"
)

// On-disk layout of Dir. A key is split on "/"; every segment but the last is a directory, and the last
// is the object's file, so that keys "a" and "a/b" coexist (unlike on a posix S3 server):
//
//	key "a"            <root>/a%o
//	key "a/b"          <root>/a/b%o
//	key "a//b" "a/"    <root>/a/%e/b%o   <root>/a/%e%o
//
// Each segment is escaped: "%", "\", control bytes and DEL become %XX (upper-case hex); a segment that is
// "." or ".." is escaped whole ("%2E", "%2E%2E"), and the empty segment is "%e". So a key is never read as
// a file path: ".." is a name like any other and nothing can point outside the root. Internal files carry
// a "%" followed by a lower-case letter, which no escaped segment contains: "%o" ends an object file,
// "%w…" a temporary file, and the directory "%locks" holds the lock files.
const (
	objectSuffix = "%o"
	tempInfix    = "%w"
	emptySegment = "%e"
	locksDir     = "%locks"
	// maxSegmentBytes bounds an escaped segment so that it, its suffix and a temporary name fit in the
	// 255 bytes of a file name.
	maxSegmentBytes = 230
)

// escapeSegment returns the file name of one key segment (without suffix).
func escapeSegment(seg string) string {
	switch seg {
	case "":
		return emptySegment
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	if !strings.ContainsFunc(seg, needsEscape) {
		return seg
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(seg) + 8)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if needsEscape(rune(c)) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// needsEscape reports the bytes escaped in a segment. Bytes >= 0x80 (UTF-8) stay: file names take them.
func needsEscape(r rune) bool {
	return r < 0x20 || r == 0x7F || r == '%' || r == '\\'
}

// unescapeSegment is the inverse of escapeSegment; ok is false for a name escapeSegment cannot produce
// (internal files, foreign files), which listings skip.
func unescapeSegment(name string) (string, bool) {
	if name == emptySegment {
		return "", true
	}
	if !strings.Contains(name, "%") {
		return name, name != "" && name != "." && name != ".."
	}
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(name) {
			return "", false
		}
		hi, ok1 := upperHex(name[i+1])
		lo, ok2 := upperHex(name[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	seg := b.String()
	if escapeSegment(seg) != name { // only the canonical spelling of a segment is one
		return "", false
	}
	return seg, true
}

func upperHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// objectPath returns the directory and the file path of a full key, or ErrInvalidKey when a segment is
// too long for a file name.
func (d *Dir) objectPath(op, key, full string) (dir, file string, err error) {
	segs := strings.Split(full, "/")
	parts := make([]string, 0, len(segs)+1)
	parts = append(parts, d.root)
	for i, s := range segs {
		e := escapeSegment(s)
		if len(e) > maxSegmentBytes {
			return "", "", &Error{Op: op, Key: key, Kind: ErrInvalidKey,
				Hint: "the local-directory backend stores each /-separated part of a key as a file name: keep parts under 230 bytes (escaped)"}
		}
		if i == len(segs)-1 {
			dir = filepath.Join(parts...)
			return dir, filepath.Join(dir, e+objectSuffix), nil
		}
		parts = append(parts, e)
	}
	return "", "", newError(op, key, ErrInvalidKey, nil) // unreachable: Split returns at least one segment
}
