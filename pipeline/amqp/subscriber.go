package amqp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/s3db-go/s3db/pipeline/internal/settle"
)

// Defaults of SubscriberConfig.
const (
	DefaultPrefetch          = 16
	DefaultCloseTimeout      = 10 * time.Second
	DefaultReconnectInitial  = 200 * time.Millisecond
	DefaultReconnectMax      = 10 * time.Second
	watermillUUIDHeader      = "_watermill_message_uuid"
	MetadataMessageID        = "amqp.message_id"
	MetadataRedelivered      = "amqp.redelivered"
	MetadataDeliveryAttempts = "amqp.delivery_count"
)

// SubscriberConfig configures a Subscriber.
type SubscriberConfig struct {
	// URL is the broker, amqp://user:pass@host:port/vhost (required).
	URL string
	// Prefetch is the number of deliveries handed out and not yet acknowledged (the channel's QoS):
	// how many messages of a queue can be handled at once. 0 means DefaultPrefetch.
	Prefetch int
	// DeadLetterQueue, when set, is declared (durable) and named in the arguments of every queue
	// this subscriber declares, so RabbitMQ moves rejected, expired and overflowing messages there.
	DeadLetterQueue string
	// CloseTimeout bounds how long Close waits for messages already handed out to be acked or nacked.
	// 0 means DefaultCloseTimeout.
	CloseTimeout time.Duration
	// ReconnectInitial and ReconnectMax bound the jittered exponential backoff between connection
	// attempts. 0 means the defaults.
	ReconnectInitial, ReconnectMax time.Duration
	// Logger; nil means none.
	Logger watermill.LoggerAdapter
}

func (c *SubscriberConfig) setDefaults() {
	if c.Prefetch == 0 {
		c.Prefetch = DefaultPrefetch
	}
	if c.CloseTimeout == 0 {
		c.CloseTimeout = DefaultCloseTimeout
	}
	if c.ReconnectInitial == 0 {
		c.ReconnectInitial = DefaultReconnectInitial
	}
	if c.ReconnectMax == 0 {
		c.ReconnectMax = DefaultReconnectMax
	}
	if c.Logger == nil {
		c.Logger = watermill.NopLogger{}
	}
}

// Validate reports the first invalid field.
func (c SubscriberConfig) Validate() error {
	c.setDefaults()
	switch {
	case c.URL == "":
		return errors.New("amqp subscriber: URL is required")
	case c.Prefetch < 1:
		return fmt.Errorf("amqp subscriber: Prefetch %d must be positive", c.Prefetch)
	case c.CloseTimeout < 0:
		return fmt.Errorf("amqp subscriber: CloseTimeout %v must not be negative", c.CloseTimeout)
	}
	return nil
}

// Subscriber consumes durable queues (the Watermill topic is the queue name).
type Subscriber struct {
	cfg     SubscriberConfig
	closing chan struct{}
	once    sync.Once
	wg      sync.WaitGroup // subscriptions
}

var _ message.Subscriber = (*Subscriber)(nil)

// NewSubscriber returns a Subscriber; it connects when Subscribe is called.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Subscriber{cfg: cfg, closing: make(chan struct{})}, nil
}

// Subscribe declares the queue topic (durable, with the dead-letter arguments; a queue that already
// exists with other arguments is consumed as it is) and consumes it until
// ctx ends or Close is called. The first connection must succeed (a wrong URL fails here); later
// connection losses are retried forever. Messages come in queue order, up to Prefetch unacknowledged.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	select {
	case <-s.closing:
		return nil, errors.New("amqp subscriber: closed")
	default:
	}
	conn, err := s.connect(topic)
	if err != nil {
		return nil, err
	}
	out := make(chan *message.Message)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		s.run(ctx, topic, conn, out)
	}()
	return out, nil
}

