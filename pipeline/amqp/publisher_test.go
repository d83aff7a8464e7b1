package amqp_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/amqp"
	"github.com/s3db-go/s3db/pipeline/internal/faultproxy"
)

// TestPublisher_concurrent_publishes: many goroutines publishing one message at a time (as the
// router's handlers do) all get their confirms, every message is in the queue exactly once, and each
// goroutine's messages are in the order it published them.
func TestPublisher_concurrent_publishes(t *testing.T) {
	rabbit, queue, pub := queueWithPublisher(t)

	const producers, each = 32, 40
	var wg sync.WaitGroup
	errs := make(chan error, producers*each)
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- pub.Publish(queue, message.NewMessage(fmt.Sprintf("p%02d-%03d", p, i), []byte("{}")))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	msgs := subscribe(t, rabbit, queue)
	seen := map[string]bool{}
	last := map[int]int{}
	for len(seen) < producers*each {
		select {
		case m := <-msgs:
			m.Ack()
			require.False(t, seen[m.UUID], "%s twice", m.UUID)
			seen[m.UUID] = true
			var p, i int
			_, err := fmt.Sscanf(m.UUID, "p%02d-%03d", &p, &i)
			require.NoError(t, err)
			if prev, ok := last[p]; ok {
				assert.Greater(t, i, prev, "producer %d's messages out of order", p)
			}
			last[p] = i
		case <-time.After(5 * time.Second):
			t.Fatalf("%d of %d messages in the queue", len(seen), producers*each)
		}
	}
	select {
	case m := <-msgs:
		t.Fatalf("an extra message %s", m.UUID)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestPublisher_close: Close ends a Publish that waits and fails later ones with ErrPublisherClosed;
// closing twice is fine.
func TestPublisher_close(t *testing.T) {
	_, queue, pub := queueWithPublisher(t)
	require.NoError(t, pub.Publish(queue, message.NewMessage("before", []byte("{}"))))

	// Publishers racing Close either succeed or fail with ErrPublisherClosed; none hangs.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := pub.Publish(queue, message.NewMessage(fmt.Sprintf("race-%d", i), []byte("{}")))
			if err != nil {
				assert.ErrorIs(t, err, amqp.ErrPublisherClosed)
			}
		}()
	}
	require.NoError(t, pub.Close())
	waitGroup(t, &wg, 5*time.Second)
	err := pub.Publish(queue, message.NewMessage("after", []byte("{}")))
	assert.ErrorIs(t, err, amqp.ErrPublisherClosed)
	require.NoError(t, pub.Close())
}

// TestPublisher_connection_cut: a cut connection fails the Publish calls in flight (none hangs and none
// reports success for a message the broker did not confirm), and the next Publish reconnects.
func TestPublisher_connection_cut(t *testing.T) {
	rabbit, queue, px, pub := proxiedPublisher(t, 0)

	const producers, each = 8, 200
	var mu sync.Mutex
	confirmed := map[string]bool{}
	failed := 0
	cut := make(chan struct{})
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("p%d-%03d", p, i)
				err := pub.Publish(queue, message.NewMessage(id, []byte("{}")))
				mu.Lock()
				if err == nil {
					confirmed[id] = true
				} else {
					failed++
				}
				if err == nil && len(confirmed) == producers*each/4 {
					close(cut) // a quarter through
				}
				mu.Unlock()
			}
		}()
	}
	select {
	case <-cut:
		px.Cut()
	case <-time.After(10 * time.Second):
		t.Fatal("a quarter of the publishes did not get through")
	}
	waitGroup(t, &wg, 30*time.Second)
	require.Eventually(t, func() bool { return pub.Publish(queue, message.NewMessage("after-cut", []byte("{}"))) == nil },
		10*time.Second, 50*time.Millisecond, "Publish reconnects after the cut")

	// Every confirmed message is in the queue.
	inQueue := readQueueUntil(t, rabbit, queue, "after-cut")
	mu.Lock()
	defer mu.Unlock()
	for id := range confirmed {
		assert.True(t, inQueue[id], "%s was confirmed but is not in the queue", id)
	}
	// Usually a few fail (those in flight at the cut); none may, when the publisher noticed the closed
	// connection between two groups and reconnected before sending.
	t.Logf("%d of %d publishes confirmed around the cut, %d failed; %d messages in the queue", len(confirmed),
		producers*each, failed, len(inQueue)-1)
}

func waitGroup(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still waiting after %v", d)
	}
}

