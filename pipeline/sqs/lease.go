package sqs

import (
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// inflight is a message received from SQS and not yet settled (acked, nacked or released).
type inflight struct {
	msg     *message.Message
	receipt string
	count   int    // ApproximateReceiveCount
	group   string // MessageGroupId, FIFO only

	// guarded by leases.mu
	deadline  time.Time // when SQS makes it visible again unless renewed (a conservative estimate)
	handedOut bool      // sent on the output channel
	dropped   bool      // released before delivery (FIFO group released after a nack)
}

// leases is the set of a subscription's in-flight messages: what the heartbeat renews and what closing
// releases.
type leases struct {
	mu  sync.Mutex
	set map[*inflight]struct{}
}

func newLeases() *leases { return &leases{set: map[*inflight]struct{}{}} }

func (l *leases) add(f *inflight) {
	l.mu.Lock()
	l.set[f] = struct{}{}
	l.mu.Unlock()
}

func (l *leases) remove(f *inflight) {
	l.mu.Lock()
	delete(l.set, f)
	l.mu.Unlock()
}

// claim marks f as handed out, unless it was dropped meanwhile.
func (l *leases) claim(f *inflight) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f.dropped {
		return false
	}
	f.handedOut = true
	return true
}

// unclaim undoes claim when the message could not be handed out after all.
func (l *leases) unclaim(f *inflight) {
	l.mu.Lock()
	f.handedOut = false
	l.mu.Unlock()
}

// renew returns the leases that expire before horizon and records their new deadline, which the caller
// is about to set with SQS.
func (l *leases) renew(horizon, deadline time.Time) []*inflight {
	l.mu.Lock()
	defer l.mu.Unlock()
	var due []*inflight
	for f := range l.set {
		if f.deadline.Before(horizon) {
			f.deadline = deadline
			due = append(due, f)
		}
	}
	return due
}

// takeUndelivered removes and returns the messages not handed out: closing releases them.
func (l *leases) takeUndelivered() []*inflight {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*inflight
	for f := range l.set {
		if !f.handedOut {
			f.dropped = true
			delete(l.set, f)
			out = append(out, f)
		}
	}
	return out
}

// dropGroup removes and returns the messages of a FIFO group not handed out yet: after a nack they must
// not overtake the nacked message.
func (l *leases) dropGroup(group string) []*inflight {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*inflight
	for f := range l.set {
		if f.group == group && !f.handedOut {
			f.dropped = true
			delete(l.set, f)
			out = append(out, f)
		}
	}
	return out
}

// len is the number of in-flight messages.
func (l *leases) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.set)
}
