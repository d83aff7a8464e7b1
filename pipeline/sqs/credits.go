package sqs

import "sync"

// credits bound a subscription's in-flight messages: a receiver takes one credit per message it may
// receive and each settled message gives one back.
type credits struct {
	mu     sync.Mutex
	cond   *sync.Cond
	free   int
	batch  int // what a receiver asks for: waking it for less is useless unless the output is idle
	closed bool
}

func newCredits(n, batch int) *credits {
	c := &credits{free: n, batch: batch}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// take waits until want credits are free, or at least one is free and idle reports that no received
// message is waiting for delivery (better a small receive than a starving consumer), and takes as many as
// it can up to want. It returns 0 once the credits are closed.
func (c *credits) take(want int, idle func() bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.closed && c.free < want && (c.free == 0 || !idle()) {
		c.cond.Wait()
	}
	if c.closed {
		return 0
	}
	n := min(want, c.free)
	c.free -= n
	return n
}

// give returns n credits. Waiting receivers are woken only when the credits cross a threshold that can
// let one proceed (from none to some, or up to a full batch), not at every settled message.
func (c *credits) give(n int) {
	if n <= 0 {
		return
	}
	c.mu.Lock()
	before := c.free
	c.free += n
	wake := before == 0 || (before < c.batch && c.free >= c.batch)
	c.mu.Unlock()
	if wake {
		c.cond.Broadcast()
	}
}

// wake makes waiting receivers check idle again.
func (c *credits) wake() {
	c.mu.Lock() // orders this wake-up after the check of a receiver about to wait
	defer c.mu.Unlock()
	c.cond.Broadcast()
}

// close makes take return 0, now and later.
func (c *credits) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cond.Broadcast()
}
