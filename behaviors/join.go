package behaviors

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// Stored is a record as read back from S3, before unmapping: Fields holds the mapped fields (short
// keys, encoded values) of metadata and body merged, metadata winning; system names are lifted out.
type Stored struct {
	Fields    codec.Ordered     // in no particular order; names are unique
	Version   string            // _v as stored ("v1"); "" when absent
	Map       map[string]string // the attribute→key map of a body-only record (_map), nil otherwise
	Overflow  bool              // _overflow was set (body-overflow)
	Truncated bool              // _truncated was set (truncate-data): some values were cut
	// Content is true when the body is not a JSON object: binary content set on the record, not
	// part of its fields.
	Content bool
	// Rev is the write revision s3db-go keeps in the body ("_rev"), "" for objects written by
	// s3db.js. See package store.
	Rev string
	// Prev lists the random parts of the revisions before Rev that s3db-go keeps ("_prev"), newest
	// last, so that a writer can tell whether its write landed before others.
	Prev string
	// MetaDigest is the digest of the user metadata that s3db-go writes into the body ("_mh"), so
	// that a reader can tell a body from a different write than the metadata beside it.
	MetaDigest string
}

// Join reverses any behavior; a reader does not need to know which one wrote the object. headers
// are the user metadata as S3 returns them (lower-case names, encoded values).
func Join(headers map[string]string, body []byte) Stored {
	st := Stored{Fields: make(codec.Ordered, 0, len(headers))}
	for name, raw := range headers {
		text, kind := codec.DecodeMeta(raw)
		if kind == codec.MetaUndefined {
			continue // s3db.js's placeholder for a missing optional value
		}
		var v any = text
		if kind == codec.MetaNull {
			v = nil
		}
		if strings.HasPrefix(name, "_") {
			switch name {
			case "_v":
				st.Version = text
			case "_overflow":
				st.Overflow = text == flagValue
			case "_truncated":
				st.Truncated = text == flagValue
			case "_map":
				st.Map = parseKeyMap(text)
			}
			continue
		}
		st.Fields = append(st.Fields, codec.Member{Name: name, Value: v})
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return st
	}
	var obj map[string]any
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		st.Content = true
		return st
	}
	inMeta := make(map[string]bool, len(st.Fields))
	for _, m := range st.Fields {
		inMeta[m.Name] = true
	}
	for k, v := range obj {
		if strings.HasPrefix(k, "_") || strings.HasPrefix(k, "$") {
			switch {
			case k == "_v" && st.Version == "":
				st.Version, _ = v.(string)
			case k == "_rev":
				st.Rev, _ = v.(string)
			case k == "_prev":
				st.Prev, _ = v.(string)
			case k == "_mh":
				st.MetaDigest, _ = v.(string)
			}
			continue
		}
		if !inMeta[k] {
			st.Fields = append(st.Fields, codec.Member{Name: k, Value: v})
		}
	}
	return st
}

func parseKeyMap(text string) map[string]string {
	var raw map[string]any
	if json.Unmarshal([]byte(text), &raw) != nil {
		return nil
	}
	out := make(map[string]string, len(raw))
	for attr, key := range raw {
		if s, ok := key.(string); ok {
			out[attr] = s
		}
	}
	return out
}
