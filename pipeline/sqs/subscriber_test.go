package sqs_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// newSubscriber returns a subscriber on client with cfg's Client and Logger filled in, closed with the test.
func newSubscriber(t *testing.T, client sqs.API, cfg sqs.SubscriberConfig) *sqs.Subscriber {
	t.Helper()
	cfg.Client = client
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	sub, err := sqs.NewSubscriber(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sub.Close()) })
	return sub
}

func newPublisher(t *testing.T, client sqs.API, cfg sqs.PublisherConfig) *sqs.Publisher {
	t.Helper()
	cfg.Client = client
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	pub, err := sqs.NewPublisher(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, pub.Close()) })
	return pub
}

// publishN publishes n small messages (payload "i") in one Publish call and returns their UUIDs.
func publishN(t *testing.T, pub *sqs.Publisher, topic string, n int) []string {
	t.Helper()
	msgs := make([]*message.Message, n)
	ids := make([]string, n)
	for i := range msgs {
		msgs[i] = message.NewMessage(watermill.NewUUID(), []byte(strconv.Itoa(i)))
		ids[i] = msgs[i].UUID
	}
	require.NoError(t, pub.Publish(topic, msgs...))
	return ids
}

// receiveOne waits for one message on ch.
func receiveOne(t *testing.T, ch <-chan *message.Message, timeout time.Duration) *message.Message {
	t.Helper()
	select {
	case msg, ok := <-ch:
		require.True(t, ok, "channel closed")
		return msg
	case <-time.After(timeout):
		t.Fatalf("no message within %v", timeout)
		return nil
	}
}

// assertNothing checks that ch delivers nothing for d.
func assertNothing(t *testing.T, ch <-chan *message.Message, d time.Duration, why string) {
	t.Helper()
	select {
	case msg, ok := <-ch:
		if ok {
			msg.Ack()
			t.Fatalf("%s: got message %s (receive count %s)", why, msg.UUID, msg.Metadata.Get(sqs.MetadataReceiveCount))
		}
	case <-time.After(d):
	}
}

func TestSubscriber_metadata_over_ten_keys(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, url := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})

	sent := message.NewMessage(watermill.NewUUID(), []byte{0, 1, 2, 0xff})
	for i := range 25 {
		sent.Metadata.Set(fmt.Sprintf("k%02d", i), fmt.Sprintf("v%d", i))
	}
	sent.Metadata.Set("unusual", "😀 \uFFFF é")
	require.NoError(t, pub.Publish(topic, sent))

	// What SQS stores: one message attribute, whatever the number of metadata keys.
	raw, err := client.ReceiveMessage(t.Context(), &awssqs.ReceiveMessageInput{QueueUrl: &url, MessageAttributeNames: []string{"All"},
		WaitTimeSeconds: 1})
	require.NoError(t, err)
	require.Len(t, raw.Messages, 1)
	assert.Len(t, raw.Messages[0].MessageAttributes, 1)
	assert.Contains(t, raw.Messages[0].MessageAttributes, sqs.EnvelopeAttribute)
	_, err = client.ChangeMessageVisibility(t.Context(), &awssqs.ChangeMessageVisibilityInput{QueueUrl: &url,
		ReceiptHandle: raw.Messages[0].ReceiptHandle, VisibilityTimeout: 0})
	require.NoError(t, err)

	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	got := receiveOne(t, ch, 10*time.Second)
	require.True(t, got.Ack())
	assert.Equal(t, sent.UUID, got.UUID, "the watermill UUID must round-trip")
	assert.Equal(t, sent.Payload, got.Payload)
	for i := range 25 {
		assert.Equal(t, fmt.Sprintf("v%d", i), got.Metadata.Get(fmt.Sprintf("k%02d", i)))
	}
	assert.Equal(t, "😀 \uFFFF é", got.Metadata.Get("unusual"))
	assert.Equal(t, aws.ToString(raw.Messages[0].MessageId), got.Metadata.Get(sqs.MetadataMessageID))
	assert.Equal(t, "2", got.Metadata.Get(sqs.MetadataReceiveCount), "the raw receive above was the first")
	assert.NotEmpty(t, got.Metadata.Get(sqs.MetadataSentTimestamp))
}

