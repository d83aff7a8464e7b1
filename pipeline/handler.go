package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/s3db-go/s3db/consumers"
)

// Metadata keys the pipeline sets.
const (
	// On change events.
	MetadataResource = "s3db_resource"
	MetadataOp       = "s3db_op"
	MetadataKey      = "s3db_key"
	MetadataRev      = "s3db_rev"
	// On dead letters (besides Watermill's reason_poisoned and topic_poisoned).
	MetadataErrorClass  = "s3db_error_class"  // permanent or transient
	MetadataErrorReason = "s3db_error_reason" // consumers.Reason: "validation", "bad JSON", …
	MetadataAttempts    = "s3db_attempts"     // attempts made in this delivery
	MetadataInput       = "s3db_input"
	// MetadataCorrelationID is Watermill's correlation id key.
	MetadataCorrelationID = middleware.CorrelationIDMetadataKey
	// metadataOutcome travels on the message between the layers of one delivery.
	metadataOutcome = "s3db_outcome"
)

// handler applies one input's messages through a Consumer and returns the change event to publish.
type handler struct {
	input    string
	consumer *consumers.Consumer
	metrics  *Metrics
	log      *slog.Logger
}

// TransportID is the idempotency key a message carries when its body has no txId: the Watermill UUID,
// which each transport fills with its message id: pipeline/sqs with the UUID its publisher sent or else
// SQS's MessageId, pipeline/amqp with the AMQP message-id property or else Watermill's UUID header,
// GoChannel with the published message's UUID. Every redelivery of a message carries the same one.
func TransportID(msg *message.Message) string { return msg.UUID }

func (h *handler) handle(msg *message.Message) ([]*message.Message, error) {
	n, _ := strconv.Atoi(msg.Metadata.Get(MetadataAttempts))
	msg.Metadata.Set(MetadataAttempts, strconv.Itoa(n+1))
	res, err := h.consumer.Handle(msg.Context(), msg.Payload, TransportID(msg))
	if err != nil {
		class := "transient"
		if consumers.IsPermanent(err) {
			class = "permanent"
		}
		msg.Metadata.Set(MetadataErrorClass, class)
		msg.Metadata.Set(MetadataErrorReason, consumers.Reason(err))
		h.metrics.Failed.WithLabelValues(h.input, consumers.Reason(err)).Inc()
		h.log.WarnContext(msg.Context(), "message failed", "input", h.input, "message_id", msg.UUID,
			"correlation_id", middleware.MessageCorrelationID(msg), "class", class, "attempt", n+1, "err", err)
		return nil, err
	}
	if res.Duplicate {
		msg.Metadata.Set(metadataOutcome, "duplicate")
		h.metrics.Duplicates.WithLabelValues(h.input).Inc()
	} else {
		msg.Metadata.Set(metadataOutcome, "applied")
		h.metrics.Applied.WithLabelValues(h.input, res.Change.Resource, res.Change.Op).Inc()
	}
	h.log.DebugContext(msg.Context(), "message applied", "input", h.input, "message_id", msg.UUID, "resource", res.Change.Resource,
		"op", res.Change.Op, "key", res.Change.Key, "duplicate", res.Duplicate, "idempotency_key_source", res.KeySource)
	if !res.Publish() {
		return nil, nil
	}
	payload, err := json.Marshal(res.Change)
	if err != nil {
		return nil, fmt.Errorf("encode change: %w", err)
	}
	out := message.NewMessage(res.Change.ID, payload)
	out.Metadata.Set(MetadataResource, res.Change.Resource)
	out.Metadata.Set(MetadataOp, res.Change.Op)
	out.Metadata.Set(MetadataKey, res.Change.Key)
	out.Metadata.Set(MetadataRev, strconv.FormatUint(res.Change.Rev, 10))
	h.metrics.Published.WithLabelValues(h.input).Inc()
	return []*message.Message{out}, nil
}

// ensureCorrelationID gives a message without a correlation id its own UUID as one, so that its change
// event and dead letter can be traced back to it (Watermill's CorrelationID middleware copies it).
func ensureCorrelationID(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		if middleware.MessageCorrelationID(msg) == "" {
			middleware.SetCorrelationID(msg.UUID, msg)
		}
		return h(msg)
	}
}

