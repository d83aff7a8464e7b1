package sqs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// scriptedSQS answers ReceiveMessage with prepared batches (then waits for cancellation) and records the
// calls that settle messages. Other methods are not expected (the embedded nil API panics).
type scriptedSQS struct {
	sqs.API

	mu         sync.Mutex
	batches    [][]types.Message
	visibility map[string]int32 // receipt handle → last visibility timeout set
	deleted    []string
}

func (f *scriptedSQS) ReceiveMessage(ctx context.Context, _ *awssqs.ReceiveMessageInput, _ ...func(*awssqs.Options)) (*awssqs.ReceiveMessageOutput, error) {
	f.mu.Lock()
	if len(f.batches) > 0 {
		b := f.batches[0]
		f.batches = f.batches[1:]
		f.mu.Unlock()
		return &awssqs.ReceiveMessageOutput{Messages: b}, nil
	}
	f.mu.Unlock()
	<-ctx.Done()
	return nil, ctx.Err()
}

func (f *scriptedSQS) ChangeMessageVisibility(_ context.Context, in *awssqs.ChangeMessageVisibilityInput, _ ...func(*awssqs.Options)) (*awssqs.ChangeMessageVisibilityOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.visibility[aws.ToString(in.ReceiptHandle)] = in.VisibilityTimeout
	return &awssqs.ChangeMessageVisibilityOutput{}, nil
}

func (f *scriptedSQS) ChangeMessageVisibilityBatch(_ context.Context, in *awssqs.ChangeMessageVisibilityBatchInput, _ ...func(*awssqs.Options)) (*awssqs.ChangeMessageVisibilityBatchOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range in.Entries {
		f.visibility[aws.ToString(e.ReceiptHandle)] = e.VisibilityTimeout
	}
	return &awssqs.ChangeMessageVisibilityBatchOutput{}, nil
}

func (f *scriptedSQS) DeleteMessageBatch(_ context.Context, in *awssqs.DeleteMessageBatchInput, _ ...func(*awssqs.Options)) (*awssqs.DeleteMessageBatchOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range in.Entries {
		f.deleted = append(f.deleted, aws.ToString(e.ReceiptHandle))
	}
	return &awssqs.DeleteMessageBatchOutput{}, nil
}

func fifoMessage(id, group string) types.Message {
	return types.Message{
		MessageId:     aws.String(id),
		ReceiptHandle: aws.String("rh-" + id),
		Body:          aws.String(id),
		Attributes:    map[string]string{"ApproximateReceiveCount": "1", "MessageGroupId": group},
	}
}

// AWS may return several messages of one FIFO group in one batch. When the first is nacked, the ones
// behind it must not be delivered before it: they are released, and only the other group is delivered.
// (fauxqs returns one message per group per receive, so this is checked against a scripted client.)
func TestSubscriber_FIFO_nack_releases_rest_of_group(t *testing.T) {
	t.Parallel()
	fake := &scriptedSQS{
		batches:    [][]types.Message{{fifoMessage("g1", "g"), fifoMessage("g2", "g"), fifoMessage("h1", "h")}},
		visibility: map[string]int32{},
	}
	sub, err := sqs.NewSubscriber(sqs.SubscriberConfig{Client: fake, NackBackoff: sqs.ConstantBackoff(3 * time.Second), AckBatchInterval: time.Millisecond})
	require.NoError(t, err)
	defer sub.Close()
	ch, err := sub.Subscribe(t.Context(), "http://sqs.local/000000000000/orders.fifo")
	require.NoError(t, err)

	first := receiveOne(t, ch, 5*time.Second)
	assert.Equal(t, "g1", first.UUID)
	assert.Equal(t, "g", first.Metadata.Get(sqs.MetadataMessageGroupID))
	require.True(t, first.Nack())
	next := receiveOne(t, ch, 5*time.Second)
	assert.Equal(t, "h1", next.UUID, "g2 must not overtake the nacked g1")
	require.True(t, next.Ack())
	require.NoError(t, sub.Close())
	_, open := <-ch
	assert.False(t, open)

	fake.mu.Lock()
	defer fake.mu.Unlock()
	assert.Equal(t, map[string]int32{"rh-g1": 3, "rh-g2": 0}, fake.visibility)
	assert.Equal(t, []string{"rh-h1"}, fake.deleted)
}
