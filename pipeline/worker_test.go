package pipeline_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline"
	"github.com/s3db-go/s3db/store"
)

func usersConfig(t testing.TB, conn, inputs string, extra ...string) *pipeline.Config {
	t.Helper()
	c, err := pipeline.ParseConfig([]byte(`
store: {connection: "`+conn+`"}
resources:
  - name: users
    attributes: {name: string|required, age: number|optional, seq: number|optional}
inputs: `+inputs+`
retry: {max_retries: 2, initial_interval: 1ms, max_interval: 5ms, handler_timeout: 10s}
http: {addr: "off"}
shutdown_timeout: 5s
`+strings.Join(extra, "\n")), env(nil))
	require.NoError(t, err)
	return c
}

// runWorker starts w and stops it (checking a clean shutdown) at the end of the test.
func runWorker(t testing.TB, w *pipeline.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-w.Running():
	case err := <-done:
		t.Fatalf("worker stopped at start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("worker did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "shutdown")
		case <-time.After(15 * time.Second):
			t.Error("worker did not stop")
		}
	})
}

// drain acks every message of ch at once (a blocking publisher waits for that) and buffers it.
func drain(ch <-chan *message.Message) <-chan *message.Message {
	out := make(chan *message.Message, 100000)
	go func() {
		for m := range ch {
			m.Ack()
			out <- m
		}
	}()
	return out
}

func collect(t *testing.T, ch <-chan *message.Message, n int) []*message.Message {
	t.Helper()
	var out []*message.Message
	timeout := time.After(20 * time.Second)
	for len(out) < n {
		select {
		case m := <-ch:
			m.Ack()
			out = append(out, m)
		case <-timeout:
			t.Fatalf("got %d messages, want %d", len(out), n)
		}
	}
	return out
}

// TestWorker_poison_and_duplicates runs the embedded transport: failing messages go to the dead-letter
// topic with the error in their metadata while the others flow, and a redelivery is acked without a
// second change.
func TestWorker_poison_and_duplicates(t *testing.T) {
	ctx := context.Background()
	cfg := usersConfig(t, "file://"+t.TempDir(), `[{transport: gochannel, queue: in, concurrency: 4}]`)
	cfg.DeadLetter.Topic = "dlq"
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{})
	require.NoError(t, err)
	gc := w.GoChannel()
	changesCh, err := gc.Subscribe(ctx, cfg.Changes.Topic)
	require.NoError(t, err)
	dlqCh, err := gc.Subscribe(ctx, "dlq")
	require.NoError(t, err)
	changes, dlq := drain(changesCh), drain(dlqCh)
	runWorker(t, w)

	msg := func(id, body string) *message.Message { return message.NewMessage(id, []byte(body)) }
	for _, m := range []*message.Message{
		msg("m1", `{"resource":"users","action":"insert","data":{"id":"u1","name":"Ada"}}`),
		msg("bad", `{"resource":"users",`),
		msg("m2", `{"resource":"users","action":"update","data":{"id":"u1","age":36}}`),
		msg("m1", `{"resource":"users","action":"insert","data":{"id":"u1","name":"Ada"}}`), // redelivery
		msg("invalid", `{"resource":"users","action":"insert","data":{"id":"u2"}}`),
		msg("missing", `{"resource":"users","action":"update","data":{"id":"nobody","age":1}}`),
		msg("m3", `{"resource":"users","action":"insert","data":{"id":"u3","name":"Bob"}}`),
	} {
		require.NoError(t, gc.Publish("in", m))
	}

	got := collect(t, changes, 3)
	var ops []string
	for _, m := range got {
		var ch store.Change
		require.NoError(t, json.Unmarshal(m.Payload, &ch))
		assert.Equal(t, ch.ID, m.UUID, "the change's message UUID is its deterministic id")
		assert.NotEmpty(t, middleware.MessageCorrelationID(m))
		ops = append(ops, ch.Op+" "+ch.Key)
	}
	assert.Equal(t, []string{"insert u1", "update u1", "insert u3"}, ops)

	dead := collect(t, dlq, 3)
	byID := map[string]*message.Message{}
	for _, m := range dead {
		byID[m.UUID] = m
		assert.NotEmpty(t, m.Metadata.Get(middleware.ReasonForPoisonedKey))
		assert.Equal(t, "in", m.Metadata.Get(middleware.PoisonedTopicKey))
	}
	require.Contains(t, byID, "bad")
	assert.Equal(t, "permanent", byID["bad"].Metadata.Get(pipeline.MetadataErrorClass))
	assert.Equal(t, "bad JSON", byID["bad"].Metadata.Get(pipeline.MetadataErrorReason))
	assert.Equal(t, "1", byID["bad"].Metadata.Get(pipeline.MetadataAttempts), "permanent errors are not retried")
	assert.Equal(t, "validation", byID["invalid"].Metadata.Get(pipeline.MetadataErrorReason))
	assert.Equal(t, "transient", byID["missing"].Metadata.Get(pipeline.MetadataErrorClass))
	assert.Equal(t, "3", byID["missing"].Metadata.Get(pipeline.MetadataAttempts), "transient errors are retried max_retries times")

	m := w.Metrics()
	assert.Equal(t, 7.0, testutil.ToFloat64(m.Received.WithLabelValues("in")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.Duplicates.WithLabelValues("in")))
	assert.Equal(t, 3.0, testutil.ToFloat64(m.Published.WithLabelValues("in")))
	assert.EqualValues(t, 3, sampleCount(t, m.PublishLatency.WithLabelValues("in", "ok")), "each change's publication is timed")
	assert.Equal(t, 1.0, testutil.ToFloat64(m.DeadLettered.WithLabelValues("in", "bad JSON")))
	assert.Greater(t, testutil.ToFloat64(m.S3Requests.WithLabelValues("put", "ok")), 2.0)
	users, err := w.Database().Resource("users")
	require.NoError(t, err)
	n, err := users.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

// sampleCount is the number of observations of a histogram.
func sampleCount(t *testing.T, o prometheus.Observer) uint64 {
	t.Helper()
	var pb dto.Metric
	require.NoError(t, o.(prometheus.Metric).Write(&pb))
	return pb.GetHistogram().GetSampleCount()
}

// sumCounter is the sum of a counter vector over all its labels.
func sumCounter(t *testing.T, c *prometheus.CounterVec) float64 {
	t.Helper()
	ch := make(chan prometheus.Metric, 100)
	go func() { c.Collect(ch); close(ch) }()
	var sum float64
	for m := range ch {
		var pb dto.Metric
		require.NoError(t, m.Write(&pb))
		sum += pb.GetCounter().GetValue()
	}
	return sum
}
