// Command latency measures the worker's end-to-end latency at a steady load (docs/benchmarks.md): it
// publishes insert messages at a fixed rate to the worker's input queue and reads the worker's change
// events from the changes queue; the latency of a message is the time from its publication to the
// arrival of its change event (store write, change publication and delivery included). It prints
// p50, p90, p99 and max.
//
//	latency -transport amqp|sqs -in QUEUE -changes QUEUE -rate 200 -duration 20s [-resource events]
//
// The worker must be running with the same queues (bench/worker.sh starts it). Addresses come from
// S3DB_TEST_AMQP and S3DB_TEST_SQS.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	amqp "github.com/rabbitmq/amqp091-go"
)

type config struct {
	transport, in, changes, resource string
	rate                             int
	duration                         time.Duration
}

// clock remembers when each record's message was sent and collects latencies.
type clock struct {
	mu        sync.Mutex
	sent      map[string]time.Time
	latencies []time.Duration
}

func (c *clock) send(id string) {
	c.mu.Lock()
	c.sent[id] = time.Now()
	c.mu.Unlock()
}

func (c *clock) arrived(body []byte) {
	var ch struct {
		Key string `json:"key"`
		Op  string `json:"op"`
	}
	if json.Unmarshal(body, &ch) != nil || ch.Op != "insert" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.sent[ch.Key]; ok {
		c.latencies = append(c.latencies, time.Since(t))
		delete(c.sent, ch.Key)
	}
}

func main() {
	var cfg config
	flag.StringVar(&cfg.transport, "transport", "amqp", "amqp or sqs")
	flag.StringVar(&cfg.in, "in", "", "the worker's input queue")
	flag.StringVar(&cfg.changes, "changes", "", "the worker's changes queue")
	flag.StringVar(&cfg.resource, "resource", "events", "resource of the inserts")
	flag.IntVar(&cfg.rate, "rate", 200, "messages per second")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "how long to publish")
	flag.Parse()
	if cfg.in == "" || cfg.changes == "" {
		fmt.Fprintln(os.Stderr, "latency: -in and -changes are required")
		os.Exit(2)
	}
	if err := run(context.Background(), cfg); err != nil {
		slog.Error("latency failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	c := &clock{sent: map[string]time.Time{}}
	var publish func(ctx context.Context, body []byte) error
	var consume func(ctx context.Context) error
	var err error
	switch cfg.transport {
	case "amqp":
		publish, consume, err = amqpSides(cfg, c)
	case "sqs":
		publish, consume, err = sqsSides(ctx, cfg, c)
	default:
		err = fmt.Errorf("unknown transport %q", cfg.transport)
	}
	if err != nil {
		return err
	}
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- consume(cctx) }()

	run := time.Now().UnixNano()
	tick := time.NewTicker(time.Second / time.Duration(cfg.rate))
	defer tick.Stop()
	n := 0
	for end := time.Now().Add(cfg.duration); time.Now().Before(end); n++ {
		<-tick.C
		id := fmt.Sprintf("lat%x-%06d", run, n)
		body, _ := json.Marshal(map[string]any{"resource": cfg.resource, "action": "insert", "txId": id,
			"data": map[string]any{"id": id, "kind": "latency", "n": n, "user": "bench"}})
		c.send(id)
		if err := publish(ctx, body); err != nil {
			return err
		}
	}
	// Wait for the stragglers, up to 10 s.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c.mu.Lock()
		left := len(c.sent)
		c.mu.Unlock()
		if left == 0 {
			break
		}
	}
	stop()
	<-done
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.latencies
	slices.Sort(l)
	if len(l) == 0 {
		return fmt.Errorf("no change events arrived")
	}
	q := func(p float64) time.Duration { return l[min(len(l)-1, int(p*float64(len(l))))] }
	fmt.Printf("latency %s: %d/%d messages at %d/s: p50 %v p90 %v p99 %v max %v (missing %d)\n", cfg.transport, len(l), n, cfg.rate,
		q(0.50).Round(100*time.Microsecond), q(0.90).Round(100*time.Microsecond), q(0.99).Round(100*time.Microsecond), l[len(l)-1].Round(100*time.Microsecond), len(c.sent))
	return nil
}

func amqpSides(cfg config, c *clock) (func(context.Context, []byte) error, func(context.Context) error, error) {
	conn, err := amqp.Dial(os.Getenv("S3DB_TEST_AMQP"))
	if err != nil {
		return nil, nil, err
	}
	pub, err := conn.Channel()
	if err != nil {
		return nil, nil, err
	}
	sub, err := conn.Channel()
	if err != nil {
		return nil, nil, err
	}
	// The worker declares its queues when it starts; wait for them (a failed passive declare closes
	// the channel, so each try gets a new one).
	for try := 0; ; try++ {
		probe, err := conn.Channel()
		if err != nil {
			return nil, nil, err
		}
		_, err = probe.QueueDeclarePassive(cfg.changes, true, false, false, false, nil)
		if err == nil {
			_ = probe.Close()
			break
		}
		if try == 150 {
			return nil, nil, fmt.Errorf("the changes queue %q must exist (start the worker first): %w", cfg.changes, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	deliveries, err := sub.Consume(cfg.changes, "latency", true, false, false, false, nil)
	if err != nil {
		return nil, nil, err
	}
	publish := func(ctx context.Context, body []byte) error {
		return pub.PublishWithContext(ctx, "", cfg.in, false, false, amqp.Publishing{DeliveryMode: amqp.Persistent, ContentType: "application/json", Body: body})
	}
	consume := func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return conn.Close()
			case d := <-deliveries:
				c.arrived(d.Body)
			}
		}
	}
	return publish, consume, nil
}

func sqsSides(ctx context.Context, cfg config, c *clock) (func(context.Context, []byte) error, func(context.Context) error, error) {
	client := sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(os.Getenv("S3DB_TEST_SQS")),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	in, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &cfg.in})
	if err != nil {
		return nil, nil, err
	}
	ch, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &cfg.changes})
	if err != nil {
		return nil, nil, err
	}
	publish := func(ctx context.Context, body []byte) error {
		_, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: in.QueueUrl, MessageBody: aws.String(string(body))})
		return err
	}
	consume := func(ctx context.Context) error {
		for ctx.Err() == nil {
			out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: ch.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
			if err != nil {
				continue
			}
			for _, m := range out.Messages {
				c.arrived([]byte(aws.ToString(m.Body)))
				_, _ = client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: ch.QueueUrl, ReceiptHandle: m.ReceiptHandle})
			}
		}
		return nil
	}
	return publish, consume, nil
}
