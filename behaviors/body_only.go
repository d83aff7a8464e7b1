package behaviors

import "github.com/s3db-go/s3db/codec"

// bodyOnly stores the mapped record in the body; metadata carries only _v and the key map (_map),
// so a reader can decode the body even after the schema changed.
type bodyOnly struct{}

func (bodyOnly) Name() string { return BodyOnly }

func (b bodyOnly) Update(mapped codec.Ordered, cfg Config) (Split, error) {
	return b.Insert(mapped, cfg)
}

func (bodyOnly) Insert(mapped codec.Ordered, cfg Config) (Split, error) {
	mapJSON := cfg.MapJSON
	if mapJSON == "" {
		mapJSON = "{}"
	}
	body, err := jsonBody(mapped)
	if err != nil {
		return Split{}, err
	}
	s := Split{
		Metadata:    codec.Ordered{{Name: "_v", Value: versionOf(mapped, cfg)}, {Name: "_map", Value: mapJSON}},
		Body:        body,
		ContentType: "application/json",
	}
	if !s.fitsS3(cfg) {
		return Split{}, &MetadataLimitError{Behavior: BodyOnly, Operation: "insert", Size: HeaderSize(s.Headers()), Limit: cfg.limit() + 1, Encoded: true}
	}
	return s, nil
}
