package pipeline

import (
	"context"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/s3db-go/s3db/pipeline/internal/settle"
)

// KeyFunc returns the ordering key of a message; "" means the message orders with nothing.
type KeyFunc func(*message.Message) string

// KeyedSubscriber keeps the order of messages that share a key while letting the others run
// concurrently. It wraps a Subscriber that hands out several unacknowledged messages at once (SQS with
// MaxUnacked, pipeline/amqp with a prefetch): of the messages it receives, it passes on at most one per
// key at a time, and the next message of that key only once the previous one was acked or nacked. Other
// keys are never held up by a busy one (no head-of-line blocking), and the concurrency is what the
// inner subscriber allows.
//
// The order kept is the order the inner subscriber hands messages out. When a message is nacked, the
// messages of its key waiting behind it are nacked too, so that none of them overtakes it: its write
// may be in the store already with its change event unpublished (the publish failed), and the
// redelivery can only republish that event while the record is still at that write. RabbitMQ
// redelivers requeued messages in the order their nacks reach it, so the followers are nacked one at a
// time, each once the previous one's nack was sent (the transport tells when: pipeline/internal/settle); without that, a later
// update could come back first and be overwritten by an earlier one (seen in TestWorker_amqp_broker_alarm
// with a confirm timeout shorter than the alarm). Not covered: a message of the key delivered for the
// first time while its followers are still being nacked (it was not yet in the prefetch when the
// nack came) is passed on and may overtake them. On other transports redelivery reorders anyway (the
// store's revisions and TxIDs keep the effects right).
//
// Shutdown: the inner subscriber stops taking messages when the subscription's context ends or it is
// closed; the messages it had already handed out are still passed on and handled (a graceful stop
// finishes what it took, DESIGN §5), and the output channel closes once the inner one has closed and
// every message passed on has settled. The context of a message passed on does not carry the
// subscription's cancellation (the Router cancels it as soon as it starts closing).
type KeyedSubscriber struct {
	inner message.Subscriber
	key   KeyFunc
	limit int
}

// settleWait bounds the wait for a nack to be sent before the next one goes anyway.
const settleWait = 10 * time.Second

// NewKeyedSubscriber wraps inner, ordering by key, with at most limit messages passed on and not yet
// settled (0 means no limit but the inner subscriber's). Let the inner subscriber hand out more than
// limit (a lookahead): while a busy key's messages wait, the others still fill the limit.
func NewKeyedSubscriber(inner message.Subscriber, key KeyFunc, limit int) *KeyedSubscriber {
	return &KeyedSubscriber{inner: inner, key: key, limit: limit}
}

// Subscribe subscribes inner to topic and dispatches its messages by key.
func (k *KeyedSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	in, err := k.inner.Subscribe(ctx, topic)
	if err != nil {
		return nil, err
	}
	out := make(chan *message.Message)
	d := &dispatcher{key: k.key, limit: k.limit, in: in, out: out, done: make(chan settled),
		stop: make(chan struct{}), waiting: map[string][]*message.Message{}}
	go d.run()
	return out, nil
}

// Close closes the inner subscriber.
func (k *KeyedSubscriber) Close() error { return k.inner.Close() }

type keyed struct {
	msg *message.Message
	key string
}

type settled struct {
	msg    *message.Message
	key    string
	nacked bool
}

type dispatcher struct {
	key   KeyFunc
	limit int
	in    <-chan *message.Message
	out   chan *message.Message
	done  chan settled  // a passed-on message was acked or nacked
	stop  chan struct{} // closed when run returns, releases the watchers
	// waiting holds, for each key with a message passed on and not settled, the messages queued
	// behind it (possibly none).
	waiting  map[string][]*message.Message
	ready    []keyed // may be passed on now, in arrival order
	inflight int
	watchers sync.WaitGroup
}

func (d *dispatcher) run() {
	defer func() {
		close(d.stop)
		d.watchers.Wait()
		close(d.out)
	}()
	in := d.in
	for {
		if in == nil && len(d.ready) == 0 && d.inflight == 0 {
			return
		}
		var out chan *message.Message
		var next *message.Message
		if len(d.ready) > 0 && (d.limit <= 0 || d.inflight < d.limit) {
			out, next = d.out, d.ready[0].msg
		}
		select {
		case m, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			d.arrive(m)
		case out <- next:
			it := d.ready[0]
			d.ready = d.ready[1:]
			d.inflight++
			d.watch(it)
		case st := <-d.done:
			d.inflight--
			d.settle(st)
		}
	}
}

// arrive queues m behind its key's message in flight, or makes it ready.
func (d *dispatcher) arrive(m *message.Message) {
	key := d.key(m)
	if key == "" {
		d.push(keyed{m, ""})
		return
	}
	if q, busy := d.waiting[key]; busy {
		d.waiting[key] = append(q, m)
		return
	}
	d.waiting[key] = []*message.Message{}
	d.push(keyed{m, key})
}

// push makes a message ready to be passed on. The Router cancels the subscription's context as soon as
// it starts closing; a message already taken must still be finished (DESIGN §5), so its context keeps
// the values and drops the cancellation (each attempt is bounded by the handler timeout). It is set
// here, before the message can reach the receiver.
func (d *dispatcher) push(it keyed) {
	it.msg.SetContext(context.WithoutCancel(it.msg.Context()))
	d.ready = append(d.ready, it)
}

// settle releases the next message of the key, if any, or after a nack gives all of them back.
func (d *dispatcher) settle(st settled) {
	key := st.key
	if key == "" {
		return
	}
	q := d.waiting[key]
	if st.nacked {
		if len(q) > 0 {
			d.watchers.Add(1)
			go func(prev *message.Message, followers []*message.Message) {
				defer d.watchers.Done()
				d.nackInOrder(prev, followers)
			}(st.msg, q)
		}
		q = nil
	}
	if len(q) == 0 {
		delete(d.waiting, key)
		return
	}
	d.waiting[key] = q[1:]
	d.push(keyed{q[0], key})
}

// nackInOrder nacks followers one after the other, each once the nack of the one before (prev first)
// has been sent.
func (d *dispatcher) nackInOrder(prev *message.Message, followers []*message.Message) {
	for _, m := range followers {
		if ch := settle.Of(prev); ch != nil {
			select {
			case <-ch:
			case <-time.After(settleWait):
			}
		}
		m.Nack()
		prev = m
	}
}

// watch reports on d.done when it.msg is acked or nacked.
func (d *dispatcher) watch(it keyed) {
	d.watchers.Add(1)
	go func() {
		defer d.watchers.Done()
		st := settled{msg: it.msg, key: it.key}
		select {
		case <-it.msg.Acked():
		case <-it.msg.Nacked():
			st.nacked = true
		}
		select {
		case d.done <- st:
		case <-d.stop:
		}
	}()
}
