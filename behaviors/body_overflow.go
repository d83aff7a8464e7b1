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
	var fs fieldSizes
	fs.init(mapped)
	meta := make(codec.Ordered, 1, len(mapped)+1)
	meta[0] = codec.Member{Name: "_v", Value: version}
	var inMetaBuf [64]bool
	inMeta := inMetaBuf[:0]
	if len(fs.fields) > len(inMetaBuf) {
		inMeta = make([]bool, 0, len(fs.fields))
	}
	inMeta = inMeta[:len(fs.fields)]
	current := len(version)
	reserved := limit
	overflow := false
	for _, i := range fs.order {
		size := fs.size[i]
		if !overflow && current+size > limit {
			reserved -= overflowBytes
			overflow = true
		}
		if !overflow && current+size <= reserved {
			meta = append(meta, fs.fields[i])
			inMeta[i] = true
			current += size
			continue
		}
		overflow = true
	}
	// s3db.js counts sizes before the u:/b: text encoding; move the largest encoded fields to the
	// body until S3 will accept the headers.
	limitS3 := cfg.limit() + 1
	total := 0
	for {
		total = len("_v") + len(version)
		if overflow {
			total += len("_overflow") + len(flagValue)
		}
		largest, largestLen := -1, -1
		for _, i := range fs.order {
			if !inMeta[i] {
				continue
			}
			n := encodedLen(fs.fields[i], fs.plain[i])
			total += n
			if n > largestLen {
				largest, largestLen = int(i), n
			}
		}
		if total <= limitS3 || largest < 0 {
			break
		}
		inMeta[largest] = false
		overflow = true
	}
	meta = meta[:1]
	var body codec.Ordered
	for _, i := range fs.order {
		if inMeta[i] {
			meta = append(meta, fs.fields[i])
		} else {
			body = append(body, fs.fields[i])
		}
	}
	s := Split{Metadata: meta}
	if overflow {
		s.Metadata = append(meta, codec.Member{Name: overflowFlag, Value: flagValue})
	}
	if len(body) > 0 {
		b, err := jsonBody(body)
		if err != nil {
			return Split{}, err
		}
		s.Body, s.ContentType = b, "application/json"
	}
	if total > limitS3 {
		return Split{}, &MetadataLimitError{Behavior: BodyOverflow, Operation: "insert", Size: total, Limit: limitS3, Encoded: true}
	}
	return s, nil
}
