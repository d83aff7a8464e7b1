// Command queueraw is the framework-free baseline of the worker benchmark (docs/benchmarks.md): it
// fills a queue with N inbound messages, then drains it with C concurrent consumers that each
// receive a message, write one object to S3 (PutObject with the record's fields as metadata and a
// body of the size of the store's revision stamp) and
// ack it — the least any queue-to-S3 worker must do — and prints messages per second.
//
//	queueraw -transport amqp|sqs -n 10000 -c 32 [-queue NAME] [-fill-only] [-drain-only]
//	queueraw -transport amqp|sqs -delete QUEUE...
//
// Addresses come from S3DB_TEST_S3, S3DB_TEST_AMQP and S3DB_TEST_SQS (see scripts/test.sh).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	amqp "github.com/rabbitmq/amqp091-go"
)

type config struct {
	transport, queue, bucket string
	n, c                     int
	fillOnly, drainOnly      bool
	waitEmpty                bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.transport, "transport", "amqp", "amqp or sqs")
	flag.StringVar(&cfg.queue, "queue", "", "queue name (default: a fresh one)")
	flag.StringVar(&cfg.bucket, "bucket", "queueraw", "S3 bucket (created when missing)")
	flag.IntVar(&cfg.n, "n", 10000, "messages")
	flag.IntVar(&cfg.c, "c", 32, "concurrent consumers")
	flag.BoolVar(&cfg.fillOnly, "fill-only", false, "only fill the queue (for the worker side of the benchmark)")
	flag.BoolVar(&cfg.drainOnly, "drain-only", false, "only drain the queue")
	flag.BoolVar(&cfg.waitEmpty, "wait-empty", false, "only wait until the queue is empty (someone else drains it) and print the rate")
	del := flag.Bool("delete", false, "delete the queues named as arguments and exit")
	flag.Parse()
	if *del {
		if err := deleteQueues(context.Background(), cfg.transport, flag.Args()); err != nil {
			slog.Error("queueraw failed", "err", err)
			os.Exit(1)
		}
		return
	}
	if cfg.queue == "" {
		cfg.queue = fmt.Sprintf("queueraw-%d", time.Now().UnixNano())
	}
	run := run
	if cfg.waitEmpty {
		run = waitEmpty
	}
	if err := run(context.Background(), cfg); err != nil {
		slog.Error("queueraw failed", "err", err)
		os.Exit(1)
	}
}

// body is the i-th inbound message (DESIGN §3).
func body(i int) []byte {
	b, _ := json.Marshal(map[string]any{"resource": "events", "action": "insert",
		"data": map[string]any{"id": fmt.Sprintf("e%07d", i), "kind": "click", "n": i, "user": fmt.Sprintf("u%04d", i%1000)}})
	return b
}

func run(ctx context.Context, cfg config) error {
	s3c, err := s3Client(ctx, cfg.bucket)
	if err != nil {
		return err
	}
	put := func(ctx context.Context, msg []byte) error {
		var m struct {
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(msg, &m); err != nil {
			return err
		}
		meta := map[string]string{}
		for k, v := range m.Data {
			meta[k] = fmt.Sprint(v)
		}
		// The same request a record insert makes: metadata, a small JSON body (the store's revision
		// stamp is about this size), create-only. Keys are under a prefix of the run's own (the queue
		// name), like the worker's records: a create-only write to a key an earlier run left would be
		// refused with 412 without writing anything, and flatter the baseline.
		body := []byte(fmt.Sprintf(`{"_rev":"%d:%s","_mh":"0123456789abcdef"}`, time.Now().UnixMicro(), "abcdefgh"))
		_, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &cfg.bucket, Key: aws.String(cfg.queue + "/resource=events/data/id=" + fmt.Sprint(m.Data["id"])),
			Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String("application/json"),
			Metadata: meta, IfNoneMatch: aws.String("*")})
		if err != nil && !bytes.Contains([]byte(err.Error()), []byte("PreconditionFailed")) {
			return err
		}
		return nil
	}
	switch cfg.transport {
	case "amqp":
		return runAMQP(ctx, cfg, put)
	case "sqs":
		return runSQS(ctx, cfg, put)
	}
	return fmt.Errorf("unknown transport %q", cfg.transport)
}

func report(cfg config, done int64, elapsed time.Duration) {
	who := "raw"
	if cfg.waitEmpty {
		who = "drained"
	}
	fmt.Printf(who+" %s: %d messages, concurrency %d, %.2fs, %.0f msg/s\n", cfg.transport, done, cfg.c, elapsed.Seconds(), float64(done)/elapsed.Seconds())
}

func s3Client(ctx context.Context, bucket string) (*s3.Client, error) {
	u, err := url.Parse(os.Getenv("S3DB_TEST_S3"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("S3DB_TEST_S3 must be an http URL with credentials: %v", err)
	}
	secret, _ := u.User.Password()
	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(u.Scheme + "://" + u.Host), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(u.User.Username(), secret, "")})
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil && !bytes.Contains([]byte(err.Error()), []byte("BucketAlready")) {
		return nil, err
	}
	return c, nil
}

