package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline"
	"github.com/s3db-go/s3db/pipeline/internal/settle"
)

// eagerSubscriber hands out every message at once, without waiting for acks (as SQS with a large
// MaxUnacked or an AMQP channel with a large prefetch may), and records how each was settled.
type eagerSubscriber struct {
	msgs []*message.Message
}

func (s *eagerSubscriber) Subscribe(ctx context.Context, _ string) (<-chan *message.Message, error) {
	out := make(chan *message.Message, len(s.msgs))
	for _, m := range s.msgs {
		out <- m
	}
	go func() {
		<-ctx.Done()
		close(out)
	}()
	return out, nil
}

func (s *eagerSubscriber) Close() error { return nil }

// TestKeyedSubscriber_order runs many keys concurrently: messages of one key never overlap and are
// handled in order; different keys do overlap.
func TestKeyedSubscriber_order(t *testing.T) {
	const keys, perKey = 20, 30
	var msgs []*message.Message
	for i := range perKey {
		for k := range keys {
			m := message.NewMessage(fmt.Sprintf("%d-%d", k, i), nil)
			m.Metadata.Set("key", "k"+strconv.Itoa(k))
			m.Metadata.Set("seq", strconv.Itoa(i))
			msgs = append(msgs, m)
		}
	}
	unkeyed := message.NewMessage("free", nil) // orders with nothing
	msgs = append(msgs, unkeyed)
	sub := pipeline.NewKeyedSubscriber(&eagerSubscriber{msgs: msgs}, func(m *message.Message) string { return m.Metadata.Get("key") }, 8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, err := sub.Subscribe(ctx, "t")
	require.NoError(t, err)

	var (
		mu       sync.Mutex
		busy     = map[string]bool{}
		last     = map[string]int{}
		overlap  atomic.Int32
		inflight atomic.Int32
		maxSeen  atomic.Int32
		wg       sync.WaitGroup
	)
	for range len(msgs) {
		m := <-out
		wg.Add(1)
		go func() { // like the Router: every message in its own goroutine
			defer wg.Done()
			key := m.Metadata.Get("key")
			n := inflight.Add(1)
			for cur := maxSeen.Load(); n > cur && !maxSeen.CompareAndSwap(cur, n); cur = maxSeen.Load() {
			}
			mu.Lock()
			if key != "" {
				if busy[key] {
					overlap.Add(1)
				}
				busy[key] = true
				seq, _ := strconv.Atoi(m.Metadata.Get("seq"))
				assert.Equal(t, last[key], seq, "key %s out of order", key)
				last[key] = seq + 1
			}
			mu.Unlock()
			time.Sleep(time.Duration(rand.N(300)) * time.Microsecond)
			mu.Lock()
			busy[key] = false
			mu.Unlock()
			inflight.Add(-1)
			m.Ack()
		}()
	}
	wg.Wait()
	assert.Zero(t, overlap.Load(), "two messages of one key ran at once")
	assert.Greater(t, maxSeen.Load(), int32(4), "different keys should run concurrently")
	assert.LessOrEqual(t, maxSeen.Load(), int32(8), "the limit holds")
	for k := range keys {
		assert.Equal(t, perKey, last["k"+strconv.Itoa(k)])
	}
	cancel()
	for range out { // closes once the inner subscription has
	}
}

// TestKeyedSubscriber_shutdown: when the subscription ends, what the inner subscriber had handed out is
// still passed on and handled, with a context that is not cancelled, and the output closes once the
// inner one has and everything settled.
func TestKeyedSubscriber_shutdown(t *testing.T) {
	a1 := message.NewMessage("a1", nil)
	a2 := message.NewMessage("a2", nil)
	for _, m := range []*message.Message{a1, a2} {
		m.Metadata.Set("key", "a")
	}
	sub := pipeline.NewKeyedSubscriber(&eagerSubscriber{msgs: []*message.Message{a1, a2}}, func(m *message.Message) string { return m.Metadata.Get("key") }, 0)
	ctx, cancel := context.WithCancel(context.Background())
	a1.SetContext(ctx)
	a2.SetContext(ctx)
	out, err := sub.Subscribe(ctx, "t")
	require.NoError(t, err)
	got := <-out
	require.Equal(t, "a1", got.UUID)
	cancel()
	assert.NoError(t, got.Context().Err(), "a message taken is finished, not cancelled")
	select {
	case m, ok := <-out:
		t.Fatalf("passed on %v (ok=%v) while a message of its key was in flight", m, ok)
	case <-time.After(50 * time.Millisecond):
	}
	got.Ack()
	select {
	case m := <-out:
		require.Equal(t, "a2", m.UUID, "the queued message is still handled")
		assert.NoError(t, m.Context().Err())
		m.Ack()
	case <-time.After(2 * time.Second):
		t.Fatal("the queued message was not passed on after shutdown began")
	}
	select {
	case _, ok := <-out:
		assert.False(t, ok)
	case <-time.After(2 * time.Second):
		t.Fatal("output not closed after everything settled")
	}
	select {
	case <-a2.Nacked():
		t.Fatal("a2 was nacked")
	default:
	}
}

// TestKeyedSubscriber_nack_gives_back_the_key: after a nack, the messages of the same key queued behind
// it are nacked too (none may overtake it); other keys go on.
func TestKeyedSubscriber_nack_gives_back_the_key(t *testing.T) {
	mk := func(id, key string) *message.Message {
		m := message.NewMessage(id, nil)
		m.Metadata.Set("key", key)
		return m
	}
	a1, a2, a3, b1 := mk("a1", "a"), mk("a2", "a"), mk("a3", "a"), mk("b1", "b")
	sub := pipeline.NewKeyedSubscriber(&eagerSubscriber{msgs: []*message.Message{a1, a2, a3, b1}},
		func(m *message.Message) string { return m.Metadata.Get("key") }, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, err := sub.Subscribe(ctx, "t")
	require.NoError(t, err)
	first, second := <-out, <-out
	assert.Equal(t, []string{"a1", "b1"}, []string{first.UUID, second.UUID})
	first.Nack()
	for _, m := range []*message.Message{a2, a3} {
		select {
		case <-m.Nacked():
		case <-time.After(2 * time.Second):
			t.Fatalf("%s, queued behind a nacked message of its key, was not nacked", m.UUID)
		}
	}
	second.Ack()
	select {
	case m := <-out:
		t.Fatalf("%s was passed on after its key was given back", m.UUID)
	case <-time.After(50 * time.Millisecond):
	}
}

// TestKeyedSubscriber_nacks_followers_in_order: when the transport tells (pipeline/internal/settle) when
// a nack was sent, the followers of a nacked message are
// nacked one at a time, each only once the transport has sent the previous nack (RabbitMQ redelivers
// requeued messages in the order the nacks reach it: nacked all at once, a later update could come
// back first and be overwritten by an earlier one).
func TestKeyedSubscriber_nacks_followers_in_order(t *testing.T) {
	mk := func(id string) *message.Message {
		m := message.NewMessage(id, nil)
		m.Metadata.Set("key", "a")
		return m
	}
	a1, a2, a3 := mk("a1"), mk("a2"), mk("a3")
	sent := map[string]chan struct{}{"a1": make(chan struct{}), "a2": make(chan struct{}), "a3": make(chan struct{})}
	for _, m := range []*message.Message{a1, a2, a3} { // as pipeline/amqp's subscriber marks its messages
		m.SetContext(settle.With(m.Context(), sent[m.UUID]))
	}
	sub := pipeline.NewKeyedSubscriber(&eagerSubscriber{msgs: []*message.Message{a1, a2, a3}},
		func(m *message.Message) string { return m.Metadata.Get("key") }, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, err := sub.Subscribe(ctx, "t")
	require.NoError(t, err)
	require.Equal(t, "a1", (<-out).UUID)

	a1.Nack()
	notYet := func(m *message.Message, why string) {
		t.Helper()
		select {
		case <-m.Nacked():
			t.Fatalf("%s nacked %s", m.UUID, why)
		case <-time.After(100 * time.Millisecond):
		}
	}
	nacked := func(m *message.Message) {
		t.Helper()
		select {
		case <-m.Nacked():
		case <-time.After(2 * time.Second):
			t.Fatalf("%s was not nacked", m.UUID)
		}
	}
	notYet(a2, "before a1's nack was sent")
	close(sent["a1"])
	nacked(a2)
	notYet(a3, "before a2's nack was sent")
	close(sent["a2"])
	nacked(a3)
}