func TestSubscriber_foreign_message_attributes(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, url := createQueue(t, client, nil)
	sent, err := client.SendMessage(t.Context(), &awssqs.SendMessageInput{
		QueueUrl:    &url,
		MessageBody: aws.String(`{"order":1}`),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"source": {DataType: aws.String("String"), StringValue: aws.String("legacy")},
			"amount": {DataType: aws.String("Number"), StringValue: aws.String("42")},
		},
	})
	require.NoError(t, err)
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	got := receiveOne(t, ch, 10*time.Second)
	require.True(t, got.Ack())
	assert.Equal(t, aws.ToString(sent.MessageId), got.UUID)
	assert.Equal(t, `{"order":1}`, string(got.Payload))
	assert.Equal(t, "legacy", got.Metadata.Get("source"))
	assert.Equal(t, "42", got.Metadata.Get("amount"))
	assert.Equal(t, "1", got.Metadata.Get(sqs.MetadataReceiveCount))
}

// A handler that runs for three visibility timeouts keeps its message: the heartbeat renews the lease, so
// a competing consumer polling all along never sees it.
func TestSubscriber_heartbeat_keeps_slow_message(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, url := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, VisibilityTimeout: 2 * time.Second})
	ids := publishN(t, pub, topic, 1)

	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	msg := receiveOne(t, ch, 10*time.Second)
	require.Equal(t, ids[0], msg.UUID)

	deadline := time.Now().Add(6 * time.Second)
	stolen := 0
	for time.Now().Before(deadline) {
		out, err := client.ReceiveMessage(t.Context(), &awssqs.ReceiveMessageInput{QueueUrl: &url, WaitTimeSeconds: 1})
		require.NoError(t, err)
		stolen += len(out.Messages)
	}
	assert.Zero(t, stolen, "the message must stay invisible while its handler runs")
	require.True(t, msg.Ack())
	require.NoError(t, sub.Close())
	visible, inFlight := queueCounts(t, client, url)
	assert.Equal(t, 0, visible+inFlight, "the ack must delete the message")
}

// Nacks come back after the backoff of the receive count: 1 s, then 2 s.
func TestSubscriber_nack_backoff(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, _ := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	sub := newSubscriber(t, client, sqs.SubscriberConfig{
		WaitTime:    time.Second,
		NackBackoff: sqs.ExponentialBackoff(time.Second, 2*time.Second),
	})
	ids := publishN(t, pub, topic, 1)
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)

	var at []time.Time
	for i := 1; i <= 3; i++ {
		msg := receiveOne(t, ch, 10*time.Second)
		at = append(at, time.Now())
		assert.Equal(t, ids[0], msg.UUID)
		assert.Equal(t, strconv.Itoa(i), msg.Metadata.Get(sqs.MetadataReceiveCount))
		if i < 3 {
			require.True(t, msg.Nack())
		} else {
			require.True(t, msg.Ack())
		}
	}
	// Lower bounds are the backoff itself; upper bounds leave room for a loaded machine.
	first, second := at[1].Sub(at[0]), at[2].Sub(at[1])
	assert.GreaterOrEqual(t, first, 900*time.Millisecond)
	assert.Less(t, first, 1800*time.Millisecond)
	assert.GreaterOrEqual(t, second, 1900*time.Millisecond)
	assert.Less(t, second, 3500*time.Millisecond)
}

func TestSubscriber_nack_immediate(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, _ := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, NackBackoff: sqs.ConstantBackoff(0)})
	publishN(t, pub, topic, 1)
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	msg := receiveOne(t, ch, 10*time.Second)
	start := time.Now()
	require.True(t, msg.Nack())
	again := receiveOne(t, ch, 10*time.Second)
	assert.Less(t, time.Since(start), 900*time.Millisecond, "the default backoff would wait 1 s")
	assert.Equal(t, msg.UUID, again.UUID)
	assert.Equal(t, "2", again.Metadata.Get(sqs.MetadataReceiveCount))
	require.True(t, again.Ack())
}

