package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
)

// AMQPQueues returns queue names unique to this test ("s3db-test-<random>-<name>" for each name)
// and deletes those queues on the broker at url when the test ends, so that tests sharing one
// broker neither see each other's messages nor leave queues behind.
func AMQPQueues(t testing.TB, url string, names ...string) []string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	prefix := "s3db-test-" + hex.EncodeToString(b)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + "-" + n
	}
	t.Cleanup(func() { DeleteAMQPQueues(url, out...) })
	return out
}

// DeleteAMQPQueues deletes the queues on the broker at url, best effort (for cleanups: a broker that is
// gone has nothing to delete).
func DeleteAMQPQueues(url string, queues ...string) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return
	}
	for _, q := range queues {
		_, _ = ch.QueueDelete(q, false, false, false)
	}
}
