package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// 10,000 messages from SQS (fauxqs), with duplicates and poison messages, through the worker into
// versitygw, with the worker killed by SIGKILL half way and restarted.
func TestWorkerSQS(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: not in -short")
	}
	endpoint := testenv.SQSEndpoint(t)
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "e2e")
	f := newFeed(10000, rand.New(rand.NewPCG(8, 12)))
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	in, changes, dead := "in-"+suffix, "changes-"+suffix, "dead-"+suffix
	config := writeConfig(t, conn, "sqs", fmt.Sprintf("sqs:\n  endpoint: %s\n  region: us-east-1\n  access_key_id: test\n  secret_access_key: test\n  create_queues: true\n  wait_time: 1s\n  visibility_timeout: 20s", endpoint), in, changes, dead)

	client := sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := context.Background()
	urls := map[string]string{}
	for _, q := range []string{in, changes, dead} {
		out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		require.NoError(t, err)
		urls[q] = aws.ToString(out.QueueUrl)
	}
	publishSQS(t, client, urls[in], f)
	depth := func() int { return sqsDepth(t, client, urls[in]) }

	w := startWorker(t, config)
	waitFor(t, 2*time.Minute, "half of the messages", func() bool { return sqsVisible(t, client, urls[in]) < len(f.msgs)/2 })
	w.kill9()
	t.Logf("worker killed with %d messages left", depth())
	w = startWorker(t, config)
	waitFor(t, 3*time.Minute, "the queue to drain", func() bool { return depth() == 0 })
	w.stop(30 * time.Second)

	checkStore(t, conn, f)
	checkChanges(t, drainSQS(t, client, urls[changes]), f)
	// Dead-lettering is at-least-once: a poison message whose ack was lost in the kill is
	// dead-lettered again. Every poison message is there, and nothing else.
	deadBodies := drainSQS(t, client, urls[dead])
	poison := map[string]bool{}
	for _, m := range f.msgs {
		if strings.HasPrefix(m.id, "poison-") {
			poison[string(m.body)] = true
		}
	}
	assert.GreaterOrEqual(t, len(deadBodies), f.poison, "every poison message is dead-lettered")
	for _, b := range deadBodies {
		var m struct {
			TxID string `json:"txId"`
		}
		isPoison := poison[string(b)] || json.Unmarshal(b, &m) == nil && strings.HasPrefix(m.TxID, "poison-")
		assert.True(t, isPoison, "only poison messages are dead-lettered, not %s", b)
	}
}

// publishSQS sends the feed. SQS assigns message ids itself, so every insert names its
// idempotency key in the body (txId = the feed's message id): a copy then repeats it.
func publishSQS(t *testing.T, c *sqs.Client, url string, f feed) {
	t.Helper()
	for start := 0; start < len(f.msgs); start += 10 {
		var entries []sqstypes.SendMessageBatchRequestEntry
		for i, m := range f.msgs[start:min(start+10, len(f.msgs))] {
			body := m.body
			var b map[string]any
			if json.Unmarshal(body, &b) == nil && b["txId"] == nil {
				b["txId"] = m.id
				body, _ = json.Marshal(b)
			}
			entries = append(entries, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(body))})
		}
		out, err := c.SendMessageBatch(context.Background(), &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries})
		require.NoError(t, err)
		require.Empty(t, out.Failed)
	}
}

// sqsVisible is the number of visible messages; sqsDepth adds the ones in flight.
func sqsVisible(t *testing.T, c *sqs.Client, url string) int {
	n, _ := sqsCounts(t, c, url)
	return n
}

func sqsDepth(t *testing.T, c *sqs.Client, url string) int {
	n, inFlight := sqsCounts(t, c, url)
	return n + inFlight
}

func sqsCounts(t *testing.T, c *sqs.Client, url string) (visible, inFlight int) {
	t.Helper()
	out, err := c.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: &url,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	require.NoError(t, err)
	visible, _ = strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	inFlight, _ = strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return visible, inFlight
}

// drainSQS receives and deletes every message of a queue, until the queue holds none, visible or
// in flight. A receive whose answer is lost (the SDK retries it after a broken connection) leaves
// its messages in flight with nobody to delete them; a short visibility timeout brings them back,
// and the loop waits for them. Each message is returned once (by message id).
func drainSQS(t *testing.T, c *sqs.Client, url string) [][]byte {
	t.Helper()
	var out [][]byte
	seen := map[string]bool{}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		res, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 5})
		require.NoError(t, err)
		if len(res.Messages) == 0 {
			if visible, inFlight := sqsCounts(t, c, url); visible+inFlight == 0 {
				return out
			}
			continue
		}
		var del []sqstypes.DeleteMessageBatchRequestEntry
		for i, m := range res.Messages {
			if id := aws.ToString(m.MessageId); !seen[id] {
				seen[id] = true
				out = append(out, []byte(aws.ToString(m.Body)))
			}
			del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
		}
		_, err = c.DeleteMessageBatch(context.Background(), &sqs.DeleteMessageBatchInput{QueueUrl: &url, Entries: del})
		require.NoError(t, err)
	}
	t.Fatalf("the queue %s did not empty within 90 s", url)
	return nil
}
