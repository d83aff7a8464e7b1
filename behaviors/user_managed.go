package behaviors

import "github.com/s3db-go/s3db/codec"

// userManaged keeps the whole record in metadata while it fits; otherwise metadata holds only _v
// and the body the whole mapped record (s3db.js also emits an exceedsLimit event).
type userManaged struct{}

func (userManaged) Name() string { return UserManaged }

func (b userManaged) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.split(mapped, cfg, false)
}

// Update uses the insert split (with the id in the overhead, as s3db.js counts it). s3db.js instead
// writes every field to metadata plus a long-name body, which S3 rejects for records that went to
// the body on insert; see docs/compatibility.md.
func (b userManaged) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.split(mapped, cfg, true)
}

func (userManaged) split(mapped codec.Ordered, cfg Config, withID bool) (Split, error) {
	if TotalSize(mapped) <= cfg.effectiveLimit(withID) {
		s := Split{Metadata: mapped}
		if s.fitsS3(cfg) {
			return s, nil
		}
	}
	body, err := jsonBody(mapped)
	if err != nil {
		return Split{}, err
	}
	return Split{
		Metadata:    codec.Ordered{{Name: "_v", Value: versionOf(mapped, cfg)}},
		Body:        body,
		ContentType: "application/json",
	}, nil
}
