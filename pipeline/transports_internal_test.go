package pipeline

import (
	"testing"
	"time"
)

// TestLinger: publish_linger left out (0) is the publisher's default, a negative value turns it off,
// anything else is taken as it is.
func TestLinger(t *testing.T) {
	const def = 5 * time.Millisecond
	for _, c := range []struct{ in, want time.Duration }{
		{0, def}, {-time.Millisecond, 0}, {20 * time.Millisecond, 20 * time.Millisecond},
	} {
		if got := linger(c.in, def); got != c.want {
			t.Errorf("linger(%v, %v) = %v, want %v", c.in, def, got, c.want)
		}
	}
}
