package behaviors_test

import (
	"fmt"
	"strings"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
)

// A record too big for S3 metadata under body-overflow: the smallest fields stay in metadata, the
// rest go to a JSON body, and Join reads either form back.
func Example() {
	mapped := codec.Ordered{
		{Name: "0", Value: "Ada"},
		{Name: "1", Value: strings.Repeat("x", 3000)},
		{Name: "_v", Value: "v1"},
	}
	b, _ := behaviors.Lookup(behaviors.BodyOverflow)
	split, _ := b.Insert(mapped, behaviors.Config{Version: "v1"})
	h := split.Headers()
	fmt.Println(h["0"], h["_overflow"], split.ContentType, len(split.Body))

	st := behaviors.Join(h, split.Body)
	fmt.Println(st.Version, st.Overflow, len(st.Fields))
	// Output:
	// Ada true application/json 3008
	// v1 true 2
}

// enforce-limits refuses what does not fit, before anything is written.
func Example_enforceLimits() {
	b, _ := behaviors.Lookup(behaviors.EnforceLimits)
	_, err := b.Insert(codec.Ordered{{Name: "0", Value: strings.Repeat("é", 1000)}, {Name: "_v", Value: "v1"}}, behaviors.Config{})
	fmt.Println(err != nil, strings.Contains(err.Error(), "encoded metadata"))
	// Output: true true
}
