package sqs_test

import (
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// With Linger, single-message publishes from many goroutines share SendMessageBatch requests, and
// each Publish returns only once its message is stored.
func TestPublisher_linger_gathers_concurrent_publishes(t *testing.T) {
	t.Parallel()
	counter := newCountingClient()
	client := newClient(t, counter)
	pub := newPublisher(t, client, sqs.PublisherConfig{Linger: 20 * time.Millisecond})
	topic, _ := createQueue(t, client, nil)
	counter.reset()

	const n = 35
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range ids {
		ids[i] = watermill.NewUUID()
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, pub.Publish(topic, message.NewMessage(ids[i], []byte("change"))))
		}()
	}
	wg.Wait()
	batches, singles := counter.count("SendMessageBatch"), counter.count("SendMessage")
	assert.LessOrEqual(t, batches+singles, 8, "35 publishes gathered into few requests")
	assert.GreaterOrEqual(t, batches, 4, "at most 10 per batch")
	sub := newSubscriber(t, client, sqs.SubscriberConfig{WaitTime: time.Second})
	got := receiveAll(t, sub, topic, n)
	for _, id := range ids {
		require.Contains(t, got, id)
	}
}
