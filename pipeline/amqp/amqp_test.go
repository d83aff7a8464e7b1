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

// queueWithPublisher declares a fresh durable queue on the test broker and returns it with a Publisher
// (closed when the test ends).
func queueWithPublisher(t *testing.T) (rabbit, queue string, pub *amqp.Publisher) {
	t.Helper()
	rabbit = testenv.AMQPURL(t)
	queue = testenv.AMQPQueues(t, rabbit, "q")[0]
	require.NoError(t, amqp.DeclareQueues(rabbit, queue))
	pub, err := amqp.NewPublisher(rabbit, nil)
	require.NoError(t, err)
	t.Cleanup(func() { pub.Close() })
	return rabbit, queue, pub
}

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

// TestSubscriber_acks_out_of_order: acks and nacks in any order settle exactly their own deliveries: a
// message held unacked while later ones are acked comes back, and only it; a message acked after the
// ones behind it leaves the channel open; a nacked message comes back although later ones are acked;
// acks in any order leave nothing behind.
func TestSubscriber_acks_out_of_order(t *testing.T) {
	rabbit, queue, pub := queueWithPublisher(t)
	publish := func(ids ...string) {
		var out []*message.Message
		for _, id := range ids {
			out = append(out, message.NewMessage(id, []byte("{}")))
		}
		require.NoError(t, pub.Publish(queue, out...))
	}
	subscribe := func() (*amqp.Subscriber, <-chan *message.Message) {
		sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: rabbit, Prefetch: 50,
			CloseTimeout: 200 * time.Millisecond})
		require.NoError(t, err)
		msgs, err := sub.Subscribe(context.Background(), queue)
		require.NoError(t, err)
		return sub, msgs
	}
	take := func(msgs <-chan *message.Message, n int) []*message.Message {
		var got []*message.Message
		for len(got) < n {
			select {
			case m := <-msgs:
				got = append(got, m)
			case <-time.After(5 * time.Second):
				t.Fatalf("got %d messages, want %d", len(got), n)
			}
		}
		return got
	}
	nothingLeft := func() {
		sub, msgs := subscribe()
		defer sub.Close()
		select {
		case m := <-msgs:
			t.Fatalf("message %s is still in the queue", m.UUID)
		case <-time.After(300 * time.Millisecond):
		}
	}
	ids := func(n int) []string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf("m%02d", i))
		}
		return s
	}

	// 1. The first message is held; the 19 after it are acked and must not wait for it.
	publish(ids(20)...)
	sub, msgs := subscribe()
	got := take(msgs, 20)
	for _, m := range got[1:] {
		m.Ack()
	}
	time.Sleep(400 * time.Millisecond)
	require.NoError(t, sub.Close()) // m00 never settled: the broker requeues it
	sub, msgs = subscribe()
	back := take(msgs, 1)
	assert.Equal(t, "m00", back[0].UUID, "only the unacked message comes back")
	select {
	case m := <-msgs:
		t.Fatalf("acked message %s came back", m.UUID)
	case <-time.After(300 * time.Millisecond):
	}
	back[0].Ack()
	require.NoError(t, sub.Close())
	nothingLeft()

	// 2. The later messages acked first, then the one before them: an ack naming a tag no longer
	// outstanding would make RabbitMQ close the channel, and everything unacked would come again.
	publish(ids(10)...)
	sub, msgs = subscribe()
	got = take(msgs, 10)
	for _, m := range got[1:] {
		m.Ack()
	}
	time.Sleep(300 * time.Millisecond)
	got[0].Ack()
	publish("n00")
	next := take(msgs, 1)
	assert.Equal(t, "n00", next[0].UUID, "no redelivery: the channel stayed open")
	next[0].Ack()
	require.NoError(t, sub.Close())
	nothingLeft()

	// 3. A nack among acks: the nacked message is redelivered.
	publish(ids(10)...)
	sub, msgs = subscribe()
	got = take(msgs, 10)
	got[3].Nack()
	for i, m := range got {
		if i != 3 {
			m.Ack()
		}
	}
	again := take(msgs, 1)
	assert.Equal(t, "m03", again[0].UUID)
	assert.Equal(t, "true", again[0].Metadata.Get(amqp.MetadataRedelivered))
	again[0].Ack()
	require.NoError(t, sub.Close())
	nothingLeft()

	// 4. Acks in reverse and interleaved orders from many goroutines: nothing is left.
	publish(ids(50)...)
	sub, msgs = subscribe()
	got = take(msgs, 50)
	var wg sync.WaitGroup
	for i := len(got) - 1; i >= 0; i-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i%7) * time.Millisecond)
			got[i].Ack()
		}()
	}
	wg.Wait()
	require.NoError(t, sub.Close())
	nothingLeft()
}
