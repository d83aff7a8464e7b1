package sqs_test

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// Concurrency shared by both variants of BenchmarkThroughput.
const (
	benchPublishers = 4   // goroutines publishing batches of 10
	benchReceivers  = 4   // concurrent ReceiveMessage calls
	benchPayload    = 100 // bytes per message
	// benchVisibility bounds the stall when a receive's answer is lost (a retried or cancelled request whose
	// messages SQS had already handed out): they come back after this, not after the default 30 s.
	benchVisibility = 5 * time.Second
)

// BenchmarkThroughput measures publish → receive → ack (delete) of b.N messages through the SQS endpoint:
// first all messages are published, then all are received and deleted (run concurrently, the two phases
// make the numbers swing with how the emulator's long-poll wake-ups happen to interleave with publishes).
// It reports each phase's rate and the overall rate, with the same concurrency in every variant:
//
//   - watermill: this package's Publisher (Publish of 10 messages = one SendMessageBatch) and Subscriber
//     (4 receivers, 40 in flight, 10 handed out at once, acks deleted in batches);
//   - raw-sdk: the aws-sdk-go-v2 client alone: SendMessageBatch of 10, and 4 loops of ReceiveMessage (10)
//     followed by DeleteMessageBatch of what was received;
//   - raw-sdk-async-delete: the same, but a loop does not wait for its DeleteMessageBatch (at most 4
//     under way), which is what the Subscriber does.
//
// Run: go test -run NONE -bench Throughput -benchtime 5000x ./pipeline/sqs/
func BenchmarkThroughput(b *testing.B) {
	client := newClient(b, nil)
	payload := bytes.Repeat([]byte("p"), benchPayload)

	b.Run("watermill", func(b *testing.B) {
		topic, url := createQueue(b, client, nil)
		pub, err := sqs.NewPublisher(sqs.PublisherConfig{Client: client})
		require.NoError(b, err)
		sub, err := sqs.NewSubscriber(sqs.SubscriberConfig{Client: client, WaitTime: time.Second, VisibilityTimeout: benchVisibility,
			Receivers: benchReceivers, MaxInFlight: 10 * benchReceivers, MaxUnacked: 10})
		require.NoError(b, err)

		b.ResetTimer()
		start := time.Now()
		publishAll(b, b.N, func(n int) error {
			msgs := make([]*message.Message, n)
			for i := range msgs {
				msgs[i] = message.NewMessage(watermill.NewUUID(), payload)
			}
			return pub.Publish(topic, msgs...)
		})
		published := time.Now()
		ch, err := sub.Subscribe(b.Context(), topic)
		require.NoError(b, err)
		for range b.N {
			msg := <-ch
			msg.Ack()
		}
		require.NoError(b, sub.Close()) // flushes the last deletes
		reportRates(b, start, published)
		require.NoError(b, pub.Close())
		visible, inFlight := queueCounts(b, client, url)
		require.Zero(b, visible+inFlight, "every message must have been deleted")
	})

	for _, asyncDeletes := range []bool{false, true} {
		name := "raw-sdk"
		if asyncDeletes {
			name = "raw-sdk-async-delete"
		}
		b.Run(name, func(b *testing.B) {
			_, url := createQueue(b, client, nil)
			b.ResetTimer()
			start := time.Now()
			publishAll(b, b.N, func(n int) error {
				entries := make([]types.SendMessageBatchRequestEntry, n)
				for i := range entries {
					entries[i] = types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(payload))}
				}
				_, err := client.SendMessageBatch(b.Context(), &awssqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries})
				return err
			})
			published := time.Now()
			rawConsume(b, client, url, asyncDeletes)
			reportRates(b, start, published)
			visible, inFlight := queueCounts(b, client, url)
			require.Zero(b, visible+inFlight, "every message must have been deleted")
		})
	}
}

// rawConsume receives and deletes b.N messages with benchReceivers loops of ReceiveMessage (10 messages)
// and DeleteMessageBatch; with asyncDeletes a loop does not wait for its delete (at most
// benchReceivers deletes under way), as the Subscriber does not.
func rawConsume(b *testing.B, client *awssqs.Client, url string, asyncDeletes bool) {
	var received atomic.Int64
	var receivers, deletes sync.WaitGroup
	// Polls still waiting when the last message arrives are cancelled, as the Subscriber's are on Close.
	polls, stopPolls := context.WithCancel(b.Context())
	defer stopPolls()
	deleteSlots := make(chan struct{}, benchReceivers)
	del := func(entries []types.DeleteMessageBatchRequestEntry) {
		if _, err := client.DeleteMessageBatch(b.Context(), &awssqs.DeleteMessageBatchInput{QueueUrl: &url, Entries: entries}); err != nil {
			b.Error(err)
		}
	}
	for range benchReceivers {
		receivers.Go(func() {
			for received.Load() < int64(b.N) {
				out, err := client.ReceiveMessage(polls, &awssqs.ReceiveMessageInput{QueueUrl: &url,
					MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: int32(benchVisibility / time.Second),
					MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll}})
				if polls.Err() != nil {
					return
				}
				if err != nil {
					b.Error(err)
					return
				}
				if len(out.Messages) == 0 {
					continue
				}
				entries := make([]types.DeleteMessageBatchRequestEntry, len(out.Messages))
				for i, m := range out.Messages {
					entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle}
				}
				if received.Add(int64(len(out.Messages))) >= int64(b.N) {
					stopPolls()
				}
				if !asyncDeletes {
					del(entries)
					continue
				}
				deleteSlots <- struct{}{}
				deletes.Go(func() {
					defer func() { <-deleteSlots }()
					del(entries)
				})
			}
		})
	}
	receivers.Wait()
	deletes.Wait()
}

// publishAll sends n messages in batches of 10 from benchPublishers goroutines, and returns when all are
// sent.
func publishAll(b *testing.B, n int, send func(n int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	defer wg.Wait()
	for range benchPublishers {
		wg.Go(func() {
			for {
				end := next.Add(10)
				start := end - 10
				if start >= int64(n) {
					return
				}
				if err := send(int(min(end, int64(n)) - start)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
}

// reportRates reports the publish rate, the receive+ack rate and the overall rate of b.N messages.
func reportRates(b *testing.B, start, published time.Time) {
	b.StopTimer()
	end := time.Now()
	b.ReportMetric(float64(b.N)/published.Sub(start).Seconds(), "pub_msgs/s")
	b.ReportMetric(float64(b.N)/end.Sub(published).Seconds(), "recv+ack_msgs/s")
	b.ReportMetric(float64(b.N)/end.Sub(start).Seconds(), "msgs/s")
}
