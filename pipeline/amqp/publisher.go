package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// DefaultConfirmTimeout bounds the wait for the broker's confirmation of a published message.
const DefaultConfirmTimeout = 30 * time.Second

// closeTimeout bounds the closing handshake of a dropped connection: a broker that stopped reading
// (a resource alarm) never answers it.
const closeTimeout = 5 * time.Second

// DefaultLinger is how long a group waits for more publishes while earlier groups await their
// confirms (WithLinger).
const DefaultLinger = 5 * time.Millisecond

// maxBatchMessages caps how many messages one group commit sends.
const maxBatchMessages = 256

// maxGroupsInFlight bounds the groups sent and not yet confirmed (at least 2: the awaiter's, and the one
// just written that waits to be handed over). Why more than one: the broker confirms
// a group after syncing it to disk, and the worker measured 17 ms of waiting per change event with one
// group at a time (a publish that came just after a group left waited for that group's confirms, then
// its own), longer than the store write itself.
const maxGroupsInFlight = 8

// ErrPublisherClosed is returned by Publish after Close.
var ErrPublisherClosed = errors.New("amqp publisher: closed")

// Publisher publishes to durable queues through the default exchange (the Watermill topic is the queue
// name) with persistent messages and publisher confirms: Publish returns nil only once the broker has
// confirmed every message. The AMQP message-id property carries the Watermill UUID, and the metadata
// travels as headers in watermill-amqp's format (its DefaultMarshaler), so watermill-amqp consumers
// read these messages too.
//
// Publishes are group-committed: one goroutine takes everything that concurrent Publish calls have
// queued and writes it in one system call (amqp091 flushes each publish on its own; the connection is
// corked for the group); another answers the group's calls as the broker's confirms come, while the
// next groups are sent (up to maxGroupsInFlight unconfirmed).
// Why: the worker's handlers each publish one change event and wait for its confirm; one write per
// group instead of per message saves system calls here and reads at the broker. BenchmarkPublish
// (32 goroutines, 400-byte messages) measures it against a publish-and-wait-per-call channel in the
// same run (docs/benchmarks.md).
//
// The linger (WithLinger, default DefaultLinger) applies under load only: with no group awaiting its
// confirms, a Publish goes out at once (no latency at low load); while one is, the next group waits
// the linger for more publishes, like Kafka's linger.ms. Why: the broker's cost is per burst more than
// per message. A persistent confirmed message on a classic queue
// cost RabbitMQ 3.10 ~400 µs of CPU sent alone at 1,000 msg/s, ~170 µs in bursts of 8 and ~100 µs in
// bursts of 32 (each burst is one hand-off between its processes and one disk sync). Without the
// linger the worker's handlers, which finish at scattered moments, made groups of 1.6–1.8 messages;
// with 5 ms, of 8–9, and RabbitMQ's CPU per change event fell by about 40 % (docs/benchmarks.md).
// Ending the linger as soon as the earlier groups were confirmed halved the groups (4–4.5) for a
// latency gain lost in the noise.
//
// Why not watermill-amqp's Publisher: in v3.0.2 its connection wrapper swaps a channel field without
// synchronisation when it reconnects (a data race the race detector reports), and its channel pool
// loses a channel each time reopening one fails, so a broker restart can leave every later Publish
// blocked. This one keeps one connection and one confirm-mode channel; any failure drops them, the
// group's Publish calls fail (the router nacks, the message comes again), and the next group
// reconnects.
//
// Declare the queues first (DeclareQueues): the default exchange drops messages for a queue that does
// not exist.
//
// RabbitMQ's resource alarms (memory or disk over its limit) pause publishing connections. The
// Publisher follows the broker's connection.blocked notifications: while blocked it sends nothing,
// and Publish calls fail with a *BlockedError once they have waited the confirm timeout; Blocked
// reports the state (the worker's /readyz shows it). No wait is unbounded: group writes have a
// deadline and a dropped connection's closing handshake too.
type Publisher struct {
	url            string
	log            watermill.LoggerAdapter
	marshaler      wamqp.DefaultMarshaler
	confirmTimeout time.Duration

	requests  chan *publishRequest
	ctx       context.Context // cancelled by Close
	cancel    context.CancelFunc
	done      chan struct{} // closed when the commit loop has ended
	closeOnce sync.Once

	// The connection belongs to the commit loop (and to NewPublisher before the loop starts).
	conn *amqp091.Connection
	cork *corkConn
	ch   *amqp091.Channel
	// block follows the flow control of the current connection (read by Blocked from any goroutine).
	block atomic.Pointer[blockState]

	linger     time.Duration
	publishers int32 // WithPublishers; 0: unknown
	// unconfirmed counts the groups sent and not yet answered, publishing the Publish calls under way.
	unconfirmed atomic.Int32
	publishing  atomic.Int32
}

