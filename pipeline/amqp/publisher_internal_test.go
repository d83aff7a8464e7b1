package amqp

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// TestPublisher_groups_concurrent_publishes: Publish calls made while a group waits for its confirms
// leave together, in one write, instead of one write (and one broker sync) each.
func TestPublisher_groups_concurrent_publishes(t *testing.T) {
	rabbit := testenv.AMQPURL(t)
	queue := testenv.AMQPQueues(t, rabbit, "q")[0]
	require.NoError(t, DeclareQueues(rabbit, queue))
	pub, err := NewPublisher(rabbit, nil)
	require.NoError(t, err)
	defer pub.Close()
	writes := func() int {
		pub.cork.mu.Lock()
		defer pub.cork.mu.Unlock()
		return pub.cork.writes
	}
	before := writes() // the handshake's
	require.NoError(t, pub.Publish(queue, message.NewMessage("first", []byte("{}"))))
	assert.Equal(t, 1, writes()-before, "a lone Publish goes out at once, in one write")
	before = writes()

	const producers, each = 32, 20
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				assert.NoError(t, pub.Publish(queue, message.NewMessage(fmt.Sprintf("p%02d-%02d", p, i), []byte("{}"))))
			}
		}()
	}
	wg.Wait()
	groups := writes() - before
	t.Logf("%d publishes from %d goroutines left in %d writes", producers*each, producers, groups)
	assert.Less(t, groups, producers*each/2, "concurrent publishes are grouped")
}
