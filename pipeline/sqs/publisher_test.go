package sqs_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// receiveAll subscribes to topic and acks messages until n distinct UUIDs arrived, returning them by UUID.
func receiveAll(t *testing.T, sub *sqs.Subscriber, topic string, n int) map[string]*message.Message {
	t.Helper()
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	got := map[string]*message.Message{}
	for len(got) < n {
		msg := receiveOne(t, ch, 10*time.Second)
		got[msg.UUID] = msg
		msg.Ack()
	}
	return got
}

func TestPublisher_batches(t *testing.T) {
	t.Parallel()
	counter := newCountingClient()
	client := newClient(t, counter)
	pub := newPublisher(t, client, sqs.PublisherConfig{})

	t.Run("more than 10 messages", func(t *testing.T) {
		topic, _ := createQueue(t, client, nil)
		counter.reset()
		ids := publishN(t, pub, topic, 25)
		assert.Equal(t, 3, counter.count("SendMessageBatch"), "25 messages = 10 + 10 + 5")
		assert.Zero(t, counter.count("SendMessage"))
		sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
		got := receiveAll(t, sub, topic, len(ids))
		for _, id := range ids {
			assert.Contains(t, got, id)
		}
	})

	t.Run("more than 256 KiB", func(t *testing.T) {
		topic, _ := createQueue(t, client, nil)
		counter.reset()
		msgs := make([]*message.Message, 5)
		for i := range msgs {
			msgs[i] = message.NewMessage(watermill.NewUUID(), bytes.Repeat([]byte{'a' + byte(i)}, 100*1024))
		}
		require.NoError(t, pub.Publish(topic, msgs...))
		sizes := counter.bodySizes("SendMessageBatch")
		assert.Len(t, sizes, 2, "5 × 100 KiB = 2 + 2 + 1 under 256 KiB per batch")
		assert.Equal(t, 1, counter.count("SendMessage"), "the last batch has one message: a plain SendMessage")
		for _, s := range append(sizes, counter.bodySizes("SendMessage")...) {
			assert.Less(t, s, 256*1024+4096, "request body (JSON framing included)")
		}
		sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
		got := receiveAll(t, sub, topic, len(msgs))
		for _, m := range msgs {
			require.Contains(t, got, m.UUID)
			assert.Equal(t, m.Payload, got[m.UUID].Payload)
		}
	})

	t.Run("a message over the batch limit goes alone", func(t *testing.T) {
		topic, _ := createQueue(t, client, nil)
		counter.reset()
		small := message.NewMessage(watermill.NewUUID(), []byte("small"))
		big := message.NewMessage(watermill.NewUUID(), bytes.Repeat([]byte("b"), 300*1024))
		require.NoError(t, pub.Publish(topic, small, big))
		assert.Equal(t, 2, counter.count("SendMessage"), "two single-message requests")
		assert.Zero(t, counter.count("SendMessageBatch"))
	})
}

// A batch entry SQS refuses is reported by UUID; the other entries are published, the later batches not.
func TestPublisher_entry_failure(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, _ := createQueue(t, client, map[string]string{"MaximumMessageSize": "1024"})
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	msgs := make([]*message.Message, 12)
	for i := range msgs {
		msgs[i] = message.NewMessage(watermill.NewUUID(), []byte("ok"))
	}
	msgs[3].Payload = bytes.Repeat([]byte("x"), 2048) // over the queue's MaximumMessageSize

	err := pub.Publish(topic, msgs...)
	var pe *sqs.PublishError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, topic, pe.Topic)
	require.Len(t, pe.Failed, 3, "the refused entry and the 2 messages of the next batch")
	assert.Equal(t, msgs[3].UUID, pe.Failed[0].UUID)
	assert.True(t, pe.Failed[0].SenderFault)
	assert.NotEmpty(t, pe.Failed[0].Code)
	assert.False(t, pe.Failed[0].NotSent)
	for i, f := range pe.Failed[1:] {
		assert.Equal(t, msgs[10+i].UUID, f.UUID)
		assert.True(t, f.NotSent)
	}
	assert.Contains(t, err.Error(), msgs[3].UUID)

	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
	got := receiveAll(t, sub, topic, 9)
	for i, m := range msgs[:10] {
		if i != 3 {
			assert.Contains(t, got, m.UUID)
		}
	}
}

