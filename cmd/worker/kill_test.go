package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/amqp"
	"github.com/s3db-go/s3db/store"
)

// TestWorker_kill9 kills the worker process with SIGKILL in the middle of a RabbitMQ stream and starts
// it again: nothing is lost, nothing is applied twice, every write has exactly one change id, and the
// partition references are complete.
func TestWorker_kill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the worker binary")
	}
	rabbit := testenv.AMQPURL(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "worker")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	prefix := "s3db-kill-" + watermill.NewShortUUID()[:8]
	in, changesQ, dlq := prefix+"-in", prefix+"-changes", prefix+"-dlq"
	t.Cleanup(func() {
		if conn, err := amqp091.Dial(rabbit); err == nil {
			if ch, err := conn.Channel(); err == nil {
				for _, q := range []string{in, changesQ, dlq} {
					_, _ = ch.QueueDelete(q, false, false, false)
				}
			}
			conn.Close()
		}
	})
	cfgPath := filepath.Join(dir, "worker.yaml")
	require.NoError(t, os.WriteFile(cfgPath, fmt.Appendf(nil, `
store: {connection: "file://%s"}
resources:
  - name: users
    attributes: {name: string|required, region: string, seq: number}
    partitions: {byRegion: {fields: {region: string}}}
inputs: [{transport: amqp, queue: %s, concurrency: 8}]
changes: {transport: amqp, topic: %s}
dead_letter: {topic: %s}
amqp: {url: %q}
http: {addr: "off"}
log: {level: warn}
`, filepath.Join(dir, "db"), in, changesQ, dlq, rabbit), 0o644))
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "--config", cfgPath)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Start())
		return cmd
	}
	first := start()

	// Collect changes (the queue is declared by the worker; wait for it).
	var mu sync.Mutex
	ids := map[string]bool{}
	total := 0
	require.Eventually(t, func() bool { return amqp.DeclareQueues(rabbit, changesQ) == nil }, 10*time.Second, 50*time.Millisecond)
	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: rabbit, Prefetch: 200})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); sub.Close() }()
	changes, err := sub.Subscribe(ctx, changesQ)
	require.NoError(t, err)
	go func() {
		for m := range changes {
			var ch store.Change
			if json.Unmarshal(m.Payload, &ch) == nil {
				mu.Lock()
				ids[ch.ID] = true
				total++
				mu.Unlock()
			}
			m.Ack()
		}
	}()
	count := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return len(ids), total
	}

	pub, err := amqp.NewPublisher(rabbit, nil)
	require.NoError(t, err)
	defer pub.Close()
	var msgs []*message.Message
	const keys, updates = 150, 3
	for k := range keys {
		msgs = append(msgs, message.NewMessage(watermill.NewUUID(), fmt.Appendf(nil,
			`{"resource":"users","action":"insert","data":{"id":"k%d","name":"n","region":"r%d","seq":0}}`, k, k%3)))
		for s := 1; s <= updates; s++ {
			msgs = append(msgs, message.NewMessage(watermill.NewUUID(), fmt.Appendf(nil,
				`{"resource":"users","action":"update","data":{"id":"k%d","seq":%d}}`, k, s)))
		}
	}
	require.Eventually(t, func() bool { return queueExists(rabbit, in) }, 20*time.Second, 20*time.Millisecond,
		"the worker declares its input queue")
	published := make(chan error, 1)
	go func() { published <- pub.Publish(in, msgs...) }()

	require.Eventually(t, func() bool { n, _ := count(); return n >= 100 }, 30*time.Second, time.Millisecond)
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	killedAt, _ := count()
	require.NoError(t, <-published)

	second := start()
	defer func() {
		_ = second.Process.Signal(syscall.SIGTERM)
		state, err := second.Process.Wait()
		require.NoError(t, err)
		assert.Equal(t, 0, state.ExitCode(), "SIGTERM exits 0")
	}()
	want := keys * (1 + updates)
	require.Eventually(t, func() bool { n, _ := count(); return n >= want }, 60*time.Second, 20*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	n, all := count()
	assert.Equal(t, want, n, "one change id per write")
	t.Logf("killed after %d changes; %d change messages for %d writes in the end", killedAt, all, n)

	db, err := store.Open(context.Background(), "file://"+filepath.Join(dir, "db"), store.Options{})
	require.NoError(t, err)
	users, err := db.Resource("users")
	require.NoError(t, err)
	for k := range keys {
		rec, err := users.Get(context.Background(), fmt.Sprintf("k%d", k))
		require.NoError(t, err)
		assert.EqualValues(t, updates, rec["seq"], "k%d", k)
	}
	inPartitions := 0
	for r := range 3 {
		ids, err := users.ListIDsByPartition(context.Background(), "byRegion", map[string]any{"region": fmt.Sprintf("r%d", r)})
		require.NoError(t, err)
		inPartitions += len(ids)
	}
	assert.Equal(t, keys, inPartitions, "every record is in its partition")
}

// queueExists reports whether a queue is declared (a passive declare succeeds).
func queueExists(url, queue string) bool {
	conn, err := amqp091.Dial(url)
	if err != nil {
		return false
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return false
	}
	_, err = ch.QueueDeclarePassive(queue, true, false, false, false, nil)
	return err == nil
}
