package amqp

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// BlockedError is what Publish returns while RabbitMQ blocks the publisher's connection: a resource
// alarm (memory or disk above its limit) makes the broker stop reading from connections that publish
// until the alarm clears. Nothing is lost: the messages were either not sent or will be confirmed
// or dropped as a whole by the broker, and the caller (the worker's router) nacks the inbound message,
// which comes again. Check for it with errors.As.
type BlockedError struct {
	Reason string    // the broker's words, e.g. "low on memory"
	Since  time.Time // when the broker announced the block
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("amqp publisher: RabbitMQ has blocked publishing since %s (%s): a resource alarm on the broker; "+
		"free memory or disk there (rabbitmq-diagnostics alarms) and publishing resumes by itself",
		e.Since.UTC().Format(time.RFC3339), e.Reason)
}

// blockState follows RabbitMQ's flow control of one connection: connection.blocked, which the broker
// sends when a resource alarm stops it reading from publishing connections, and connection.unblocked
// when the alarm clears. Why: a publish written into a blocked connection waits in socket buffers for
// as long as the alarm lasts; knowing the state, the Publisher holds new groups back, answers with a
// BlockedError, keeps the connection (it is healthy, only paused) and tells the worker's /readyz.
// Each connection has its own, so that the end of an old connection cannot clear a new one's block.
type blockState struct {
	mu      sync.Mutex
	err     *BlockedError // nil while not blocked
	cleared chan struct{} // closed when the current block ends
}

// watch applies the broker's notifications until the connection ends (amqp091 then closes notes).
func (b *blockState) watch(notes <-chan amqp091.Blocking, log watermill.LoggerAdapter) {
	for n := range notes {
		b.mu.Lock()
		switch {
		case n.Active && b.err == nil:
			b.err = &BlockedError{Reason: n.Reason, Since: time.Now()}
			b.cleared = make(chan struct{})
			log.Error("AMQP publisher: RabbitMQ blocks publishing (a resource alarm); publishes wait and then fail until it clears",
				b.err, watermill.LogFields{"reason": n.Reason})
		case !n.Active && b.err != nil:
			log.Info("AMQP publisher: RabbitMQ unblocked publishing", watermill.LogFields{"blocked_for": time.Since(b.err.Since).String()})
			b.err = nil
			close(b.cleared)
		}
		b.mu.Unlock()
	}
	b.mu.Lock()
	if b.err != nil { // a new connection starts unblocked; the broker tells it again if need be
		b.err = nil
		close(b.cleared)
	}
	b.mu.Unlock()
}

// blocked returns the current block, or nil.
func (b *blockState) blocked() *BlockedError {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// wait returns nil once the connection is not blocked, or the block when ctx ends first.
func (b *blockState) wait(ctx context.Context) *BlockedError {
	if b == nil {
		return nil
	}
	for {
		b.mu.Lock()
		err, cleared := b.err, b.cleared
		b.mu.Unlock()
		if err == nil {
			return nil
		}
		select {
		case <-cleared:
		case <-ctx.Done():
			return err
		}
	}
}
