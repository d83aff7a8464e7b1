package amqp

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingConn records the writes that reach the socket; failWith makes them fail.
type recordingConn struct {
	net.Conn
	writes   []string
	failWith error
	closed   bool
}

func (c *recordingConn) Write(p []byte) (int, error) {
	if c.failWith != nil {
		return 0, c.failWith
	}
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func (c *recordingConn) Close() error { c.closed = true; return nil }

func (c *recordingConn) SetWriteDeadline(time.Time) error { return nil }

func TestCorkConn_holds_writes_until_uncorked(t *testing.T) {
	rec := &recordingConn{}
	c := &corkConn{Conn: rec}

	_, err := c.Write([]byte("a"))
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, rec.writes, "uncorked writes go straight through")

	c.cork()
	for _, s := range []string{"b", "c", "d"} {
		n, err := c.Write([]byte(s))
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	}
	assert.Equal(t, []string{"a"}, rec.writes, "corked writes are held")
	require.NoError(t, c.uncork(time.Second))
	assert.Equal(t, []string{"a", "bcd"}, rec.writes, "held writes leave as one")

	c.cork()
	require.NoError(t, c.uncork(time.Second))
	assert.Equal(t, []string{"a", "bcd"}, rec.writes, "nothing held, nothing written")

	_, err = c.Write([]byte("e"))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "bcd", "e"}, rec.writes, "uncorked again")
}

func TestCorkConn_failed_write_closes_and_sticks(t *testing.T) {
	boom := errors.New("connection reset")
	rec := &recordingConn{}
	c := &corkConn{Conn: rec}
	c.cork()
	_, err := c.Write([]byte("held"))
	require.NoError(t, err)
	rec.failWith = boom
	assert.ErrorIs(t, c.uncork(time.Second), boom)
	assert.True(t, rec.closed, "a failed write closes the connection, so that amqp091's reader notices")

	rec.failWith = nil
	_, err = c.Write([]byte("later"))
	assert.ErrorIs(t, err, boom, "later writes fail: part of a frame may be lost, the stream is broken")
	c.cork()
	_, err = c.Write([]byte("later"))
	assert.ErrorIs(t, err, boom)
	assert.ErrorIs(t, c.uncork(time.Second), boom)
	assert.Empty(t, rec.writes)
}

// A broker under a resource alarm stops reading: a group's write must give up at its deadline (and
// close the connection) instead of waiting for as long as the alarm lasts.
func TestCorkConn_uncork_gives_up_at_the_deadline(t *testing.T) {
	ours, broker := net.Pipe() // unbuffered: a write waits until the other end reads, which it never does
	defer broker.Close()
	c := &corkConn{Conn: ours}
	c.cork()
	_, err := c.Write([]byte("publish"))
	require.NoError(t, err)

	start := time.Now()
	err = c.uncork(100 * time.Millisecond)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
	_, err = c.Write([]byte("heartbeat"))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded, "the connection is unusable after a partial write")
}
