package sqs_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/sqs"
)

// newClient returns an SQS client for the test endpoint (fauxqs accepts any credentials). A non-nil
// httpClient replaces the default one (to count requests).
func newClient(t testing.TB, httpClient *countingClient) *awssqs.Client {
	t.Helper()
	cfg := sqs.ClientConfig{
		Endpoint:        testenv.SQSEndpoint(t),
		Region:          "us-east-1",
		AccessKeyID:     "test",
		SecretAccessKey: "test",
	}
	if httpClient != nil {
		cfg.HTTPClient = httpClient
	}
	client, err := sqs.NewClient(t.Context(), cfg)
	require.NoError(t, err)
	return client
}

var notQueueChars = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// queueName returns a fresh queue name mentioning hint (the test name), so runs never share queues.
func queueName(hint string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	h := strings.Trim(notQueueChars.ReplaceAllString(strings.ToLower(hint), "-"), "-")
	if len(h) > 50 {
		h = h[len(h)-50:]
	}
	return "t-" + h + "-" + hex.EncodeToString(b[:])
}

// createQueue creates a fresh queue for the test and returns its name and URL.
func createQueue(t testing.TB, client sqs.API, attrs map[string]string) (string, string) {
	t.Helper()
	name := queueName(t.Name())
	url, _, err := sqs.CreateQueue(t.Context(), client, name, attrs, nil)
	require.NoError(t, err)
	return name, url
}

// testLogger logs through the test when -v is given (watermill's stdlib logger writes to stderr).
func testLogger(t testing.TB) watermill.LoggerAdapter {
	if testing.Verbose() {
		return watermill.NewStdLogger(false, false)
	}
	return watermill.NopLogger{}
}

// countingClient is an HTTP client that counts SQS requests by action (the X-Amz-Target header of the
// JSON protocol, e.g. "AmazonSQS.DeleteMessageBatch") and remembers their body sizes.
type countingClient struct {
	client *http.Client

	mu     sync.Mutex
	counts map[string]int
	sizes  map[string][]int
}

func newCountingClient() *countingClient {
	return &countingClient{
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		counts: map[string]int{},
		sizes:  map[string][]int{},
	}
}

func (c *countingClient) Do(req *http.Request) (*http.Response, error) {
	action := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AmazonSQS.")
	size := 0
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		size = len(body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	c.mu.Lock()
	c.counts[action]++
	c.sizes[action] = append(c.sizes[action], size)
	c.mu.Unlock()
	return c.client.Do(req)
}

func (c *countingClient) count(action string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[action]
}

func (c *countingClient) bodySizes(action string) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int(nil), c.sizes[action]...)
}

func (c *countingClient) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
	c.sizes = map[string][]int{}
}

// queueCounts returns the visible and in-flight message counts of a queue.
func queueCounts(t testing.TB, client *awssqs.Client, url string) (visible, inFlight int) {
	t.Helper()
	out, err := client.GetQueueAttributes(t.Context(), &awssqs.GetQueueAttributesInput{
		QueueUrl:       &url,
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessages, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible},
	})
	require.NoError(t, err)
	visible, _ = strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	inFlight, _ = strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return visible, inFlight
}

// eventually polls cond every 50 ms until it holds or timeout passes.
func eventually(t testing.TB, timeout time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", timeout, msg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
