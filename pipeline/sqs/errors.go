package sqs

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Check them with errors.Is.
var (
	// ErrClosed is returned by Publish and Subscribe after Close.
	ErrClosed = errors.New("sqs: closed")
	// ErrInvalidTopic is returned for a topic that is neither a valid SQS queue name (1 to 80 letters, digits,
	// hyphens and underscores, optionally ending in ".fifo") nor an http(s) queue URL.
	ErrInvalidTopic = errors.New("sqs: invalid topic")
	// ErrQueueNotFound is returned when a topic's queue does not exist and creating it is not enabled.
	ErrQueueNotFound = errors.New("sqs: queue not found")
	// ErrInvalidConfig wraps every configuration error found by Validate.
	ErrInvalidConfig = errors.New("sqs: invalid config")
)

// configError reports one invalid configuration field; it matches ErrInvalidConfig.
func configError(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...))
}

// FailedMessage is one message of a Publish call that SQS did not accept, or that was not sent because an
// earlier batch of the same call failed.
type FailedMessage struct {
	UUID string // the watermill message UUID
	// Code and Reason are SQS's per-entry error code and text; empty when the whole request failed (Err is
	// set then) or when the message was not attempted (NotSent).
	Code   string
	Reason string
	// SenderFault is SQS's verdict: true means the entry itself is wrong (too big, bad characters) and
	// sending it again cannot succeed; false means a service-side failure worth retrying.
	SenderFault bool
	// NotSent is true for messages after a failed batch: they were never offered to SQS.
	NotSent bool
}

// PublishError is returned by Publisher.Publish when some messages were not published. Messages not listed
// were accepted by SQS. Err is the request error of a batch that failed as a whole (nil when only single
// entries failed); errors.Is/As see through to it.
type PublishError struct {
	Topic  string
	Failed []FailedMessage
	Err    error
}

func (e *PublishError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sqs: publish to %q: %d message(s) not published", e.Topic, len(e.Failed))
	shown := 0
	for _, f := range e.Failed {
		if f.NotSent || shown == 3 {
			continue
		}
		if f.Code != "" {
			fmt.Fprintf(&b, "; %s: %s: %s", f.UUID, f.Code, f.Reason)
			shown++
		}
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *PublishError) Unwrap() error { return e.Err }
