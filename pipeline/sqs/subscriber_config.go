package sqs

import (
	"time"

	"github.com/ThreeDotsLabs/watermill"
)

// Defaults of SubscriberConfig.
const (
	// DefaultWaitTime is the long-poll duration of ReceiveMessage, SQS's maximum: fewest empty receives.
	DefaultWaitTime = 20 * time.Second
	// DefaultVisibilityTimeout is the lease a received message gets. The heartbeat renews it while the
	// message is buffered or handled, so it only bounds how long a crashed consumer's messages stay hidden.
	DefaultVisibilityTimeout = 30 * time.Second
	// DefaultMaxInFlightPerReceiver is MaxInFlight's default per receiver: one full ReceiveMessage answer.
	DefaultMaxInFlightPerReceiver = 10
	// DefaultAckBatchInterval is how long an acknowledged message may wait for others to share its
	// DeleteMessageBatch request.
	DefaultAckBatchInterval = 100 * time.Millisecond
	// DefaultCloseTimeout is how long closing waits for messages already handed out to be acked or nacked.
	DefaultCloseTimeout = 10 * time.Second
	// DefaultNackInitial and DefaultNackMax make the default NackBackoff.
	DefaultNackInitial = time.Second
	DefaultNackMax     = 5 * time.Minute
)

// NoWait, as SubscriberConfig.WaitTime, makes ReceiveMessage return at once (short polling); as
// SubscriberConfig.CloseTimeout, closing does not wait for unacknowledged messages; as
// SubscriberConfig.AckBatchInterval, every ack is deleted at once.
const NoWait time.Duration = -1

// SubscriberConfig configures a Subscriber. The zero value of every field but Client is a sensible
// default. Durations sent to SQS are whole seconds and rounded up.
type SubscriberConfig struct {
	// Client is the SQS client (required): an *sqs.Client from NewClient or the application's own.
	Client API
	// Queues says how topics become queue URLs, and whether missing queues are created.
	Queues QueueConfig

	// WaitTime is ReceiveMessage's long-poll duration, 1 s to 20 s; 0 means DefaultWaitTime and NoWait means
	// short polling. Closing does not wait for a long poll: it is cancelled.
	WaitTime time.Duration
	// VisibilityTimeout is the lease each received message gets (ReceiveMessage's VisibilityTimeout), 1 s to
	// 12 h; 0 means DefaultVisibilityTimeout. The heartbeat keeps renewing it while the message is in flight,
	// so a handler may run longer than this. When a consumer dies, its messages reappear after at most this.
	VisibilityTimeout time.Duration
	// HeartbeatInterval is how often the leases of in-flight messages are renewed (with
	// ChangeMessageVisibilityBatch); 0 means a third of VisibilityTimeout. It must be below
	// VisibilityTimeout; a lease is renewed once less than two intervals of it remain.
	HeartbeatInterval time.Duration

	// Receivers is the number of concurrent ReceiveMessage calls per subscription; 0 means 1.
	Receivers int
	// MaxInFlight bounds the messages of one subscription received from SQS and not yet acked or nacked,
	// whether waiting in memory or handed out; 0 means 10 per receiver. Receivers ask for no more messages
	// than the free room (at most 10 per call), and wait for a full call's worth unless the output is idle.
	MaxInFlight int
	// MaxUnacked is the number of messages of one subscription handed out on its channel and not yet
	// acked or nacked; 0 means 1, watermill's contract: the next message comes after Ack or Nack of the
	// previous one. A watermill Router runs each message in its own goroutine, so MaxUnacked is also the
	// number of handlers running at once. It must not exceed MaxInFlight.
	MaxUnacked int

	// NackBackoff is how long a nacked message stays invisible, by receive count; nil means
	// ExponentialBackoff(DefaultNackInitial, DefaultNackMax). ConstantBackoff(0) redelivers at once.
	NackBackoff Backoff
	// AckBatchInterval is how long acknowledged messages wait to be deleted together (DeleteMessageBatch,
	// up to 10 per request, sent at once when 10 are waiting); 0 means DefaultAckBatchInterval, NoWait sends
	// every ack at once in a request of its own.
	AckBatchInterval time.Duration
	// CloseTimeout is how long Close, or the cancellation of a subscription's context, waits for the
	// messages already handed out to be acked or nacked, so that their deletes are not lost; 0 means
	// DefaultCloseTimeout, NoWait means no wait. The messages' contexts are cancelled at once, so a handler
	// that watches its context stops early. Messages received but not handed out are made visible again
	// at once.
	CloseTimeout time.Duration

	// Logger receives the subscriber's logs; nil means none.
	Logger watermill.LoggerAdapter
}

