package behaviors

import (
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// Split is a record ready to be written: user metadata (names and values as s3db.js holds them
// before its S3 client encodes them) and an optional body.
type Split struct {
	Metadata    codec.Ordered
	Body        []byte
	ContentType string
}

// Headers is the user metadata as sent to S3: names sanitised and lower-cased, values in the
// u:/b:/d: text encoding. A later member wins when two names sanitise to the same header.
func (s Split) Headers() map[string]string {
	h := make(map[string]string, len(s.Metadata))
	for _, m := range s.Metadata {
		h[codec.SanitizeMetaName(m.Name)] = codec.EncodeMeta(m.Value)
	}
	return h
}

// HeaderSize is what S3 counts against its 2 KB limit: bytes of every name plus every value.
func HeaderSize(h map[string]string) int {
	n := 0
	for k, v := range h {
		n += len(k) + len(v)
	}
	return n
}

// fitsS3 reports whether the encoded metadata is within S3's limit (the budget plus one byte,
// 2048 for AWS).
func (s Split) fitsS3(cfg Config) bool {
	return encodedSize(s.Metadata) <= cfg.limit()+1
}

// encodedSize is HeaderSize(Headers()) without building the map. Printable ASCII text that needs
// no escaping is its own encoding (or longer than its dictionary form), so only other values are
// encoded to be measured; the result may overstate a dictionary-shortened value, never understate.
func encodedSize(meta codec.Ordered) int {
	n := 0
	for _, m := range meta {
		n += len(codec.SanitizeMetaName(m.Name))
		if s, ok := m.Value.(string); ok && plainMeta(s) {
			n += len(s)
			continue
		}
		n += len(codec.EncodeMeta(m.Value))
	}
	return n
}

// plainMeta reports text that EncodeMeta leaves as it is or shortens: printable ASCII that is not
// a reserved prefix or one of the texts null/undefined.
func plainMeta(s string) bool {
	if reservedMeta(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// reservedMeta reports texts that EncodeMeta escapes whatever their characters (d:, u:, b:, z:,
// z85: prefixes — any "x:" start is treated so — and the texts null and undefined).
func reservedMeta(s string) bool {
	return len(s) >= 2 && s[1] == ':' || strings.HasPrefix(s, "z85:") || s == "null" || s == "undefined"
}

func jsonBody(o codec.Ordered) ([]byte, error) {
	return codec.MarshalJS(o.JSOrder())
}

// without returns rec without the named member.
func without(rec codec.Ordered, name string) codec.Ordered {
	out := make(codec.Ordered, 0, len(rec))
	for _, m := range rec {
		if m.Name != name {
			out = append(out, m)
		}
	}
	return out
}
