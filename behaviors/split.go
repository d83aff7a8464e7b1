package behaviors

import (
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
	return HeaderSize(s.Headers()) <= cfg.limit()+1
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
