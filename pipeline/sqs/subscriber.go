package sqs

import (
	"context"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
)

// Subscriber receives watermill messages from SQS queues. Each Subscribe call is an independent
// subscription with its own receivers, in-flight bound, heartbeat and delete batcher; several
// subscriptions (in this process or others) on one queue share its messages, each message going to one
// of them. It is safe for concurrent use.
type Subscriber struct {
	cfg    SubscriberConfig
	queues *queues
	logger watermill.LoggerAdapter

	mu      sync.Mutex
	closed  bool
	closing chan struct{} // closed by Close: every subscription stops
	running sync.WaitGroup
}

var (
	_ message.Subscriber           = (*Subscriber)(nil)
	_ message.SubscribeInitializer = (*Subscriber)(nil)
)

// NewSubscriber returns a Subscriber for cfg, after applying defaults and validating it. It does no I/O.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Subscriber{
		cfg:     cfg,
		queues:  newQueues(cfg.Client, cfg.Queues),
		logger:  cfg.Logger.With(watermill.LogFields{"component": "sqs.Subscriber"}),
		closing: make(chan struct{}),
	}, nil
}

// Subscribe starts receiving from the queue of topic (a queue name or URL) and returns the channel of its
// messages. It resolves the queue first (creating it when QueueConfig.CreateIfMissing is set), so a
// missing queue is reported here.
//
// Every message must be acked or nacked: Ack deletes it from the queue (in batches), Nack makes it visible
// again after NackBackoff. Until then its SQS lease is renewed, however long the handler runs. At most
// MaxUnacked messages are out on the channel at once (1 by default: the next message comes after Ack or
// Nack). A message's context derives from ctx and is cancelled by Ack, Nack, ctx or Close.
//
// When ctx is cancelled or the Subscriber is closed, the subscription stops receiving, makes the messages
// it holds but has not handed out visible again, waits up to CloseTimeout for the handed-out ones to be
// settled, flushes its pending deletes and closes the channel. No message is lost: whatever was not
// deleted is delivered again by SQS.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.running.Add(1)
	s.mu.Unlock()

	queueURL, err := s.queues.url(ctx, topic, s.cfg.Queues.CreateIfMissing)
	if err != nil {
		s.running.Done()
		return nil, err
	}
	sub := newSubscription(ctx, &s.cfg, topic, queueURL, s.closing, s.logger)
	go func() {
		defer s.running.Done()
		sub.run()
	}()
	return sub.out, nil
}

// SubscribeInitialize creates the queue of topic when it does not exist (with QueueConfig's attributes and
// dead-letter policy), whatever QueueConfig.CreateIfMissing says: calling it is the request.
func (s *Subscriber) SubscribeInitialize(topic string) error {
	_, err := s.queues.url(context.Background(), topic, true)
	return err
}

// Close stops every subscription as a cancelled context would (see Subscribe) and returns when all of them
// have finished: receivers stopped, pending deletes flushed, channels closed. It is idempotent; a second
// call waits for the first to finish.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
		s.logger.Debug("Closing subscriber", nil)
	}
	s.mu.Unlock()
	s.running.Wait()
	return nil
}
