package behaviors_test

import (
	"strings"
	"testing"
	"time"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
)

// Large and awkward values (multi-byte, control characters, astral) are split in bounded time:
// the encoded-size loops must not degrade into per-byte work.
func TestSplitLargeValuesIsBounded(t *testing.T) {
	for _, name := range behaviors.Names() {
		beh, _ := behaviors.Lookup(name)
		for _, v := range []string{strings.Repeat("日", 50000), strings.Repeat("\x01", 50000), strings.Repeat("é", 100000), strings.Repeat("a😀", 30000)} {
			m := codec.Ordered{{Name: "_v", Value: "v1"}, {Name: "0", Value: v}, {Name: "1", Value: v[:len(v)/2]}, {Name: "2", Value: "x"}}
			start := time.Now()
			beh.Insert(m, behaviors.Config{MapJSON: "{}"})
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("%s: %v for %d bytes", name, d, len(v))
			}
		}
	}
}