// A message nacked maxReceiveCount times moves to the dead-letter queue, metadata intact.
func TestSubscriber_dead_letter_redrive(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	name := queueName(t.Name())
	url, dlqURL, err := sqs.CreateQueue(t.Context(), client, name, nil, &sqs.DeadLetterPolicy{MaxReceiveCount: 3})
	require.NoError(t, err)
	require.NotEmpty(t, dlqURL)

	pub := newPublisher(t, client, sqs.PublisherConfig{})
	sent := message.NewMessage(watermill.NewUUID(), []byte("poison"))
	sent.Metadata.Set("reason", "test")
	require.NoError(t, pub.Publish(url, sent)) // a queue URL works as a topic

	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, NackBackoff: sqs.ConstantBackoff(0)})
	ch, err := sub.Subscribe(t.Context(), name)
	require.NoError(t, err)
	for i := 1; i <= 3; i++ {
		msg := receiveOne(t, ch, 10*time.Second)
		assert.Equal(t, strconv.Itoa(i), msg.Metadata.Get(sqs.MetadataReceiveCount))
		require.True(t, msg.Nack())
	}
	assertNothing(t, ch, 2*time.Second, "after 3 receives the message belongs to the dead-letter queue")

	dlq, err := sub.Subscribe(t.Context(), sqs.DeadLetterQueueName(name))
	require.NoError(t, err)
	dead := receiveOne(t, dlq, 10*time.Second)
	require.True(t, dead.Ack())
	assert.Equal(t, sent.UUID, dead.UUID)
	assert.Equal(t, "poison", string(dead.Payload))
	assert.Equal(t, "test", dead.Metadata.Get("reason"))
	require.NoError(t, sub.Close())
	visible, inFlight := queueCounts(t, client, url)
	assert.Equal(t, 0, visible+inFlight)
}

// Acks are deleted in batches of up to 10 (DeleteMessageBatch), and Close flushes what waits.
func TestSubscriber_batched_deletes(t *testing.T) {
	t.Parallel()
	counter := newCountingClient()
	client := newClient(t, counter)
	pub := newPublisher(t, client, sqs.PublisherConfig{})

	// Each part has its own queue: a subscriber closed in the middle of a long poll may leave SQS with a
	// receive whose answer nobody reads (see the package doc), which would hide the next part's messages.
	t.Run("batches", func(t *testing.T) {
		topic, url := createQueue(t, client, nil)
		ids := publishN(t, pub, topic, 50)
		counter.reset()
		sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, MaxInFlight: 20, MaxUnacked: 20, AckBatchInterval: 500 * time.Millisecond})
		ch, err := sub.Subscribe(t.Context(), topic)
		require.NoError(t, err)
		seen := map[string]bool{}
		for len(seen) < len(ids) {
			msg := receiveOne(t, ch, 10*time.Second)
			seen[msg.UUID] = true
			msg.Ack()
		}
		require.NoError(t, sub.Close())
		assert.Zero(t, counter.count("DeleteMessage"))
		deletes := counter.count("DeleteMessageBatch")
		assert.GreaterOrEqual(t, deletes, 5)
		assert.LessOrEqual(t, deletes, 10, "50 acks must take few batch requests")
		visible, inFlight := queueCounts(t, client, url)
		assert.Equal(t, 0, visible+inFlight, "every acked message must be deleted")
	})

	t.Run("unbatched", func(t *testing.T) {
		topic, url := createQueue(t, client, nil)
		ids := publishN(t, pub, topic, 3)
		counter.reset()
		sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, AckBatchInterval: sqs.NoWait})
		ch, err := sub.Subscribe(t.Context(), topic)
		require.NoError(t, err)
		for range ids {
			receiveOne(t, ch, 10*time.Second).Ack()
		}
		eventually(t, 5*time.Second, func() bool { return counter.count("DeleteMessageBatch") == 3 }, "one delete per ack, without waiting")
		visible, inFlight := queueCounts(t, client, url)
		assert.Equal(t, 0, visible+inFlight)
	})

	t.Run("close flushes", func(t *testing.T) {
		topic, url := createQueue(t, client, nil)
		ids := publishN(t, pub, topic, 3)
		counter.reset()
		sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, AckBatchInterval: time.Hour})
		ch, err := sub.Subscribe(t.Context(), topic)
		require.NoError(t, err)
		for range ids {
			receiveOne(t, ch, 10*time.Second).Ack()
		}
		time.Sleep(300 * time.Millisecond)
		assert.Zero(t, counter.count("DeleteMessageBatch"), "3 acks wait for the hour-long interval")
		require.NoError(t, sub.Close())
		assert.Equal(t, 1, counter.count("DeleteMessageBatch"), "Close must flush the waiting acks in one request")
		visible, inFlight := queueCounts(t, client, url)
		assert.Equal(t, 0, visible+inFlight)
	})
}