func runAMQP(ctx context.Context, cfg config, put func(context.Context, []byte) error) error {
	conn, ch, err := amqpChannel()
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := ch.QueueDeclare(cfg.queue, true, false, false, false, nil); err != nil {
		return err
	}
	if !cfg.drainOnly {
		if err := ch.Confirm(false); err != nil {
			return err
		}
		confirms := ch.NotifyPublish(make(chan amqp.Confirmation, cfg.n))
		for i := 0; i < cfg.n; i++ {
			if err := ch.PublishWithContext(ctx, "", cfg.queue, false, false, amqp.Publishing{DeliveryMode: amqp.Persistent,
				MessageId: strconv.Itoa(i), ContentType: "application/json", Body: body(i)}); err != nil {
				return err
			}
		}
		for i := 0; i < cfg.n; i++ {
			if c := <-confirms; !c.Ack {
				return fmt.Errorf("publish %d not confirmed", c.DeliveryTag)
			}
		}
		if cfg.fillOnly {
			fmt.Printf("filled %s with %d messages\n", cfg.queue, cfg.n)
			return nil
		}
	}
	if err := ch.Qos(cfg.c, 0, false); err != nil {
		return err
	}
	deliveries, err := ch.Consume(cfg.queue, "queueraw", false, false, false, false, nil)
	if err != nil {
		return err
	}
	var done atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, cfg.c)
	for w := 0; w < cfg.c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range deliveries {
				if err := put(ctx, d.Body); err != nil {
					errs <- err
					return
				}
				if err := d.Ack(false); err != nil {
					errs <- err
					return
				}
				if done.Add(1) == int64(cfg.n) {
					_ = ch.Cancel("queueraw", false)
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	report(cfg, done.Load(), time.Since(start))
	return nil
}

func runSQS(ctx context.Context, cfg config, put func(context.Context, []byte) error) error {
	c := sqsClient()
	q, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &cfg.queue})
	if err != nil {
		return err
	}
	if !cfg.drainOnly {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		var fillErr atomic.Value
		for start := 0; start < cfg.n; start += 10 {
			var entries []sqstypes.SendMessageBatchRequestEntry
			for i := start; i < min(start+10, cfg.n); i++ {
				entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(body(i)))})
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				out, err := c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: entries})
				if err == nil && len(out.Failed) > 0 {
					err = fmt.Errorf("%d messages not sent", len(out.Failed))
				}
				if err != nil {
					fillErr.Store(err)
				}
			}()
		}
		wg.Wait()
		if err, _ := fillErr.Load().(error); err != nil {
			return err
		}
		if cfg.fillOnly {
			fmt.Printf("filled %s with %d messages\n", aws.ToString(q.QueueUrl), cfg.n)
			return nil
		}
	}
	var done atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, cfg.c)
	// c consumers, as the worker's handler concurrency; receivers fetch 10 at a time for them.
	work := make(chan sqstypes.Message, cfg.c)
	acks := make(chan string, cfg.c*2)
	recvCtx, stop := context.WithCancel(ctx)
	defer stop()
	receivers := max(1, cfg.c/10)
	var rwg sync.WaitGroup
	for r := 0; r < receivers; r++ {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for recvCtx.Err() == nil {
				out, err := c.ReceiveMessage(recvCtx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60})
				if err != nil {
					continue
				}
				for _, m := range out.Messages {
					work <- m
				}
			}
		}()
	}
	for w := 0; w < cfg.c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				if err := put(ctx, []byte(aws.ToString(m.Body))); err != nil {
					errs <- err
					return
				}
				acks <- aws.ToString(m.ReceiptHandle)
			}
		}()
	}
	// Batched deletes, as a sensible raw consumer does.
	var batch []sqstypes.DeleteMessageBatchRequestEntry
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: q.QueueUrl, Entries: batch})
		batch = batch[:0]
		return err
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for done.Load() < int64(cfg.n) {
		select {
		case h := <-acks:
			batch = append(batch, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(len(batch))), ReceiptHandle: aws.String(h)})
			done.Add(1)
			if len(batch) == 10 {
				if err := flush(); err != nil {
					return err
				}
			}
		case <-tick.C:
			if err := flush(); err != nil {
				return err
			}
		case err := <-errs:
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	elapsed := time.Since(start)
	stop()
	rwg.Wait()
	close(work)
	wg.Wait()
	report(cfg, done.Load(), elapsed)
	return nil
}

// waitEmpty polls the queue's depth every 50 ms until it is 0 (AMQP: ready messages; SQS: visible and
// in flight) and prints the rate of cfg.n messages over the time from the first message taken to empty.
func waitEmpty(ctx context.Context, cfg config) error {
	var depth func() (int, error)
	switch cfg.transport {
	case "amqp":
		conn, err := amqp.Dial(os.Getenv("S3DB_TEST_AMQP"))
		if err != nil {
			return err
		}
		defer conn.Close()
		depth = func() (int, error) {
			ch, err := conn.Channel()
			if err != nil {
				return 0, err
			}
			defer ch.Close()
			q, err := ch.QueueDeclarePassive(cfg.queue, true, false, false, false, nil)
			return q.Messages, err
		}
	case "sqs":
		c := sqsClient()
		q, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: &cfg.queue})
		if err != nil {
			return err
		}
		depth = func() (int, error) {
			out, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
				AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
			if err != nil {
				return 0, err
			}
			a, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
			b, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
			return a + b, nil
		}
	default:
		return fmt.Errorf("unknown transport %q", cfg.transport)
	}
	var start time.Time
	for {
		d, err := depth()
		if err != nil {
			return err
		}
		if start.IsZero() && d < cfg.n {
			start = time.Now()
		}
		if d == 0 && !start.IsZero() {
			report(cfg, int64(cfg.n), time.Since(start))
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}
