package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/s3db-go/s3db/pipeline/amqp"
	"github.com/s3db-go/s3db/pipeline/sqs"
)

// transports builds each transport once and closes what it built.
type transports struct {
	cfg    *Config
	logger watermill.LoggerAdapter

	goChannel *gochannel.GoChannel
	ownGo     bool
	amqpPub   message.Publisher
	sqsClient sqs.API
	sqsPub    message.Publisher
	closers   []func() error
}

// GoChannel returns the in-process Pub/Sub (shared by every gochannel input and output).
func (t *transports) GoChannel() *gochannel.GoChannel {
	if t.goChannel == nil {
		// BlockPublishUntilSubscriberAck keeps a feed in order (GoChannel otherwise delivers each message
		// from its own goroutine) and makes Publish return once the message was handled.
		t.goChannel = gochannel.NewGoChannel(gochannel.Config{BlockPublishUntilSubscriberAck: true}, t.logger)
		t.ownGo = true
	}
	return t.goChannel
}

func (t *transports) sqsAPI(ctx context.Context) (sqs.API, error) {
	if t.sqsClient == nil {
		c := t.cfg.SQS
		client, err := sqs.NewClient(ctx, sqs.ClientConfig{Endpoint: c.Endpoint, Region: c.Region,
			AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey})
		if err != nil {
			return nil, fmt.Errorf("sqs client: %w", err)
		}
		t.sqsClient = client
	}
	return t.sqsClient, nil
}

// lookahead is how many messages per unit of concurrency a transport hands out: the KeyedSubscriber
// runs Concurrency of them, and the rest let it find messages of idle records while some records have
// several messages waiting.
const lookahead = 4

// subscriber returns a new subscriber for an input: its own connection or lease state, so that each
// input's concurrency is its own.
func (t *transports) subscriber(ctx context.Context, in InputConfig, deadLetter string) (message.Subscriber, error) {
	switch in.Transport {
	case TransportGoChannel:
		return noCloseSubscriber{t.GoChannel()}, nil
	case TransportAMQP:
		return amqp.NewSubscriber(amqp.SubscriberConfig{URL: t.cfg.AMQP.URL, Prefetch: lookahead * in.Concurrency,
			DeadLetterQueue: deadLetter, CloseTimeout: t.cfg.ShutdownTimeout, Logger: t.logger})
	case TransportSQS:
		client, err := t.sqsAPI(ctx)
		if err != nil {
			return nil, err
		}
		return sqs.NewSubscriber(sqs.SubscriberConfig{Client: client,
			Queues:   sqs.QueueConfig{CreateIfMissing: t.cfg.SQS.CreateQueues},
			WaitTime: t.cfg.SQS.WaitTime, VisibilityTimeout: t.cfg.SQS.VisibilityTimeout,
			MaxInFlight: max(lookahead*in.Concurrency, 10), MaxUnacked: lookahead * in.Concurrency,
			CloseTimeout: t.cfg.ShutdownTimeout, Logger: t.logger})
	}
	return nil, fmt.Errorf("unknown transport %q", in.Transport)
}

// publisher returns the shared publisher of a transport (not for the file transport).
func (t *transports) publisher(ctx context.Context, transport string) (message.Publisher, error) {
	switch transport {
	case TransportGoChannel:
		return t.GoChannel(), nil
	case TransportAMQP:
		if t.amqpPub == nil {
			pub, err := amqp.NewPublisher(t.cfg.AMQP.URL, t.logger, amqp.WithConfirmTimeout(t.cfg.AMQP.ConfirmTimeout),
				amqp.WithLinger(linger(t.cfg.AMQP.PublishLinger, amqp.DefaultLinger)), amqp.WithPublishers(t.handlers()))
			if err != nil {
				return nil, err
			}
			t.amqpPub = pub
			t.closers = append(t.closers, pub.Close)
		}
		return t.amqpPub, nil
	case TransportSQS:
		if t.sqsPub == nil {
			client, err := t.sqsAPI(ctx)
			if err != nil {
				return nil, err
			}
			pub, err := sqs.NewPublisher(sqs.PublisherConfig{Client: client, Linger: linger(t.cfg.SQS.PublishLinger, DefaultSQSPublishLinger),
				Queues: sqs.QueueConfig{CreateIfMissing: t.cfg.SQS.CreateQueues}, Logger: t.logger})
			if err != nil {
				return nil, err
			}
			t.sqsPub = pub
			t.closers = append(t.closers, pub.Close)
		}
		return t.sqsPub, nil
	}
	return nil, fmt.Errorf("unknown transport %q", transport)
}

// handlers is how many messages the worker handles at once, all inputs together: at most as many
// change events and dead letters are being published at once.
func (t *transports) handlers() int {
	n := 0
	for _, in := range t.cfg.Inputs {
		n += in.Concurrency
	}
	return n
}

// linger is a publish_linger setting as a publisher takes it: 0 (unset) is def, a negative value 0 (off).
func linger(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return max(d, 0)
}

// declareAMQP declares the queues AMQP publishers send to (changes, dead letters), so that nothing is
// dropped before a consumer of them exists.
func (t *transports) declareAMQP(queues []string) error {
	if len(queues) == 0 {
		return nil
	}
	if err := amqp.DeclareQueues(t.cfg.AMQP.URL, queues...); err != nil {
		return fmt.Errorf("declare AMQP queues %s: %w", strings.Join(queues, ", "), err)
	}
	return nil
}

func (t *transports) close() error {
	var errs []error
	for i := len(t.closers) - 1; i >= 0; i-- {
		errs = append(errs, t.closers[i]())
	}
	if t.goChannel != nil && t.ownGo {
		errs = append(errs, t.goChannel.Close())
	}
	return errors.Join(errs...)
}

// noCloseSubscriber lets several handlers share one GoChannel: closing a handler's subscriber must not
// close the Pub/Sub the others (and the publishers) use. Each subscription still ends with its context.
type noCloseSubscriber struct{ message.Subscriber }

func (noCloseSubscriber) Close() error { return nil }
