package amqp_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/amqp"
	"github.com/s3db-go/s3db/pipeline/internal/faultproxy"
)

func newProxy(t *testing.T, target string) *faultproxy.Proxy {
	p, err := faultproxy.New(target)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

// TestSubscriber_order_and_concurrency: one subscription hands out up to Prefetch messages at once, in
// queue order, and acks may come in any order.
func TestSubscriber_order_and_concurrency(t *testing.T) {
	rabbit := testenv.AMQPURL(t)
	queue := testenv.AMQPQueues(t, rabbit, "q", "q-dlq")[0]
	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: rabbit, Prefetch: 10, DeadLetterQueue: queue + "-dlq"})
	require.NoError(t, err)
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := sub.Subscribe(ctx, queue)
	require.NoError(t, err)

	pub, err := amqp.NewPublisher(rabbit, nil)
	require.NoError(t, err)
	defer pub.Close()
	var out []*message.Message
	for i := range 30 {
		out = append(out, message.NewMessage(fmt.Sprintf("m%02d", i), []byte("{}")))
	}
	require.NoError(t, pub.Publish(queue, out...))

	// Take ten without acking any: all ten come, in order.
	var held []*message.Message
	for i := range 10 {
		select {
		case m := <-msgs:
			assert.Equal(t, fmt.Sprintf("m%02d", i), m.UUID, "queue order")
			held = append(held, m)
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d unacked messages handed out, want 10", i)
		}
	}
	select {
	case m := <-msgs:
		t.Fatalf("an 11th message %s came while 10 were unacked", m.UUID)
	case <-time.After(100 * time.Millisecond):
	}
	for i := len(held) - 1; i >= 0; i-- { // ack in reverse order
		held[i].Ack()
	}
	for i := 10; i < 30; i++ {
		select {
		case m := <-msgs:
			assert.Equal(t, fmt.Sprintf("m%02d", i), m.UUID)
			m.Ack()
		case <-time.After(5 * time.Second):
			t.Fatalf("message %d did not come", i)
		}
	}
}

// TestSubscriber_reconnects cuts every connection twice while messages flow: the subscriber and the
// publisher reconnect, and every message is received (unacked ones again: redelivery).
func TestSubscriber_reconnects(t *testing.T) {
	rabbit := testenv.AMQPURL(t)
	u, err := url.Parse(rabbit)
	require.NoError(t, err)
	px := newProxy(t, u.Host)
	viaProxy, err := px.URL(rabbit)
	require.NoError(t, err)
	queue := testenv.AMQPQueues(t, rabbit, "q")[0]

	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: viaProxy, Prefetch: 5, ReconnectInitial: 20 * time.Millisecond})
	require.NoError(t, err)
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := sub.Subscribe(ctx, queue)
	require.NoError(t, err)

	var mu sync.Mutex
	got := map[string]int{}
	go func() {
		for m := range msgs {
			mu.Lock()
			got[m.UUID]++
			mu.Unlock()
			time.Sleep(time.Millisecond)
			m.Ack()
		}
	}()

	pub, err := amqp.NewPublisher(viaProxy, nil)
	require.NoError(t, err)
	defer pub.Close()
	const n = 300
	for i := range n {
		if i == 100 || i == 200 {
			px.Cut()
		}
		m := message.NewMessage(fmt.Sprintf("m%03d", i), []byte("{}"))
		require.Eventually(t, func() bool { return pub.Publish(queue, m) == nil }, 30*time.Second, 50*time.Millisecond,
			"publish %d after the connections were cut", i)
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == n
	}, 30*time.Second, 20*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	redelivered := 0
	for _, c := range got {
		redelivered += c - 1
	}
	t.Logf("%d messages received after two connection cuts, %d of them delivered again", n, redelivered)
}

// TestSubscriber_existing_queue: a queue made beforehand without the dead-letter arguments is consumed
// as it is (declaring it with other arguments would fail).
func TestSubscriber_existing_queue(t *testing.T) {
	rabbit := testenv.AMQPURL(t)
	queue := testenv.AMQPQueues(t, rabbit, "q", "q-dlq")[0]
	require.NoError(t, amqp.DeclareQueues(rabbit, queue)) // no arguments
	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: rabbit, DeadLetterQueue: queue + "-dlq"})
	require.NoError(t, err)
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := sub.Subscribe(ctx, queue)
	require.NoError(t, err)
	pub, err := amqp.NewPublisher(rabbit, nil)
	require.NoError(t, err)
	defer pub.Close()
	require.NoError(t, pub.Publish(queue, message.NewMessage("x1", []byte("{}"))))
	select {
	case m := <-msgs:
		assert.Equal(t, "x1", m.UUID)
		m.Ack()
	case <-time.After(5 * time.Second):
		t.Fatal("no message from the existing queue")
	}
}
