package amqp

import (
	"net"
	"sync"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// Connection settings of amqp091.Dial, which dialCorked keeps.
const (
	dialTimeout      = 30 * time.Second
	defaultHeartbeat = 10 * time.Second
)

// corkConn holds what is written to it while corked and sends it in one write when uncorked, like
// Linux's TCP_CORK but without a system call per frame. Why: amqp091 flushes every publish on its own
// (three frames, one write system call each), so a group of publishes reached the broker as that many
// TCP segments, each read and handled apart; corked, a group costs one write here and one read there.
type corkConn struct {
	net.Conn
	mu     sync.Mutex
	corked bool
	buf    []byte
	err    error // the first failed write: the connection is closed and every later write fails
	writes int   // writes sent to the socket (the tests read it)
}

// dialCorked connects to url like amqp091.Dial (same heartbeat, locale and timeouts) over a corkConn.
func dialCorked(url string) (*amqp091.Connection, *corkConn, error) {
	var cc *corkConn
	dial := amqp091.DefaultDial(dialTimeout)
	conn, err := amqp091.DialConfig(url, amqp091.Config{
		Heartbeat: defaultHeartbeat,
		Locale:    "en_US",
		Dial: func(network, addr string) (net.Conn, error) {
			c, err := dial(network, addr)
			if err != nil {
				return nil, err
			}
			cc = &corkConn{Conn: c}
			return cc, nil
		},
	})
	if err != nil {
		return nil, nil, err
	}
	return conn, cc, nil
}

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	if c.corked {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	return c.write(p)
}

// write sends p; c.mu is held.
func (c *corkConn) write(p []byte) (int, error) {
	c.writes++
	n, err := c.Conn.Write(p)
	if err != nil {
		c.err = err
		_ = c.Conn.Close() // amqp091's reader sees the close and fails what waits on the connection
	}
	return n, err
}

// cork holds the writes that follow until uncork.
func (c *corkConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork sends what was held in one write, waiting at most timeout (a broker under a resource alarm
// stops reading, and the socket's buffers fill); an error means it was not all sent and the connection
// is closed.
func (c *corkConn) uncork(timeout time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	if c.err != nil || len(c.buf) == 0 {
		c.buf = c.buf[:0]
		return c.err
	}
	_ = c.Conn.SetWriteDeadline(time.Now().Add(timeout))
	_, err := c.write(c.buf)
	_ = c.Conn.SetWriteDeadline(time.Time{})
	if cap(c.buf) > 1<<20 {
		c.buf = nil // do not keep a large group's buffer
	} else {
		c.buf = c.buf[:0]
	}
	return err
}