func TestPublisher_FIFO(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic := queueName(t.Name()) + ".fifo"
	queues := sqs.QueueConfig{CreateIfMissing: true}
	pub := newPublisher(t, client, sqs.PublisherConfig{Queues: queues})

	var msgs []*message.Message
	for i := range 12 {
		msg := message.NewMessage(watermill.NewUUID(), []byte{'0' + byte(i%10)})
		if i%2 == 1 {
			msg.Metadata.Set(sqs.MetadataMessageGroupID, "odd")
		}
		msgs = append(msgs, msg)
	}
	require.NoError(t, pub.Publish(topic, msgs...))
	require.NoError(t, pub.Publish(topic, msgs[0].Copy()), "a republished UUID is deduplicated by SQS")

	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second, Queues: queues})
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	byGroup := map[string][]string{}
	for range msgs {
		msg := receiveOne(t, ch, 10*time.Second)
		g := msg.Metadata.Get(sqs.MetadataMessageGroupID)
		byGroup[g] = append(byGroup[g], msg.UUID)
		require.True(t, msg.Ack())
	}
	var wantOdd, wantDefault []string
	for i, m := range msgs {
		if i%2 == 1 {
			wantOdd = append(wantOdd, m.UUID)
		} else {
			wantDefault = append(wantDefault, m.UUID)
		}
	}
	assert.Equal(t, wantOdd, byGroup["odd"], "order within a group is kept")
	assert.Equal(t, wantDefault, byGroup[sqs.DefaultMessageGroupID])
	assertNothing(t, ch, 1500*time.Millisecond, "the duplicate must have been dropped")
}

func TestPublisher_custom_FIFO_ids(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic := queueName(t.Name()) + ".fifo"
	pub := newPublisher(t, client, sqs.PublisherConfig{
		Queues:          sqs.QueueConfig{CreateIfMissing: true},
		MessageGroupID:  func(_ string, msg *message.Message) string { return "tenant " + msg.Metadata.Get("tenant") },
		DeduplicationID: func(_ string, msg *message.Message) string { return string(msg.Payload) },
	})
	a := message.NewMessage(watermill.NewUUID(), []byte("same-content"))
	a.Metadata.Set("tenant", "42")
	b := message.NewMessage(watermill.NewUUID(), []byte("same-content"))
	require.NoError(t, pub.Publish(topic, a, b))

	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
	ch, err := sub.Subscribe(t.Context(), topic)
	require.NoError(t, err)
	got := receiveOne(t, ch, 10*time.Second)
	require.True(t, got.Ack())
	assert.Equal(t, a.UUID, got.UUID)
	group := got.Metadata.Get(sqs.MetadataMessageGroupID)
	assert.Len(t, group, 64, "a group id with a space is hashed into a valid one: %q", group)
	assertNothing(t, ch, 1500*time.Millisecond, "b has a's deduplication id")
}

func TestPublisher_errors(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	msg := message.NewMessage(watermill.NewUUID(), []byte("x"))

	err := pub.Publish(queueName("missing"), msg)
	require.ErrorIs(t, err, sqs.ErrQueueNotFound)
	assert.Contains(t, err.Error(), "CreateIfMissing")

	require.ErrorIs(t, pub.Publish("no spaces allowed", msg), sqs.ErrInvalidTopic)
	require.ErrorIs(t, pub.Publish(strings.Repeat("q", 81), msg), sqs.ErrInvalidTopic)

	_, url := createQueue(t, client, nil)
	require.NoError(t, pub.Publish(url, msg), "a queue URL is a topic")
	require.NoError(t, pub.Publish(url), "no messages, nothing to do")

	require.NoError(t, pub.Close())
	require.NoError(t, pub.Close())
	require.True(t, errors.Is(pub.Publish(url, msg), sqs.ErrClosed))
}

// Payloads SQS cannot carry as a body (empty, binary, characters outside its set) survive the trip.
func TestPublisher_payload_encodings(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	topic, _ := createQueue(t, client, nil)
	pub := newPublisher(t, client, sqs.PublisherConfig{})
	payloads := [][]byte{nil, {}, {0, 1, 0xfe, 0xff}, []byte("text é 😀"), []byte("nul\x00inside"), []byte("\uFFFF")}
	msgs := make([]*message.Message, len(payloads))
	for i, p := range payloads {
		msgs[i] = message.NewMessage(watermill.NewUUID(), p)
	}
	require.NoError(t, pub.Publish(topic, msgs...))
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
	got := receiveAll(t, sub, topic, len(msgs))
	for _, m := range msgs {
		require.Contains(t, got, m.UUID)
		assert.Equal(t, string(m.Payload), string(got[m.UUID].Payload))
	}
}
