package codec

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// IDAlphabet is nanoid's URL alphabet, the 64 characters of s3db.js ids ([A-Za-z0-9_-] in
// nanoid's order). With exactly 64 symbols a random byte masked with 63 picks a symbol without bias.
const IDAlphabet = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"

// DefaultIDSize is the length of s3db.js's generated ids.
const DefaultIDSize = 22

// NewID returns a random id of size characters (DefaultIDSize when size ≤ 0) drawn from
// IDAlphabet with crypto/rand, one masked random byte per character, as nanoid does
// (e.g. "SGf7PWU5gDja_MWmsSln0t").
func NewID(size int) string {
	if size <= 0 {
		size = DefaultIDSize
	}
	buf := make([]byte, size)
	_, _ = rand.Read(buf) // crypto/rand.Read never returns an error (it crashes the program instead)
	for i, b := range buf {
		buf[i] = IDAlphabet[b&63]
	}
	return string(buf)
}

// unsafeIDChars are the characters s3db.js refuses in ids and partition values: "/" and "\"
// would add key segments, "=" would break the field=value segments of partition keys, "%"
// invites double-decoding.
const unsafeIDChars = `\/=%`

// ValidateID checks that id can be used as a record id (one S3 key segment). It rejects the
// empty string and ids containing "/", "\", "=" or "%"; the error wraps ErrInvalidID and its
// text is s3db.js's message for the first offending character:
// Invalid id: contains unsafe character '/'.
func ValidateID(id string) error {
	if id == "" {
		return &idError{msg: "Invalid id: must not be empty"}
	}
	if i := strings.IndexAny(id, unsafeIDChars); i >= 0 {
		return &idError{msg: fmt.Sprintf("Invalid id: contains unsafe character '%c'", id[i])}
	}
	return nil
}

// idError carries s3db.js's message text and matches ErrInvalidID.
type idError struct{ msg string }

func (e *idError) Error() string { return e.msg }
func (e *idError) Unwrap() error { return ErrInvalidID }
