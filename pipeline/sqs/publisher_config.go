package sqs

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
)

// Limits of SQS that shape publishing.
const (
	// DefaultMaxBatchBytes is the default size limit of one SendMessageBatch request (bodies plus
	// attributes): 256 KiB, the classic SQS limit that every SQS-compatible service accepts. AWS raised its
	// limit to 1 MiB in 2025; set MaxBatchBytes to MaxBatchBytesLimit to use it.
	DefaultMaxBatchBytes = 256 * 1024
	// MaxBatchBytesLimit is the largest MaxBatchBytes accepted: AWS's current 1 MiB.
	MaxBatchBytesLimit = 1024 * 1024
	// maxBatchEntries is SQS's limit on the entries of one batch request.
	maxBatchEntries = 10
	// DefaultMessageGroupID is the FIFO group of a message without MetadataMessageGroupID metadata.
	DefaultMessageGroupID = "default"
	// maxDeduplicationIDLen is SQS's limit on a MessageDeduplicationId.
	maxDeduplicationIDLen = 128
)

// PublisherConfig configures a Publisher. The zero value of every field but Client is a sensible default.
type PublisherConfig struct {
	// Client is the SQS client (required): an *sqs.Client from NewClient or the application's own.
	Client API
	// Queues says how topics become queue URLs, and whether missing queues are created.
	Queues QueueConfig
	// MaxBatchBytes caps the summed size of the messages of one SendMessageBatch request; 0 means
	// DefaultMaxBatchBytes. A single message larger than this is sent alone, and SQS judges it against the
	// queue's MaximumMessageSize.
	MaxBatchBytes int
	// MessageGroupID gives the MessageGroupId of a message sent to a FIFO queue; nil means the message's
	// MetadataMessageGroupID metadata, or DefaultMessageGroupID without it. Messages of one group are
	// delivered in order, one group at a time.
	MessageGroupID func(topic string, msg *message.Message) string
	// DeduplicationID gives the MessageDeduplicationId of a message sent to a FIFO queue; nil means the
	// message UUID, so publishing the same message again within SQS's five-minute window is a no-op.
	//
	// Both ids must be 1 to 128 ASCII letters, digits or punctuation; any other value is replaced by its
	// hex SHA-256.
	DeduplicationID func(topic string, msg *message.Message) string
	// Linger, when positive, gathers single-message Publish calls made concurrently to the same
	// (standard) queue for up to this long into one SendMessageBatch; each call still returns when its
	// own message is stored. Worth a few milliseconds where many goroutines publish one message each
	// (a worker's change events): it divides the send requests by up to ten. 0 sends at once.
	Linger time.Duration
	// Logger receives the publisher's logs; nil means none.
	Logger watermill.LoggerAdapter
}

func (c *PublisherConfig) setDefaults() {
	if c.MaxBatchBytes == 0 {
		c.MaxBatchBytes = DefaultMaxBatchBytes
	}
	if c.MessageGroupID == nil {
		c.MessageGroupID = defaultMessageGroupID
	}
	if c.DeduplicationID == nil {
		c.DeduplicationID = defaultDeduplicationID
	}
	if c.Logger == nil {
		c.Logger = watermill.NopLogger{}
	}
}

// Validate reports the first invalid field of c (after defaults are applied), wrapped in ErrInvalidConfig.
func (c PublisherConfig) Validate() error {
	c.setDefaults()
	return c.validate()
}

func (c *PublisherConfig) validate() error {
	if c.Client == nil {
		return configError("Client", "required")
	}
	if c.MaxBatchBytes < 1024 || c.MaxBatchBytes > MaxBatchBytesLimit {
		return configError("MaxBatchBytes", "%d is not between 1024 and %d", c.MaxBatchBytes, MaxBatchBytesLimit)
	}
	if c.Queues.DeadLetter != nil {
		return c.Queues.DeadLetter.validate()
	}
	return nil
}

func defaultMessageGroupID(_ string, msg *message.Message) string {
	if g := msg.Metadata.Get(MetadataMessageGroupID); g != "" {
		return g
	}
	return DefaultMessageGroupID
}

func defaultDeduplicationID(_ string, msg *message.Message) string {
	return msg.UUID
}

// fitFIFOID makes id a valid MessageGroupId or MessageDeduplicationId: 1 to 128 ASCII letters, digits and
// punctuation. A valid id is kept; any other becomes the hex SHA-256 of itself, which keeps distinct ids
// distinct and equal ids equal.
func fitFIFOID(id string) string {
	ok := len(id) > 0 && len(id) <= maxDeduplicationIDLen
	for i := 0; ok && i < len(id); i++ {
		ok = id[i] > ' ' && id[i] < 0x7f
	}
	if ok {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}
