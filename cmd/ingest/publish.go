package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/s3db-go/s3db/codec"
	pipeamqp "github.com/s3db-go/s3db/pipeline/amqp"
	pipesqs "github.com/s3db-go/s3db/pipeline/sqs"
)

// publishTarget is a parsed --publish URL.
type publishTarget struct {
	kind  string // "amqp" or "sqs"
	uri   string // AMQP: the broker URI without the queue; SQS: the queue URL
	queue string // AMQP: the queue name
	// endpoint is the SQS service base URL for a queue URL that is not AWS's (an emulator).
	endpoint string
	region   string
}

// parsePublishURL reads --publish:
//   - amqp(s)://user:pass@host:port/VHOST?queue=NAME: the path is the vhost, as in any AMQP URI;
//   - amqp(s)://user:pass@host:port/NAME (no queue parameter): the last path segment is the queue,
//     what comes before it the vhost (default "/"); a vhost with "/" is written %2F;
//   - http(s)://…: an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, or an
//     emulator's http://127.0.0.1:4566/000000000000/NAME). Requests go to AWS_ENDPOINT_URL_SQS
//     (or AWS_ENDPOINT_URL) when set, else to the queue URL's host: emulators that hand out
//     unresolvable queue URLs (fauxqs: sqs.us-east-1.localhost) need the variable.
func parsePublishURL(raw string) (*publishTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	switch u.Scheme {
	case "amqp", "amqps":
		q := u.Query()
		queue := q.Get("queue")
		q.Del("queue")
		u.RawQuery = q.Encode()
		if queue == "" {
			path := strings.Trim(u.EscapedPath(), "/")
			i := strings.LastIndex(path, "/")
			vhost := ""
			if i >= 0 {
				vhost, path = path[:i], path[i+1:]
			}
			if queue, err = url.PathUnescape(path); err != nil {
				return nil, fmt.Errorf("queue name: %w", err)
			}
			u.RawPath, u.Path = "", ""
			if vhost != "" {
				v, err := url.PathUnescape(vhost)
				if err != nil {
					return nil, fmt.Errorf("vhost: %w", err)
				}
				u.Path, u.RawPath = "/"+v, "/"+vhost
			}
		}
		if queue == "" {
			return nil, errors.New("no queue: want amqp://user:pass@host:port/QUEUE or ...?queue=NAME")
		}
		return &publishTarget{kind: "amqp", uri: u.String(), queue: queue}, nil
	case "http", "https":
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) != 2 || parts[1] == "" {
			return nil, errors.New("an SQS queue URL has the form https://sqs.REGION.amazonaws.com/ACCOUNT/NAME")
		}
		t := &publishTarget{kind: "sqs", uri: raw}
		host := u.Hostname()
		if labels := strings.Split(host, "."); strings.HasSuffix(host, ".amazonaws.com") && len(labels) >= 4 {
			t.region = labels[1]
		} else {
			t.endpoint = u.Scheme + "://" + u.Host
		}
		return t, nil
	}
	return nil, fmt.Errorf("scheme %q: want amqp://, amqps:// (RabbitMQ) or an http(s) SQS queue URL", u.Scheme)
}