// PublisherOption changes a Publisher's defaults.
type PublisherOption func(*Publisher)

// WithConfirmTimeout bounds how long Publish waits for its turn to be sent and then for the broker's
// confirms (default DefaultConfirmTimeout); a blocked broker is waited for as long.
func WithConfirmTimeout(d time.Duration) PublisherOption {
	return func(p *Publisher) {
		if d > 0 {
			p.confirmTimeout = d
		}
	}
}

// WithLinger sets how long a group waits for more publishes while earlier groups await their confirms
// (default DefaultLinger); 0 sends every group as soon as the previous one is written.
func WithLinger(d time.Duration) PublisherOption {
	return func(p *Publisher) { p.linger = max(d, 0) }
}

// WithPublishers tells the Publisher that at most n goroutines publish at once (the worker: its
// handlers), so that a lingering group leaves as soon as all n wait in Publish: no other publish can
// come. Without it, 32 goroutines that each publish and wait for the confirm, flat out, wait the
// linger every round.
func WithPublishers(n int) PublisherOption {
	return func(p *Publisher) { p.publishers = int32(max(n, 0)) }
}

// publishRequest is one Publish call waiting in the commit loop's queue.
type publishRequest struct {
	topic string
	msgs  []*message.Message
	pubs  []amqp091.Publishing
	err   chan error // buffered; receives the outcome once
}

var _ message.Publisher = (*Publisher)(nil)

// NewPublisher connects to url (so that a wrong URL fails here) and returns the Publisher.
func NewPublisher(url string, logger watermill.LoggerAdapter, opts ...PublisherOption) (*Publisher, error) {
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Publisher{url: url, log: logger, marshaler: wamqp.DefaultMarshaler{PostprocessPublishing: func(pub amqp091.Publishing) amqp091.Publishing {
		if id, ok := pub.Headers[watermillUUIDHeader].(string); ok {
			pub.MessageId = id
		}
		if c, ok := pub.Headers["correlation_id"].(string); ok {
			pub.CorrelationId = c
		}
		pub.ContentType = "application/json"
		return pub
	}},
		requests: make(chan *publishRequest),
		ctx:      ctx, cancel: cancel,
		done:           make(chan struct{}),
		confirmTimeout: DefaultConfirmTimeout,
		linger:         DefaultLinger,
	}
	for _, opt := range opts {
		opt(p)
	}
	if _, err := p.channel(); err != nil {
		cancel()
		return nil, err
	}
	go p.commitLoop()
	return p, nil
}

// Publish sends the messages to the queue topic and waits for the broker to confirm each. Publish is
// safe for concurrent use: concurrent calls are sent together and confirmed together. On an error, some
// of the messages may have been delivered (publish them again: consumers deduplicate by message id).
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	p.publishing.Add(1)
	defer p.publishing.Add(-1)
	req := &publishRequest{topic: topic, msgs: msgs, pubs: make([]amqp091.Publishing, len(msgs)), err: make(chan error, 1)}
	for i, m := range msgs {
		pub, err := p.marshaler.Marshal(m)
		if err != nil {
			return fmt.Errorf("amqp publisher: encode %s for %s: %w", m.UUID, topic, err)
		}
		req.pubs[i] = pub
	}
	timeout := time.NewTimer(p.confirmTimeout)
	defer timeout.Stop()
	select {
	case p.requests <- req:
	case <-p.ctx.Done():
		return ErrPublisherClosed
	case <-timeout.C:
		if b := p.block.Load().blocked(); b != nil {
			return b
		}
		return fmt.Errorf("amqp publisher: publish to %s: not sent within %v", topic, p.confirmTimeout)
	}
	return <-req.err // the commit loop always answers, also when it ends
}