// TestPublisher_broker_resource_alarm: while RabbitMQ blocks publishing (a memory alarm on a private
// node), Publish fails with a *BlockedError naming the broker's reason after the confirm timeout (it
// used to wait for ever, and so did Close), Blocked reports it, Close still returns promptly, and once
// the alarm clears publishing resumes with every confirmed message in the queue.
func TestPublisher_broker_resource_alarm(t *testing.T) {
	node := testenv.PrivateRabbit(t)
	queue := "alarm"
	require.NoError(t, amqp.DeclareQueues(node.URL(), queue))
	const timeout = 2 * time.Second
	pub, err := amqp.NewPublisher(node.URL(), nil, amqp.WithConfirmTimeout(timeout))
	require.NoError(t, err)
	defer pub.Close()
	require.NoError(t, pub.Publish(queue, message.NewMessage("before", []byte("{}"))))
	require.NoError(t, pub.Blocked())

	node.MemoryAlarm(true)
	t.Cleanup(func() { node.MemoryAlarm(false) })
	var blocked *amqp.BlockedError
	for i := range 3 { // the broker blocks a connection at its first publish after the alarm
		start := time.Now()
		err := pub.Publish(queue, message.NewMessage(fmt.Sprintf("during-%d", i), []byte("{}")))
		require.ErrorAs(t, err, &blocked, "publish %d during the alarm", i)
		assert.Less(t, time.Since(start), timeout+3*time.Second, "publish %d waited past its timeout", i)
	}
	assert.Contains(t, blocked.Reason, "memory")
	assert.Contains(t, blocked.Error(), "resource alarm")
	require.ErrorAs(t, pub.Blocked(), &blocked)

	node.MemoryAlarm(false)
	require.Eventually(t, func() bool { return pub.Blocked() == nil }, 10*time.Second, 50*time.Millisecond,
		"the broker unblocks the connection when the alarm clears")
	require.NoError(t, pub.Publish(queue, message.NewMessage("after", []byte("{}"))))

	// Close during an alarm returns (a dropped connection's close handshake used to wait for ever).
	node.MemoryAlarm(true)
	assert.Error(t, pub.Publish(queue, message.NewMessage("during-close", []byte("{}"))))
	closed := make(chan struct{})
	go func() { _ = pub.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(15 * time.Second):
		t.Fatal("Close still waits 15 s into the alarm")
	}
	node.MemoryAlarm(false)

	// The confirmed messages are in the queue; those refused during the alarm may be too (at least once).
	readQueueUntil(t, node.URL(), queue, "before", "after")
}

// TestPublisher_does_not_wait_for_earlier_groups: behind a proxy that delays what the broker sends by
// 200 ms (its confirms come late, as from a distant broker), a publish made while an earlier one waits
// for its confirm is sent at once (after the 5 ms linger) and confirmed one delay later, not after the earlier confirm and
// then its own (almost two delays).
func TestPublisher_does_not_wait_for_earlier_groups(t *testing.T) {
	const delay = 200 * time.Millisecond
	_, queue, _, pub := proxiedPublisher(t, delay)

	first := make(chan error, 1)
	go func() { first <- pub.Publish(queue, message.NewMessage("first", []byte("{}"))) }()
	time.Sleep(delay / 10) // "first" is out and waits for its confirm (if not, both go together: no false alarm)
	start := time.Now()
	require.NoError(t, pub.Publish(queue, message.NewMessage("second", []byte("{}"))))
	took := time.Since(start)
	require.NoError(t, <-first)
	t.Logf("the second publish took %v with confirms %v late", took, delay)
	assert.Less(t, took, delay*3/2, "the second publish waited for the first one's confirm")
	assert.GreaterOrEqual(t, took, delay, "the proxy's delay did not apply")
}