// openPublisher connects the publisher of t, which concurrency goroutines share. getenv gives the AWS
// credentials of an emulator.
func openPublisher(ctx context.Context, t *publishTarget, concurrency int, getenv func(string) string) (message.Publisher, string, error) {
	logger := watermill.NopLogger{}
	switch t.kind {
	case "amqp":
		// The publisher sends to the default exchange with the queue as routing key, so the queue must
		// exist or RabbitMQ drops the messages (and still confirms them): declare it durable first. The
		// worker's subscriber consumes a queue declared this way as it is.
		if err := pipeamqp.DeclareQueues(t.uri, t.queue); err != nil {
			return nil, "", fmt.Errorf("declare the queue %q: %w", t.queue, err)
		}
		// Each goroutine publishes and waits for the confirm: once all wait, a group need not linger.
		pub, err := pipeamqp.NewPublisher(t.uri, logger, pipeamqp.WithPublishers(concurrency))
		if err != nil {
			return nil, "", fmt.Errorf("connect to RabbitMQ: %w", err)
		}
		return pub, t.queue, nil
	case "sqs":
		cc := pipesqs.ClientConfig{Endpoint: t.endpoint, Region: t.region}
		for _, name := range []string{"AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"} {
			if e := getenv(name); e != "" {
				cc.Endpoint = e
				break
			}
		}
		if cc.Endpoint != "" && getenv("AWS_ACCESS_KEY_ID") == "" {
			cc.AccessKeyID, cc.SecretAccessKey = "ingest", "ingest" // emulators take any pair
		}
		client, err := pipesqs.NewClient(ctx, cc)
		if err != nil {
			return nil, "", err
		}
		pub, err := pipesqs.NewPublisher(pipesqs.PublisherConfig{Client: client, Logger: logger})
		if err != nil {
			return nil, "", err
		}
		return pub, t.uri, nil
	}
	return nil, "", fmt.Errorf("unknown publish target %q", t.kind)
}

// publishBatch is the most rows one Publish call carries (SQS's batch limit).
const publishBatch = 10

// publishSink publishes rows as inbound messages (DESIGN §3): {"resource","action","data","txId"}.
// The message's UUID (AMQP message-id; SQS envelope uuid) is the row's TxID too, so the worker
// applies a row once however often it is published. Batches of up to 10 rows are published
// concurrency at a time; a batch is reported accepted once the broker confirmed it.
type publishSink struct {
	pub      message.Publisher
	topic    string
	resource string
	action   string
	report   reportFunc
	fail     failFunc

	sem     chan struct{}
	wg      sync.WaitGroup
	batch   []*message.Message
	batchAt []int64
}

func newPublishSink(pub message.Publisher, topic, resource string, upsert bool, concurrency int, report reportFunc, fail failFunc) *publishSink {
	action := "insert"
	if upsert {
		action = "upsert"
	}
	return &publishSink{pub: pub, topic: topic, resource: resource, action: action, report: report, fail: fail,
		sem: make(chan struct{}, concurrency)}
}

func (s *publishSink) send(ctx context.Context, r row) error {
	body, err := codec.MarshalJS(codec.Ordered{
		{Name: "resource", Value: s.resource},
		{Name: "action", Value: s.action},
		{Name: "data", Value: r.data},
		{Name: "txId", Value: r.tx},
	})
	if err != nil {
		s.report(r.pos, rejected, fmt.Errorf("encode the message: %w", err))
		return nil
	}
	msg := message.NewMessage(r.tx, body)
	msg.Metadata.Set("resource", s.resource)
	s.batch = append(s.batch, msg)
	s.batchAt = append(s.batchAt, r.pos)
	if len(s.batch) == publishBatch {
		return s.dispatch(ctx)
	}
	return nil
}

// dispatch publishes the batch, waiting for a free slot first.
func (s *publishSink) dispatch(ctx context.Context) error {
	if len(s.batch) == 0 {
		return nil
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	msgs, at := s.batch, s.batchAt
	s.batch, s.batchAt = nil, nil
	s.wg.Go(func() {
		defer func() { <-s.sem }()
		if err := s.pub.Publish(s.topic, msgs...); err != nil {
			s.fail(at[0], fmt.Errorf("publish to %s: %w", s.topic, err))
			return
		}
		for _, pos := range at {
			s.report(pos, accepted, nil)
		}
	})
	return nil
}

func (s *publishSink) flush(ctx context.Context) error {
	if err := s.dispatch(ctx); err != nil {
		return err
	}
	s.wg.Wait()
	return nil
}

func (s *publishSink) close() error { return s.pub.Close() }