// Closing with messages in every state loses none: each message is acked exactly once over two
// subscribers, and the messages the first one held undelivered are visible again at once, not after their
// 30 s lease. (Up to Receivers×10 messages may still be hidden: those SQS handed to a poll that was
// cancelled; see the package doc. They reach the second subscriber when their lease ends.)
func TestSubscriber_close_with_messages_in_flight(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, url := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	const total = 200
	ids := publishN(t, pub, topic, total)

	var mu sync.Mutex
	acked := map[string]int{}
	consume := func(ch <-chan *message.Message, delay time.Duration, stopAfter int, stopped chan<- struct{}) {
		n := 0
		var wg sync.WaitGroup
		for msg := range ch {
			n++
			if n == stopAfter {
				close(stopped)
			}
			wg.Go(func() {
				time.Sleep(delay) // still running when Close starts: its ack must still count
				mu.Lock()
				acked[msg.UUID]++
				mu.Unlock()
				msg.Ack()
			})
		}
		wg.Wait()
	}

	const receivers = 2
	cfg := sqs.SubscriberConfig{WaitTime: time.Second, Receivers: receivers, MaxInFlight: 60, MaxUnacked: 5,
		VisibilityTimeout: 30 * time.Second, CloseTimeout: 5 * time.Second}
	first := newSubscriber(t, client, cfg)
	ch, err := first.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	stopped := make(chan struct{})
	done := make(chan struct{})
	go func() { consume(ch, 200*time.Millisecond, 60, stopped); close(done) }()
	<-stopped
	require.NoError(t, first.Close())
	<-done
	mu.Lock()
	firstCount := len(acked)
	mu.Unlock()
	require.Less(t, firstCount, total)
	visible, inFlight := queueCounts(t, client, url)
	assert.Equal(t, total-firstCount, visible+inFlight, "acked messages are deleted, the others are still queued")
	assert.LessOrEqual(t, inFlight, receivers*10,
		"the up to 55 messages held but not handed out must be visible again, not hidden for 30 s")

	second := newSubscriber(t, client, cfg)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch2, err := second.Subscribe(ctx, topic)
	require.NoError(t, err)
	go consume(ch2, 0, -1, nil)
	eventually(t, 45*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) == total },
		"the second subscriber must get every message the first did not ack")
	require.NoError(t, second.Close())

	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		assert.Equal(t, 1, acked[id], "message %s", id)
	}
	visible, inFlight = queueCounts(t, client, url)
	assert.Equal(t, 0, visible+inFlight, "every message must be deleted")
	t.Logf("first subscriber acked %d of %d before closing", firstCount, total)
}

// Cancelling the Subscribe context ends that subscription only, closing its channel. (The other
// subscription reads another queue: the cancelled long poll may linger in the server and take the next
// message of its queue, which would then stay hidden for its visibility timeout; see the package doc.)
func TestSubscriber_context_cancel(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, _ := createQueue(t, client, nil)
	otherTopic, _ := createQueue(t, client, nil)
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: 20 * time.Second})
	ctx, cancel := context.WithCancel(t.Context())
	ch, err := sub.Subscribe(ctx, topic)
	require.NoError(t, err)
	other, err := sub.Subscribe(t.Context(), otherTopic)
	require.NoError(t, err)
	start := time.Now()
	cancel()
	select {
	case _, ok := <-ch:
		assert.False(t, ok)
	case <-time.After(5 * time.Second):
		t.Fatal("the channel must close when the context is cancelled")
	}
	assert.Less(t, time.Since(start), 2*time.Second, "an idle 20 s long poll must not delay the stop")
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	publishN(t, pub, otherTopic, 1)
	receiveOne(t, other, 10*time.Second).Ack()
	require.NoError(t, sub.Close())
	require.NoError(t, sub.Close(), "Close is idempotent")
	_, err = sub.Subscribe(t.Context(), topic)
	require.ErrorIs(t, err, sqs.ErrClosed)
}

func TestSubscriber_queue_not_found(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	sub := newSubscriber(t, client, sqs.SubscriberConfig{})
	_, err := sub.Subscribe(t.Context(), queueName("missing"))
	require.ErrorIs(t, err, sqs.ErrQueueNotFound)
	_, err = sub.Subscribe(t.Context(), "bad name!")
	require.ErrorIs(t, err, sqs.ErrInvalidTopic)

	name := queueName("initialized")
	require.NoError(t, sub.SubscribeInitialize(name), "SubscribeInitialize creates the queue")
	_, err = sub.Subscribe(t.Context(), name)
	require.NoError(t, err)
}
