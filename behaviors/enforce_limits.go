package behaviors

import "github.com/s3db-go/s3db/codec"

// enforceLimits keeps everything in metadata and refuses records that do not fit.
type enforceLimits struct{}

func (enforceLimits) Name() string { return EnforceLimits }

func (b enforceLimits) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.split(mapped, cfg, "insert", false)
}

// Update checks with the id in the overhead, as s3db.js does. s3db.js also writes the mapped record
// as a JSON body on update; it carries nothing metadata does not, so it is not written.
func (b enforceLimits) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.split(mapped, cfg, "update", true)
}

func (enforceLimits) split(mapped codec.Ordered, cfg Config, op string, withID bool) (Split, error) {
	limit := cfg.effectiveLimit(withID)
	if total := TotalSize(mapped); total > limit {
		return Split{}, &MetadataLimitError{Behavior: EnforceLimits, Operation: op, Size: total, Limit: limit}
	}
	s := Split{Metadata: mapped}
	if !s.fitsS3(cfg) {
		return Split{}, &MetadataLimitError{Behavior: EnforceLimits, Operation: op, Size: HeaderSize(s.Headers()), Limit: cfg.limit() + 1, Encoded: true}
	}
	return s, nil
}
