package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline"
	"github.com/s3db-go/s3db/pipeline/sqs"
	"github.com/s3db-go/s3db/store"
)

// TestWorker_sqs runs the worker on SQS (fauxqs) through pipeline/sqs into the local-directory store:
// records, redeliveries, a poison message in the dead-letter queue, changes on an SQS queue.
func TestWorker_sqs(t *testing.T) {
	endpoint := testenv.SQSEndpoint(t)
	prefix := "s3db-w-" + strings.ToLower(watermill.NewShortUUID()[:8])
	in, changesQ, dlqQ := prefix+"-in", prefix+"-changes", prefix+"-dlq"
	cfg := usersConfig(t, "file://"+t.TempDir(), fmt.Sprintf(`[{transport: sqs, queue: %s, concurrency: 8}]`, in),
		fmt.Sprintf("changes: {transport: sqs, topic: %s}\ndead_letter: {topic: %s}\n"+
			"sqs: {endpoint: %q, region: us-east-1, access_key_id: test, secret_access_key: test, create_queues: true, wait_time: 1s}",
			changesQ, dlqQ, endpoint))
	ctx := context.Background()
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{})
	require.NoError(t, err)
	runWorker(t, w)

	client, err := sqs.NewClient(ctx, sqs.ClientConfig{Endpoint: endpoint, Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test"})
	require.NoError(t, err)
	queues := sqs.QueueConfig{CreateIfMissing: true}
	pub, err := sqs.NewPublisher(sqs.PublisherConfig{Client: client, Queues: queues})
	require.NoError(t, err)
	defer pub.Close()
	var msgs []*message.Message
	for k := range 40 {
		msgs = append(msgs, message.NewMessage(fmt.Sprintf("m%d", k),
			fmt.Appendf(nil, `{"resource":"users","action":"upsert","data":{"id":"s%d","name":"n","seq":%d}}`, k%20, k)))
	}
	for k := range 5 { // producer retries: the same messages again
		msgs = append(msgs, message.NewMessage(fmt.Sprintf("m%d", k), msgs[k].Payload))
	}
	msgs = append(msgs, message.NewMessage("poison", []byte(`{"resource":"users","action":"insert","data":{"id":"x"}}`)))
	require.NoError(t, pub.Publish(in, msgs...))

	sub, err := sqs.NewSubscriber(sqs.SubscriberConfig{Client: client, Queues: queues, WaitTime: time.Second, MaxUnacked: 10})
	require.NoError(t, err)
	subCtx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		_ = sub.Close()
	}()
	var mu sync.Mutex
	changeIDs := map[string]bool{}
	var dead []*message.Message
	for queue, fn := range map[string]func(*message.Message){
		changesQ: func(m *message.Message) {
			var ch store.Change
			if json.Unmarshal(m.Payload, &ch) == nil {
				changeIDs[ch.ID] = true
			}
		},
		dlqQ: func(m *message.Message) { dead = append(dead, m) },
	} {
		ch, err := sub.Subscribe(subCtx, queue)
		require.NoError(t, err)
		go func() {
			for m := range ch {
				mu.Lock()
				fn(m)
				mu.Unlock()
				m.Ack()
			}
		}()
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(changeIDs) >= 40 && len(dead) >= 1
	}, 60*time.Second, 100*time.Millisecond)

	users, err := w.Database().Resource("users")
	require.NoError(t, err)
	n, err := users.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 20, n)
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, changeIDs, 40, "one change per write; the five redeliveries were duplicates")
	require.Len(t, dead, 1)
	assert.Equal(t, "poison", dead[0].UUID)
	assert.Contains(t, dead[0].Metadata.Get(middleware.ReasonForPoisonedKey), "name")
	assert.Equal(t, "validation", dead[0].Metadata.Get(pipeline.MetadataErrorReason))
}
