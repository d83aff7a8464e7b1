package e2e_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// 10,000 messages from RabbitMQ, with duplicates and poison messages, through the worker into
// versitygw, while the worker is killed with SIGKILL and restarted and the broker itself is killed
// and restarted: the bucket ends with exactly the expected records, every write has its change
// event, and the poison messages are in the dead-letter queue with their error.
func TestWorkerRabbitMQ(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: not in -short")
	}
	node := testenv.PrivateRabbit(t)
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "e2e")
	f := newFeed(10000, rand.New(rand.NewPCG(7, 11)))
	config := writeConfig(t, conn, "amqp", "amqp:\n  url: "+node.URL(), "in", "changes", "dead")

	// The worker declares its queues (with their dead-letter arguments): let it, stop it, fill the
	// queue, and start it again.
	w := startWorker(t, config)
	depth := func() int { return queueDepth(t, node.URL(), "in") }
	waitFor(t, time.Minute, "the worker to declare its queue", func() bool { return depth() == 0 })
	w.stop(30 * time.Second)
	publishAMQP(t, node.URL(), "in", f)
	require.Equal(t, len(f.msgs), depth())

	w = startWorker(t, config)
	waitFor(t, 2*time.Minute, "a third of the messages", func() bool { return depth() < len(f.msgs)*2/3 })
	w.kill9()
	t.Logf("worker killed with %d messages left", depth())

	w = startWorker(t, config)
	waitFor(t, 2*time.Minute, "two thirds of the messages", func() bool { return depth() < len(f.msgs)/3 })
	node.Restart(time.Second)
	t.Logf("broker restarted with %d messages left", depth())

	waitFor(t, 3*time.Minute, "the queue to drain", func() bool { return depth() == 0 })
	w.stop(30 * time.Second) // finishes and acks what it holds
	require.Equal(t, 0, depth(), "nothing was handed back to the queue unfinished")

	checkStore(t, conn, f)
	changes := drainAMQP(t, node.URL(), "changes")
	checkChanges(t, bodiesOf(changes), f)
	// Dead-lettering is at-least-once too: when the killed broker forgets acks, a poison message
	// comes back and is dead-lettered again, with its own message id.
	dead := drainAMQP(t, node.URL(), "dead")
	deadIDs := map[string]bool{}
	for _, d := range dead {
		assert.True(t, strings.HasPrefix(d.MessageId, "poison-"), "only poison messages are dead-lettered, not %q", d.MessageId)
		assert.True(t, poisonReason(d.Headers), "a dead letter says why: %v", d.Headers)
		deadIDs[d.MessageId] = true
	}
	assert.Len(t, deadIDs, f.poison, "every poison message is dead-lettered")
}

func publishAMQP(t *testing.T, url, queue string, f feed) {
	t.Helper()
	c, err := amqp.Dial(url)
	require.NoError(t, err)
	defer c.Close()
	ch, err := c.Channel()
	require.NoError(t, err)
	_, err = ch.QueueDeclarePassive(queue, true, false, false, false, nil)
	require.NoError(t, err)
	require.NoError(t, ch.Confirm(false))
	confirms := ch.NotifyPublish(make(chan amqp.Confirmation, len(f.msgs)))
	for _, m := range f.msgs {
		require.NoError(t, ch.PublishWithContext(context.Background(), "", queue, false, false,
			amqp.Publishing{DeliveryMode: amqp.Persistent, MessageId: m.id, ContentType: "application/json", Body: m.body}))
	}
	for range f.msgs {
		require.True(t, (<-confirms).Ack)
	}
}

// queueDepth is the number of ready messages (-1 while the broker is unreachable).
func queueDepth(t *testing.T, url, queue string) int {
	q, ok := inspect(url, queue)
	if !ok {
		return -1
	}
	return q.Messages
}

func inspect(url, queue string) (amqp.Queue, bool) {
	c, err := amqp.Dial(url)
	if err != nil {
		return amqp.Queue{}, false
	}
	defer c.Close()
	ch, err := c.Channel()
	if err != nil {
		return amqp.Queue{}, false
	}
	q, err := ch.QueueDeclarePassive(queue, true, false, false, false, nil)
	return q, err == nil
}

// drainAMQP takes every message of a queue.
func drainAMQP(t *testing.T, url, queue string) []amqp.Delivery {
	t.Helper()
	c, err := amqp.Dial(url)
	require.NoError(t, err)
	defer c.Close()
	ch, err := c.Channel()
	require.NoError(t, err)
	var out []amqp.Delivery
	for {
		d, ok, err := ch.Get(queue, true)
		require.NoError(t, err)
		if !ok {
			return out
		}
		out = append(out, d)
	}
}

func bodiesOf(ds []amqp.Delivery) [][]byte {
	out := make([][]byte, len(ds))
	for i, d := range ds {
		out[i] = d.Body
	}
	return out
}