// TestPublisher_lingers_while_a_group_awaits_its_confirms: with a group awaiting its (200 ms late)
// confirms, a publish waits the linger for others, and one that comes meanwhile leaves with it: both
// are confirmed together, a linger and a delay after the first of them. Without the linger each would
// go at once and be confirmed a delay after its own start, 30 ms apart.
func TestPublisher_lingers_while_a_group_awaits_its_confirms(t *testing.T) {
	const delay, linger = 200 * time.Millisecond, 100 * time.Millisecond
	_, queue, _, pub := proxiedPublisher(t, delay, amqp.WithLinger(linger))

	start := time.Now()
	publishAt := func(after time.Duration, id string) <-chan time.Duration {
		done := make(chan time.Duration, 1)
		go func() {
			time.Sleep(time.Until(start.Add(after)))
			assert.NoError(t, pub.Publish(queue, message.NewMessage(id, []byte("{}"))))
			done <- time.Since(start)
		}()
		return done
	}
	first := publishAt(0, "first")
	second := publishAt(20*time.Millisecond, "second")
	third := publishAt(50*time.Millisecond, "third")
	f, s, th := <-first, <-second, <-third
	t.Logf("confirmed at %v, %v, %v (confirms %v late, linger %v)", f, s, th, delay, linger)
	assert.Less(t, f, delay+linger*4/5, "the first publish, with nothing awaiting confirms, lingered")
	assert.GreaterOrEqual(t, s, 20*time.Millisecond+linger+delay, "the second publish did not linger")
	assert.InDelta(t, s, th, float64(15*time.Millisecond), "the second and third publishes did not leave together")
}

// TestPublisher_does_not_linger_when_every_publisher_waits: four goroutines that each publish and wait
// for the confirm, ten times, with a linger of 500 ms: while all four wait in Publish no other publish
// can come (WithPublishers), so no group lingers. (Once a goroutine is done, the others' last publishes
// may linger: those are not counted.) Without WithPublishers nearly every publish would.
func TestPublisher_does_not_linger_when_every_publisher_waits(t *testing.T) {
	const publishers, each, linger = 4, 10, 500 * time.Millisecond
	rabbit := testenv.AMQPURL(t)
	queue := testenv.AMQPQueues(t, rabbit, "q")[0]
	require.NoError(t, amqp.DeclareQueues(rabbit, queue))
	pub, err := amqp.NewPublisher(rabbit, nil, amqp.WithLinger(linger), amqp.WithPublishers(publishers))
	require.NoError(t, err)
	defer pub.Close()

	var lingered, tail atomic.Int32
	var oneDone atomic.Bool
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer oneDone.Store(true)
			for i := range each {
				start := time.Now()
				assert.NoError(t, pub.Publish(queue, message.NewMessage(fmt.Sprintf("p%d-%d", p, i), []byte("{}"))))
				switch {
				case time.Since(start) < linger:
				case oneDone.Load():
					tail.Add(1)
				default:
					lingered.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("of %d publishes, %d lingered while all publishers were active, %d after one was done (linger %v)",
		publishers*each, lingered.Load(), tail.Load(), linger)
	assert.Zero(t, lingered.Load(), "publishes lingered although every publisher was waiting")
}

// proxiedPublisher declares a fresh queue on the test broker and returns a Publisher that reaches the
// broker through a fault proxy, whose answers come delay late (0: at once).
func proxiedPublisher(t *testing.T, delay time.Duration, opts ...amqp.PublisherOption) (rabbit, queue string, px *faultproxy.Proxy, pub *amqp.Publisher) {
	t.Helper()
	rabbit = testenv.AMQPURL(t)
	u, err := url.Parse(rabbit)
	require.NoError(t, err)
	px = newProxy(t, u.Host)
	px.SetDelay(delay)
	viaProxy, err := px.URL(rabbit)
	require.NoError(t, err)
	queue = testenv.AMQPQueues(t, rabbit, "q")[0]
	require.NoError(t, amqp.DeclareQueues(rabbit, queue))
	pub, err = amqp.NewPublisher(viaProxy, nil, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { pub.Close() })
	return rabbit, queue, px, pub
}

// subscribe consumes queue until the end of the test.
func subscribe(t *testing.T, url, queue string) <-chan *message.Message {
	t.Helper()
	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: url, Prefetch: 100})
	require.NoError(t, err)
	t.Cleanup(func() { sub.Close() })
	msgs, err := sub.Subscribe(context.Background(), queue)
	require.NoError(t, err)
	return msgs
}

// readQueueUntil consumes and acks queue's messages until every one of ids has come, and returns the
// ids of all it read; it fails when 10 s pass without a message first.
func readQueueUntil(t *testing.T, url, queue string, ids ...string) map[string]bool {
	t.Helper()
	msgs := subscribe(t, url, queue)
	read := map[string]bool{}
	for missing := len(ids); missing > 0; {
		select {
		case m := <-msgs:
			m.Ack()
			if !read[m.UUID] && slices.Contains(ids, m.UUID) {
				missing--
			}
			read[m.UUID] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("%v not all in the queue; it had %d messages", ids, len(read))
		}
	}
	return read
}