// observe counts a message and times its whole handling (retries and dead-lettering included).
func (h *handler) observe(next message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		start := time.Now()
		h.metrics.Received.WithLabelValues(h.input).Inc()
		h.metrics.InFlight.WithLabelValues(h.input).Inc()
		defer h.metrics.InFlight.WithLabelValues(h.input).Dec()
		delete(msg.Metadata, metadataOutcome)
		out, err := next(msg)
		outcome := msg.Metadata.Get(metadataOutcome)
		switch {
		case err != nil:
			outcome = "nacked"
		case outcome == "":
			outcome = "applied"
		}
		h.metrics.Latency.WithLabelValues(h.input, outcome).Observe(time.Since(start).Seconds())
		return out, err
	}
}

// retry is Watermill's Retry with capped exponential backoff and ±50% jitter; permanent errors and
// shutdown are not retried.
func retry(cfg RetryConfig, h message.HandlerFunc) message.HandlerFunc {
	return middleware.Retry{
		MaxRetries:          cfg.MaxRetries,
		InitialInterval:     cfg.InitialInterval,
		MaxInterval:         cfg.MaxInterval,
		Multiplier:          2,
		RandomizationFactor: 0.5,
		ResetContextOnRetry: true, // the per-attempt timeout must not carry over
		ShouldRetry: func(p middleware.RetryParams) bool {
			return !consumers.IsPermanent(p.Err) && !errors.Is(p.Err, context.Canceled)
		},
	}.Middleware(h)
}

// deadLetterFilter decides which final errors go to the dead-letter topic: permanent ones always,
// transient ones unless OnExhausted is requeue; never a shutdown's cancellation (that message is nacked
// and redelivered).
func deadLetterFilter(onExhausted string) func(error) bool {
	return func(err error) bool {
		switch {
		case errors.Is(err, context.Canceled):
			return false
		case consumers.IsPermanent(err):
			return true
		default:
			return onExhausted != ExhaustedRequeue
		}
	}
}

// deadLetterPublisher counts what the poison middleware publishes and marks the message's outcome.
type deadLetterPublisher struct {
	message.Publisher
	input   string
	metrics *Metrics
	log     *slog.Logger
}

func (p deadLetterPublisher) Publish(topic string, msgs ...*message.Message) error {
	for _, m := range msgs {
		m.Metadata.Set(MetadataInput, p.input)
	}
	if err := p.Publisher.Publish(topic, msgs...); err != nil {
		return err
	}
	for _, m := range msgs {
		m.Metadata.Set(metadataOutcome, "dead-lettered")
		reason := m.Metadata.Get(MetadataErrorReason)
		if reason == "" {
			reason = "transient"
		}
		p.metrics.DeadLettered.WithLabelValues(p.input, reason).Inc()
		p.log.Warn("message dead-lettered", "input", p.input, "message_id", m.UUID, "topic", topic,
			"reason", m.Metadata.Get(middleware.ReasonForPoisonedKey))
	}
	return nil
}

// Close does nothing: the shared publisher is closed by the Worker.
func (p deadLetterPublisher) Close() error { return nil }

// changesPublisher is the router's publisher of an input's change events. It keeps the router from
// closing the publisher the inputs share (the router closes each handler's publisher when the handler
// stops; the Worker closes it at the end), and times each publication: the router publishes after the
// handler returned and acks after the publication, so this wait holds a unit of the input's concurrency
// without showing in the handler's latency.
type changesPublisher struct {
	message.Publisher
	input   string
	metrics *Metrics
}

func (p changesPublisher) Publish(topic string, msgs ...*message.Message) error {
	start := time.Now()
	err := p.Publisher.Publish(topic, msgs...)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	p.metrics.PublishLatency.WithLabelValues(p.input, outcome).Observe(time.Since(start).Seconds())
	return err
}

func (changesPublisher) Close() error { return nil }

// attemptTimeout bounds one attempt of the handler, like Watermill's Timeout, but gives the message its
// own context back afterwards: the poison queue publishes the message after the last attempt, and a
// transport that publishes with the message's context (watermill-amqp) would fail on a cancelled one.
func attemptTimeout(d time.Duration) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			orig := msg.Context()
			ctx, cancel := context.WithTimeout(orig, d)
			msg.SetContext(ctx)
			defer func() {
				cancel()
				msg.SetContext(orig)
			}()
			return h(msg)
		}
	}
}