func (c *SubscriberConfig) setDefaults() {
	if c.WaitTime == 0 {
		c.WaitTime = DefaultWaitTime
	}
	if c.VisibilityTimeout == 0 {
		c.VisibilityTimeout = DefaultVisibilityTimeout
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = c.VisibilityTimeout / 3
	}
	if c.Receivers == 0 {
		c.Receivers = 1
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlightPerReceiver * max(c.Receivers, 1)
	}
	if c.MaxUnacked == 0 {
		c.MaxUnacked = 1
	}
	if c.NackBackoff == nil {
		c.NackBackoff = ExponentialBackoff(DefaultNackInitial, DefaultNackMax)
	}
	if c.AckBatchInterval == 0 {
		c.AckBatchInterval = DefaultAckBatchInterval
	}
	if c.CloseTimeout == 0 {
		c.CloseTimeout = DefaultCloseTimeout
	}
	if c.Logger == nil {
		c.Logger = watermill.NopLogger{}
	}
}

// Validate reports the first invalid field of c (after defaults are applied), wrapped in ErrInvalidConfig.
func (c SubscriberConfig) Validate() error {
	c.setDefaults()
	return c.validate()
}

func (c *SubscriberConfig) validate() error {
	switch {
	case c.Client == nil:
		return configError("Client", "required")
	case c.WaitTime != NoWait && (c.WaitTime < time.Second || c.WaitTime > 20*time.Second):
		return configError("WaitTime", "%v is not between 1s and 20s (use NoWait for short polling)", c.WaitTime)
	case c.VisibilityTimeout < time.Second || c.VisibilityTimeout > maxVisibility:
		return configError("VisibilityTimeout", "%v is not between 1s and 12h", c.VisibilityTimeout)
	case c.HeartbeatInterval <= 0 || c.HeartbeatInterval >= c.VisibilityTimeout:
		return configError("HeartbeatInterval", "%v must be positive and below VisibilityTimeout (%v)", c.HeartbeatInterval, c.VisibilityTimeout)
	case c.Receivers < 1:
		return configError("Receivers", "%d must be positive", c.Receivers)
	case c.MaxInFlight < 1:
		return configError("MaxInFlight", "%d must be positive", c.MaxInFlight)
	case c.MaxUnacked < 1 || c.MaxUnacked > c.MaxInFlight:
		return configError("MaxUnacked", "%d must be between 1 and MaxInFlight (%d)", c.MaxUnacked, c.MaxInFlight)
	case c.AckBatchInterval < 0 && c.AckBatchInterval != NoWait:
		return configError("AckBatchInterval", "%v must not be negative (use NoWait)", c.AckBatchInterval)
	case c.CloseTimeout < 0 && c.CloseTimeout != NoWait:
		return configError("CloseTimeout", "%v must not be negative (use NoWait)", c.CloseTimeout)
	case c.Queues.DeadLetter != nil:
		return c.Queues.DeadLetter.validate()
	}
	return nil
}

// waitSeconds is WaitTime in SQS's whole seconds.
func (c *SubscriberConfig) waitSeconds() int32 {
	if c.WaitTime == NoWait {
		return 0
	}
	return visibilitySeconds(c.WaitTime)
}
