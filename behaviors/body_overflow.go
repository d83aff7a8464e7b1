package behaviors

import (
	"github.com/s3db-go/s3db/codec"
)

// bodyOverflow fills metadata with the smallest fields first and moves the rest to a JSON body,
// marking the record with $overflow.
type bodyOverflow struct{}

func (bodyOverflow) Name() string { return BodyOverflow }

// Update is the insert split: s3db.js does the same.
func (b bodyOverflow) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.Insert(mapped, cfg)
}

func (bodyOverflow) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	version := versionOf(mapped, cfg)
	limit := cfg.effectiveLimit(false)
	meta := codec.Ordered{{Name: "_v", Value: version}}
	current := len(version)
	var body codec.Ordered
	reserved := limit
	overflow := false
	for _, f := range bySize(mapped) {
		if !overflow && current+f.size > limit {
			reserved -= overflowBytes
			overflow = true
		}
		if !overflow && current+f.size <= reserved {
			meta = append(meta, f.Member)
			current += f.size
			continue
		}
		body = append(body, f.Member)
		overflow = true
	}
	// s3db.js counts sizes before the u:/b: text encoding; move the largest encoded fields on until
	// S3 will accept the headers.
	for {
		s := Split{Metadata: withFlag(meta, overflow)}
		if s.fitsS3(cfg) {
			break
		}
		i := largestEncoded(meta)
		if i < 0 {
			break
		}
		body = append(body, meta[i])
		meta = append(meta[:i:i], meta[i+1:]...)
		overflow = true
	}
	s := Split{Metadata: withFlag(meta, overflow)}
	if len(body) > 0 {
		b, err := jsonBody(body)
		if err != nil {
			return Split{}, err
		}
		s.Body, s.ContentType = b, "application/json"
	}
	if !s.fitsS3(cfg) {
		return Split{}, &MetadataLimitError{Behavior: BodyOverflow, Operation: "insert", Size: HeaderSize(s.Headers()), Limit: cfg.limit() + 1, Encoded: true}
	}
	return s, nil
}

func withFlag(meta codec.Ordered, overflow bool) codec.Ordered {
	if !overflow {
		return meta
	}
	out := make(codec.Ordered, len(meta), len(meta)+1)
	copy(out, meta)
	return append(out, codec.Member{Name: overflowFlag, Value: flagValue})
}

// largestEncoded is the index of the user field whose encoded header is largest, or -1.
func largestEncoded(meta codec.Ordered) int {
	best, bestSize := -1, -1
	for i, m := range meta {
		if m.Name == "_v" {
			continue
		}
		n := len(codec.SanitizeMetaName(m.Name)) + len(codec.EncodeMeta(m.Value))
		if n > bestSize {
			best, bestSize = i, n
		}
	}
	return best
}