// Close stops every subscription: no new deliveries are taken, messages handed out get CloseTimeout to
// be acked or nacked, then the connections close (what is still unacked is redelivered by RabbitMQ).
func (s *Subscriber) Close() error {
	s.once.Do(func() { close(s.closing) })
	s.wg.Wait()
	return nil
}

// session is one connection with its consuming channel.
type session struct {
	conn       *amqp091.Connection
	ch         *amqp091.Channel
	deliveries <-chan amqp091.Delivery
	tag        string
}

func (s *session) close() {
	if s.ch != nil {
		_ = s.ch.Close()
	}
	if s.conn != nil {
		_ = s.conn.Close()
	}
}

// connect dials, declares the queues and starts consuming.
func (s *Subscriber) connect(queue string) (*session, error) {
	conn, err := amqp091.Dial(s.cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("amqp subscriber: connect: %w", err)
	}
	ss := &session{conn: conn, tag: "s3db-" + watermill.NewShortUUID()}
	fail := func(what string, err error) (*session, error) {
		ss.close()
		return nil, fmt.Errorf("amqp subscriber: %s: %w", what, err)
	}
	if ss.ch, err = conn.Channel(); err != nil {
		return fail("open channel", err)
	}
	if err := DeclareQueue(ss.ch, queue, s.cfg.DeadLetterQueue); err != nil {
		var ae *amqp091.Error
		if !errors.As(err, &ae) || ae.Code != amqp091.PreconditionFailed {
			return fail("declare queue", err)
		}
		// The queue exists with other arguments (made by a producer or by infrastructure code): use it
		// as it is. The 406 closed the channel; open another.
		if ss.ch, err = conn.Channel(); err != nil {
			return fail("open channel", err)
		}
		if _, err := ss.ch.QueueDeclarePassive(queue, true, false, false, false, nil); err != nil {
			return fail("declare queue", err)
		}
		s.cfg.Logger.Info("AMQP queue exists with other arguments; consuming it as it is, without the dead-letter arguments",
			watermill.LogFields{"queue": queue, "declare_error": ae.Error()})
	}
	if err := ss.ch.Qos(s.cfg.Prefetch, 0, false); err != nil {
		return fail("set prefetch", err)
	}
	if ss.deliveries, err = ss.ch.Consume(queue, ss.tag, false, false, false, false, nil); err != nil {
		return fail("consume "+queue, err)
	}
	return ss, nil
}

// DeclareQueue declares queue as durable; with deadLetter set, the dead-letter queue is declared too and
// named in queue's arguments. Declaring again with the same arguments is a no-op; a queue that exists
// with other arguments fails with an *amqp091.Error of code PreconditionFailed (and closes ch).
func DeclareQueue(ch *amqp091.Channel, queue, deadLetter string) error {
	var args amqp091.Table
	if deadLetter != "" && deadLetter != queue {
		if _, err := ch.QueueDeclare(deadLetter, true, false, false, false, nil); err != nil {
			return fmt.Errorf("declare dead-letter queue %s: %w", deadLetter, err)
		}
		args = amqp091.Table{"x-dead-letter-exchange": "", "x-dead-letter-routing-key": deadLetter}
	}
	if _, err := ch.QueueDeclare(queue, true, false, false, false, args); err != nil {
		return fmt.Errorf("declare queue %s: %w", queue, err)
	}
	return nil
}

