package behaviors

import (
	"errors"
	"fmt"
)

// ErrUnknownBehavior is returned by Lookup for a name that is not a behavior.
var ErrUnknownBehavior = errors.New("unknown behavior")

// ErrMetadataLimit matches every MetadataLimitError.
var ErrMetadataLimit = errors.New("metadata size exceeds the S3 limit")

// MetadataLimitError says a record does not fit in S3 user metadata under a behavior that does not
// move data to the body. Nothing has been written when it is returned.
type MetadataLimitError struct {
	Behavior  string
	Operation string // insert or update
	Size      int    // bytes the record needs
	Limit     int    // bytes available
	Encoded   bool   // true when the size is of the encoded headers (u:/b: expansion)
}

func (e *MetadataLimitError) Error() string {
	what := "mapped record"
	if e.Encoded {
		what = "encoded metadata"
	}
	return fmt.Sprintf("Metadata size exceeds 2KB limit on %s: %s is %d bytes, %d allowed (%d over) with behavior %s; "+
		"shorten the largest fields, or use behavior body-overflow to store what does not fit in the object body",
		e.Operation, what, e.Size, e.Limit, e.Size-e.Limit, e.Behavior)
}

// Is makes errors.Is(err, ErrMetadataLimit) true.
func (e *MetadataLimitError) Is(target error) bool { return target == ErrMetadataLimit }
