package sqs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
)

// Publisher sends watermill messages to SQS queues. It is safe for concurrent use.
type Publisher struct {
	cfg    PublisherConfig
	queues *queues
	logger watermill.LoggerAdapter

	// mu is held shared by every Publish and exclusively by Close, so Close waits for the calls under way.
	mu     sync.RWMutex
	closed bool

	gather gatherer // single-message publishes being gathered into batches (PublisherConfig.Linger)
}

var _ message.Publisher = (*Publisher)(nil)

// NewPublisher returns a Publisher for cfg, after applying defaults and validating it. It does no I/O.
func NewPublisher(cfg PublisherConfig) (*Publisher, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Publisher{
		cfg:    cfg,
		queues: newQueues(cfg.Client, cfg.Queues),
		logger: cfg.Logger.With(watermill.LogFields{"component": "sqs.Publisher"}),
	}, nil
}

// Publish sends messages to the queue of topic (a queue name or URL), synchronously: when it returns nil,
// SQS has stored every message. Several messages go in SendMessageBatch requests of at most 10 messages
// and MaxBatchBytes, sent one after the other in the order given; after a batch with a failure no further
// batch is sent, and the returned *PublishError lists every message not published (failed or not sent),
// so that a caller can retry exactly those. On a FIFO queue (".fifo") each message gets a MessageGroupId
// and a MessageDeduplicationId from the config.
//
// The context of the first message bounds the whole call (watermill gives Publish no context of its own).
func (p *Publisher) Publish(topic string, messages ...*message.Message) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	if len(messages) == 0 {
		return nil
	}
	ctx := messages[0].Context()
	queueURL, err := p.queues.url(ctx, topic, p.cfg.Queues.CreateIfMissing)
	if err != nil {
		return err
	}
	fifo := isFIFO(queueURL)
	out := make([]outgoing, len(messages))
	for i, msg := range messages {
		o, err := marshal(msg)
		if err != nil {
			return err
		}
		if fifo {
			o.groupID = fitFIFOID(p.cfg.MessageGroupID(topic, msg))
			o.dedupID = fitFIFOID(p.cfg.DeduplicationID(topic, msg))
		}
		out[i] = o
	}
	if len(out) == 1 && !fifo && p.cfg.Linger > 0 {
		return p.publishGathered(ctx, topic, queueURL, out[0])
	}
	batches := splitBatches(out, p.cfg.MaxBatchBytes)
	for i, batch := range batches {
		failed, err := p.send(ctx, queueURL, batch)
		if err == nil && len(failed) == 0 {
			continue
		}
		if isQueueDoesNotExist(err) {
			p.queues.forget(topic)
		}
		pe := &PublishError{Topic: topic, Failed: failed, Err: err}
		for _, rest := range batches[i+1:] {
			for _, o := range rest {
				pe.Failed = append(pe.Failed, FailedMessage{UUID: o.uuid, NotSent: true})
			}
		}
		p.logger.Error("Publish failed", pe, watermill.LogFields{"topic": topic, "messages": len(messages)})
		return pe
	}
	p.logger.Trace("Published", watermill.LogFields{"topic": topic, "messages": len(messages), "requests": len(batches)})
	return nil
}

// send sends one batch; it returns the entries SQS refused, or the error of the request (then every entry
// of the batch is listed as failed).
func (p *Publisher) send(ctx context.Context, queueURL string, batch []outgoing) ([]FailedMessage, error) {
	if len(batch) == 1 {
		o := batch[0]
		in := &awssqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String(o.body), MessageAttributes: o.attrs}
		if o.groupID != "" {
			in.MessageGroupId, in.MessageDeduplicationId = aws.String(o.groupID), aws.String(o.dedupID)
		}
		if _, err := p.cfg.Client.SendMessage(ctx, in); err != nil {
			return []FailedMessage{requestFailure(o.uuid, err)}, fmt.Errorf("sqs: send message: %w", err)
		}
		return nil, nil
	}
	entries := make([]types.SendMessageBatchRequestEntry, len(batch))
	for i, o := range batch {
		entries[i] = types.SendMessageBatchRequestEntry{
			Id:                aws.String(strconv.Itoa(i)),
			MessageBody:       aws.String(o.body),
			MessageAttributes: o.attrs,
		}
		if o.groupID != "" {
			entries[i].MessageGroupId, entries[i].MessageDeduplicationId = aws.String(o.groupID), aws.String(o.dedupID)
		}
	}
	res, err := p.cfg.Client.SendMessageBatch(ctx, &awssqs.SendMessageBatchInput{QueueUrl: aws.String(queueURL), Entries: entries})
	if err != nil {
		failed := make([]FailedMessage, len(batch))
		for i, o := range batch {
			failed[i] = requestFailure(o.uuid, err)
		}
		return failed, fmt.Errorf("sqs: send message batch: %w", err)
	}
	var failed []FailedMessage
	for _, f := range res.Failed {
		i, err := strconv.Atoi(aws.ToString(f.Id))
		if err != nil || i < 0 || i >= len(batch) {
			return nil, fmt.Errorf("sqs: send message batch: answer names unknown entry %q", aws.ToString(f.Id))
		}
		failed = append(failed, FailedMessage{UUID: batch[i].uuid, Code: aws.ToString(f.Code), Reason: aws.ToString(f.Message), SenderFault: f.SenderFault})
	}
	return failed, nil
}

// requestFailure describes a message of a request that failed as a whole.
func requestFailure(uuid string, err error) FailedMessage {
	f := FailedMessage{UUID: uuid}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		f.Code, f.Reason = apiErr.ErrorCode(), apiErr.ErrorMessage()
		f.SenderFault = apiErr.ErrorFault() == smithy.FaultClient
	}
	return f
}

// splitBatches cuts msgs, in order, into batches of at most 10 messages whose sizes add up to at most
// maxBytes. A message larger than maxBytes forms a batch of its own.
func splitBatches(msgs []outgoing, maxBytes int) [][]outgoing {
	var batches [][]outgoing
	start, size := 0, 0
	for i, m := range msgs {
		if i > start && (i-start == maxBatchEntries || size+m.size > maxBytes) {
			batches = append(batches, msgs[start:i])
			start, size = i, 0
		}
		size += m.size
	}
	if start < len(msgs) {
		batches = append(batches, msgs[start:])
	}
	return batches
}

// Close makes further Publish calls fail with ErrClosed, after the calls under way have returned. Publish
// is synchronous, so nothing is left to flush. Close is idempotent.
func (p *Publisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		p.logger.Debug("Publisher closed", nil)
	}
	return nil
}