// DeclareQueues connects to url and declares each queue (durable, no dead-letter arguments): call it
// for the topics a Publisher sends to, so that nothing published is dropped before a consumer exists.
func DeclareQueues(url string, queues ...string) error {
	conn, err := amqp091.Dial(url)
	if err != nil {
		return fmt.Errorf("amqp: connect: %w", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("amqp: open channel: %w", err)
	}
	defer ch.Close()
	for _, q := range queues {
		if err := DeclareQueue(ch, q, ""); err != nil {
			return err
		}
	}
	return nil
}

// run consumes through ss, and through new sessions after connection losses, until ctx ends or the
// subscriber closes.
func (s *Subscriber) run(ctx context.Context, queue string, ss *session, out chan<- *message.Message) {
	log := s.cfg.Logger.With(watermill.LogFields{"queue": queue})
	var inflight sync.WaitGroup
	backoff := s.cfg.ReconnectInitial
	for {
		lost := s.consume(ctx, ss, out, &inflight, log)
		if !lost {
			s.drain(ss, &inflight, log)
			return
		}
		// The connection broke: RabbitMQ requeues what was unacknowledged; acks still pending fail.
		ss.close()
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.closing:
				return
			case <-time.After(backoff/2 + rand.N(backoff/2+1)):
			}
			next, err := s.connect(queue)
			if err == nil {
				log.Info("AMQP consumer reconnected", nil)
				ss, backoff = next, s.cfg.ReconnectInitial
				break
			}
			log.Error("AMQP reconnect failed, retrying", err, watermill.LogFields{"backoff": backoff})
			backoff = min(2*backoff, s.cfg.ReconnectMax)
		}
	}
}

// consume forwards deliveries to out until the connection is lost (true) or ctx ends or the subscriber
// closes (false).
func (s *Subscriber) consume(ctx context.Context, ss *session, out chan<- *message.Message, inflight *sync.WaitGroup, log watermill.LoggerAdapter) bool {
	for {
		var d amqp091.Delivery
		var ok bool
		select {
		case d, ok = <-ss.deliveries:
			if !ok {
				return true
			}
		case <-ctx.Done():
			return false
		case <-s.closing:
			return false
		}
		settled := make(chan struct{})
		msg := toMessage(settle.With(ctx, settled), d)
		select {
		case out <- msg:
		case <-ctx.Done():
			_ = d.Nack(false, true)
			return false
		case <-s.closing:
			_ = d.Nack(false, true)
			return false
		}
		inflight.Add(1)
		go func() {
			defer inflight.Done()
			defer close(settled)
			var err error
			select {
			case <-msg.Acked():
				err = d.Ack(false)
			case <-msg.Nacked():
				err = d.Nack(false, true)
			}
			if err != nil {
				// The channel is gone; RabbitMQ redelivers the message.
				log.Debug("AMQP ack/nack failed; the message will be redelivered", watermill.LogFields{"err": err.Error()})
			}
		}()
	}
}

// drain stops new deliveries, waits up to CloseTimeout for the handed-out messages to settle, then
// closes the session. Deliveries prefetched but not handed out are requeued by the channel's close.
func (s *Subscriber) drain(ss *session, inflight *sync.WaitGroup, log watermill.LoggerAdapter) {
	_ = ss.ch.Cancel(ss.tag, false)
	done := make(chan struct{})
	go func() {
		inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(s.cfg.CloseTimeout):
		log.Info("AMQP close timeout: unacked messages will be redelivered", nil)
	}
	ss.close()
}

// toMessage makes a Watermill message of a delivery. Its UUID is the AMQP message-id property when set
// (any producer), else Watermill's UUID header (watermill-amqp publishers); headers become metadata.
func toMessage(ctx context.Context, d amqp091.Delivery) *message.Message {
	id := d.MessageId
	if id == "" {
		if v, ok := d.Headers[watermillUUIDHeader].(string); ok {
			id = v
		}
	}
	msg := message.NewMessage(id, d.Body)
	for k, v := range d.Headers {
		if k == watermillUUIDHeader {
			continue
		}
		if sv, ok := v.(string); ok {
			msg.Metadata.Set(k, sv)
		} else {
			msg.Metadata.Set(k, fmt.Sprint(v))
		}
	}
	if d.MessageId != "" {
		msg.Metadata.Set(MetadataMessageID, d.MessageId)
	}
	if d.Redelivered {
		msg.Metadata.Set(MetadataRedelivered, "true")
	}
	if d.CorrelationId != "" && msg.Metadata.Get("correlation_id") == "" {
		msg.Metadata.Set("correlation_id", d.CorrelationId)
	}
	msg.SetContext(ctx)
	return msg
}