// commitLoop takes the queued Publish calls and sends them group by group, until Close. A group sent
// goes to the awaiter, which answers its Publish calls as the confirms come, while the loop gathers
// and sends the next: up to maxGroupsInFlight groups wait for their confirms at once.
func (p *Publisher) commitLoop() {
	defer close(p.done)
	// The awaiter holds one group and the loop, once it has written the next, waits to hand it over:
	// the rest of maxGroupsInFlight is the buffer.
	sent := make(chan *sentGroup, maxGroupsInFlight-2)
	awaited := make(chan struct{})
	go func() {
		defer close(awaited)
		for g := range sent {
			p.await(g)
			p.unconfirmed.Add(-1)
		}
	}()
	defer func() {
		close(sent)
		<-awaited
		p.drop(nil)
	}()
	for {
		var group []*publishRequest
		select {
		case req := <-p.requests:
			group = append(group, req)
		case <-p.ctx.Done():
			return
		}
		group = p.gather(group)
		if g := p.commit(group); g != nil {
			p.unconfirmed.Add(1)
			sent <- g // waits while maxGroupsInFlight groups are unconfirmed: the next group grows meanwhile
		}
	}
}

// gather adds the queued Publish calls to group, up to maxBatchMessages. When an earlier group awaits
// its confirms it first waits the linger for more, unless every publisher (WithPublishers) is already
// waiting; otherwise it takes only what is already queued.
func (p *Publisher) gather(group []*publishRequest) []*publishRequest {
	n := len(group[0].msgs)
	var lingering <-chan time.Time
	if p.linger > 0 && p.unconfirmed.Load() > 0 && !p.allPublishing() {
		t := time.NewTimer(p.linger)
		defer t.Stop()
		lingering = t.C
	}
	for n < maxBatchMessages {
		var req *publishRequest
		if lingering == nil {
			select {
			case req = <-p.requests:
			default:
				return group
			}
		} else {
			select {
			case req = <-p.requests:
			case <-lingering:
				lingering = nil
				continue
			case <-p.ctx.Done():
				lingering = nil
				continue
			}
		}
		group = append(group, req)
		n += len(req.msgs)
		if p.allPublishing() {
			lingering = nil
		}
	}
	return group
}

// allPublishing reports whether every publisher that WithPublishers announced is in Publish.
func (p *Publisher) allPublishing() bool {
	return p.publishers > 0 && p.publishing.Load() >= p.publishers
}

// sentGroup is a group written to the broker, waiting for its confirms.
type sentGroup struct {
	reqs     []*publishRequest
	confirms [][]*amqp091.DeferredConfirmation // per request
	conn     *amqp091.Connection               // the connection it went out on
	ctx      context.Context                   // ends at the confirm timeout or Close
	cancel   context.CancelFunc
}

// commit sends a group's messages and returns it for the awaiter; when it could not be sent it answers
// the group's requests itself and returns nil. A failed send drops the connection, and the next group
// reconnects. While the broker blocks the connection, the group waits, and fails with the block when
// the confirm timeout passes first.
func (p *Publisher) commit(group []*publishRequest) *sentGroup {
	ctx, cancel := context.WithTimeout(p.ctx, p.confirmTimeout)
	fail := func(err error) *sentGroup {
		cancel()
		for _, req := range group {
			req.err <- err
		}
		return nil
	}
	if b := p.block.Load().wait(ctx); b != nil {
		if p.ctx.Err() != nil {
			return fail(ErrPublisherClosed)
		}
		return fail(b)
	}
	confirms, err := p.send(ctx, group)
	if err != nil {
		p.drop(err)
		return fail(err)
	}
	return &sentGroup{reqs: group, confirms: confirms, conn: p.conn, ctx: ctx, cancel: cancel}
}

// await answers a sent group's requests as their confirms come.
func (p *Publisher) await(g *sentGroup) {
	defer g.cancel()
	for i, req := range g.reqs {
		req.err <- p.awaitConfirms(g, req, g.confirms[i])
	}
}

