package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/s3db-go/s3db/pipeline"
)

// feed is the bundled sample: one message a line, {"messageId": …, "body": {…}} or, for a body that is
// not even JSON, {"messageId": …, "raw": "…"}. It holds inserts, updates, upserts and deletes of two
// resources, a redelivered message, two messages sharing a txId, and four poison messages.
//
//go:embed feed.jsonl
var feed []byte

type feedLine struct {
	MessageID string          `json:"messageId"`
	Body      json.RawMessage `json:"body"`
	Raw       *string         `json:"raw"`
}

type embeddedOptions struct {
	dataDir  string
	serve    bool
	httpAddr string
}

const (
	embeddedInput      = "inbound"
	embeddedDeadLetter = "dead-letters"
)

// embeddedConfig is the configuration of the embedded mode: everything under dataDir.
func embeddedConfig(dataDir string, opts embeddedOptions) (*pipeline.Config, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	yaml := fmt.Sprintf(`
store: {connection: %q}
resources:
  - name: users
    timestamps: true
    attributes: {name: string|required, email: email|optional, age: number|integer|optional, region: string|optional}
    partitions: {byRegion: {fields: {region: string}}}
  - name: orders
    attributes: {userId: string|required, total: number, status: string}
inputs: [{transport: gochannel, queue: %s, concurrency: 8}]
changes: {transport: file, topic: %q}
dead_letter: {topic: %s}
retry: {max_retries: 2, initial_interval: 5ms, max_interval: 50ms}
http: {addr: %q}
shutdown_timeout: 10s
`, "file://"+filepath.ToSlash(filepath.Join(abs, "db")), embeddedInput, filepath.Join(abs, "changes.jsonl"), embeddedDeadLetter, httpAddrFor(opts))
	return pipeline.ParseConfig([]byte(yaml), func(string) (string, bool) { return "", false })
}

func httpAddrFor(o embeddedOptions) string {
	if o.serve {
		return o.httpAddr
	}
	return "off"
}

// runEmbedded runs the worker on the bundled feed and prints what it did.
func runEmbedded(ctx context.Context, opts embeddedOptions, stdout io.Writer, log *slog.Logger) error {
	start := time.Now()
	cfg, err := embeddedConfig(opts.dataDir, opts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.dataDir, 0o755); err != nil {
		return err
	}
	gc := gochannel.NewGoChannel(gochannel.Config{BlockPublishUntilSubscriberAck: true}, watermill.NopLogger{})
	defer gc.Close()
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{Logger: log, GoChannel: gc})
	if err != nil {
		return err
	}

	deadPath := filepath.Join(opts.dataDir, "dead-letters.jsonl")
	dead, err := gc.Subscribe(ctx, embeddedDeadLetter)
	if err != nil {
		return err
	}
	var deadWG sync.WaitGroup
	deadWG.Add(1)
	deadErr := make(chan error, 1)
	go func() {
		defer deadWG.Done()
		deadErr <- writeDeadLetters(deadPath, dead)
	}()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	runErr := make(chan error, 1)
	go func() { runErr <- w.Run(runCtx) }()
	select {
	case <-w.Running():
	case err := <-runErr:
		return err
	}

	sent := 0
	for line := range bytes.Lines(feed) {
		if ctx.Err() != nil {
			break
		}
		var fl feedLine
		if err := json.Unmarshal(line, &fl); err != nil {
			return fmt.Errorf("bundled feed: %w", err)
		}
		body := []byte(fl.Body)
		if fl.Raw != nil {
			body = []byte(*fl.Raw)
		}
		// Publish returns once the message was handled and acked (BlockPublishUntilSubscriberAck).
		if err := gc.Publish(embeddedInput, message.NewMessage(fl.MessageID, body)); err != nil {
			return err
		}
		sent++
	}
	elapsed := time.Since(start)

	if opts.serve {
		printSummary(stdout, cfg, w, sent, elapsed, deadPath)
		fmt.Fprintf(stdout, "\nserving http://%s/metrics (also /healthz, /readyz); Ctrl-C to stop\n", w.HTTPAddr())
		<-ctx.Done()
	}
	stop()
	if err := <-runErr; err != nil {
		return err
	}
	_ = gc.Close() // ends the dead-letter subscription
	deadWG.Wait()
	if err := <-deadErr; err != nil {
		return err
	}
	if !opts.serve {
		printSummary(stdout, cfg, w, sent, elapsed, deadPath)
	}
	return nil
}

// writeDeadLetters appends each dead letter as {"messageId", "metadata", "payload"} to path.
func writeDeadLetters(path string, msgs <-chan *message.Message) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	for m := range msgs {
		b, _ := json.Marshal(struct {
			MessageID string            `json:"messageId"`
			Metadata  map[string]string `json:"metadata"`
			Payload   string            `json:"payload"`
		}{m.UUID, m.Metadata, string(m.Payload)})
		bw.Write(b)
		bw.WriteByte('\n')
		err = bw.Flush()
		m.Ack()
		if err != nil {
			return err
		}
	}
	return f.Close()
}

func printSummary(out io.Writer, cfg *pipeline.Config, w *pipeline.Worker, sent int, elapsed time.Duration, deadPath string) {
	reg := w.Metrics().Registry
	ctx := context.Background()
	fmt.Fprintf(out, "s3db-go worker, embedded mode: %d messages from the bundled feed in %v\n", sent, elapsed.Round(time.Millisecond))
	fmt.Fprintf(out, "  applied:       %.0f writes\n", sumMetric(reg, "s3db_worker_messages_applied_total"))
	fmt.Fprintf(out, "  duplicates:    %.0f (redelivered messages, acked without writing again)\n", sumMetric(reg, "s3db_worker_messages_duplicate_total"))
	fmt.Fprintf(out, "  dead-lettered: %.0f -> %s (the error is in metadata.reason_poisoned)\n", sumMetric(reg, "s3db_worker_messages_dead_lettered_total"), deadPath)
	fmt.Fprintf(out, "  changes:       %.0f events -> %s\n", sumMetric(reg, "s3db_worker_changes_published_total"), cfg.Changes.Topic)
	fmt.Fprintf(out, "  S3 requests:   %.0f (local directory backend)\n", sumMetric(reg, "s3db_s3_requests_total"))
	fmt.Fprintf(out, "  store:         %s\n", cfg.Store.Connection)
	for _, name := range w.Database().Resources() {
		r, err := w.Database().Resource(name)
		if err != nil {
			continue
		}
		if n, err := r.Count(ctx); err == nil {
			fmt.Fprintf(out, "    %-8s %d records\n", name, n)
		}
	}
	fmt.Fprintf(out, "\nlook at the records:  S3DB_CONNECTION=%s go run ./cmd/s3db query users --limit 5\n", cfg.Store.Connection)
	fmt.Fprintf(out, "run a real service:   go run ./cmd/worker --config configs/local.yaml\n")
}

// sumMetric adds up every series of a counter family.
func sumMetric(g prometheus.Gatherer, name string) float64 {
	mfs, err := g.Gather()
	if err != nil {
		return 0
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if c := m.GetCounter(); c != nil {
				sum += c.GetValue()
			}
		}
	}
	return sum
}
