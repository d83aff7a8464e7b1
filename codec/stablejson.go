package codec

// StableJSON returns the text json-stable-stringify 1.3 (as used by s3db.js 21.6.2) produces for
// v: JSON.stringify's value text (see MarshalJS for numbers, strings and the Go types accepted)
// with the keys of every object sorted by UTF-16 code units, and no whitespace. s3db.js hashes
// this text for the versions[v].hash of s3db.json (§2.3 of the format), so the order must match
// JavaScript's default sort, not Go's byte order: the two differ only when a key holds
// characters above U+FFFF next to ones in U+E000–U+FFFF.
//
// A repeated name in an Ordered keeps its last value.
func StableJSON(v any) ([]byte, error) {
	e := jsEncoder{stable: true}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}