// send writes a group's messages, corked so that they leave in one write, and returns their pending
// confirmations, request by request.
func (p *Publisher) send(ctx context.Context, group []*publishRequest) ([][]*amqp091.DeferredConfirmation, error) {
	ch, err := p.channel()
	if err != nil {
		return nil, err
	}
	confirms := make([][]*amqp091.DeferredConfirmation, len(group))
	p.cork.cork()
	for i, req := range group {
		for j, pub := range req.pubs {
			dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, "", req.topic, false, false, pub)
			if err != nil {
				_ = p.cork.uncork(p.confirmTimeout)
				return nil, fmt.Errorf("amqp publisher: publish %s to %s: %w", req.msgs[j].UUID, req.topic, err)
			}
			confirms[i] = append(confirms[i], dc)
		}
	}
	if err := p.cork.uncork(p.confirmTimeout); err != nil {
		return nil, fmt.Errorf("amqp publisher: publish to %s: %w", group[0].topic, err)
	}
	return confirms, nil
}

// awaitConfirms waits for the broker's confirmation of a request's messages; on a nack, a closed channel
// or the timeout it closes the group's connection (the commit loop then reconnects), except when the
// timeout comes while the broker blocks the connection: then the connection is kept (the broker
// confirms or drops the messages when the alarm clears) and the block is the error.
func (p *Publisher) awaitConfirms(g *sentGroup, req *publishRequest, confirms []*amqp091.DeferredConfirmation) error {
	for i, dc := range confirms {
		ok, err := dc.WaitContext(g.ctx)
		if err == nil && !ok {
			// A nack, or the channel closed before the confirmation came.
			err = errors.New("not confirmed by the broker")
		}
		if err != nil {
			if p.ctx.Err() != nil {
				err = ErrPublisherClosed
			} else if b := p.block.Load().blocked(); b != nil && errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("confirm %s to %s: %w", req.msgs[i].UUID, req.topic, b)
			}
			if !g.conn.IsClosed() {
				p.log.Info("AMQP publisher: closing the connection; the next publish reconnects", watermill.LogFields{"err": err.Error()})
				_ = g.conn.CloseDeadline(time.Now().Add(closeTimeout))
			}
			return fmt.Errorf("amqp publisher: confirm %s to %s: %w", req.msgs[i].UUID, req.topic, err)
		}
	}
	return nil
}

// channel returns the open confirm-mode channel, connecting first when needed.
func (p *Publisher) channel() (*amqp091.Channel, error) {
	if p.ctx.Err() != nil {
		return nil, ErrPublisherClosed
	}
	if p.ch != nil && !p.ch.IsClosed() {
		return p.ch, nil
	}
	p.drop(errors.New("channel closed"))
	conn, cork, err := dialCorked(p.url)
	if err != nil {
		return nil, fmt.Errorf("amqp publisher: connect: %w", err)
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("amqp publisher: open confirm channel: %w", err)
	}
	bs := &blockState{}
	go bs.watch(conn.NotifyBlocked(make(chan amqp091.Blocking, 1)), p.log)
	p.block.Store(bs)
	p.conn, p.cork, p.ch = conn, cork, ch
	return ch, nil
}

// drop closes the connection, if any; why names the failure that made it unusable (nil: closing).
func (p *Publisher) drop(why error) {
	if p.conn == nil {
		return
	}
	if why != nil {
		p.log.Info("AMQP publisher: connection dropped; the next publish reconnects", watermill.LogFields{"err": why.Error()})
	}
	// Bounded: a broker that stopped reading (a resource alarm) would never answer the close.
	_ = p.conn.CloseDeadline(time.Now().Add(closeTimeout))
	p.conn, p.cork, p.ch = nil, nil, nil
}

// Blocked returns a *BlockedError while RabbitMQ blocks the publisher's connection (a resource alarm
// on the broker), else nil.
func (p *Publisher) Blocked() error {
	if b := p.block.Load().blocked(); b != nil {
		return b
	}
	return nil
}

// WaitUnblocked returns nil as soon as RabbitMQ does not block the publisher's connection (at once when
// it does not), or the *BlockedError when ctx ends first. Why: a caller about to do work whose outcome
// it must publish (the worker, before a store write) waits here during a resource alarm, instead of
// doing the work, failing to publish it and being redelivered, again and again.
func (p *Publisher) WaitUnblocked(ctx context.Context) error {
	if b := p.block.Load().wait(ctx); b != nil {
		return b
	}
	return nil
}

// Close stops the Publisher: a Publish waiting for confirms fails with ErrPublisherClosed, later
// Publish calls fail too, and the connection is closed.
func (p *Publisher) Close() error {
	p.closeOnce.Do(func() {
		p.cancel()
		<-p.done
	})
	return nil
}
