package sqs

import (
	"context"
	"sync"
	"time"
)

// Gathering concurrent publishes into batches
//
// A worker publishes one change event per message it handles, from many handler goroutines at once,
// and must not ack a message before its event is stored. One SendMessage per event doubles the SQS
// requests of every message. With PublisherConfig.Linger set, a Publish of a single message waits up
// to Linger for others to the same queue and they go together in one SendMessageBatch; each call
// still returns only when its own message is stored (or with the error of exactly that message), so
// publish-then-ack keeps its meaning. FIFO queues are left alone: a batch from several goroutines
// would give their messages an arbitrary order within a group.

// gathering is the batch being gathered for one queue.
type gathering struct {
	items []outgoing
	waits []chan error
	size  int
	timer *time.Timer
}

// gatherer holds the batches being gathered, by queue URL.
type gatherer struct {
	mu      sync.Mutex
	pending map[string]*gathering
}

// publishGathered adds o to the batch gathered for queueURL and waits for that batch's answer.
func (p *Publisher) publishGathered(ctx context.Context, topic, queueURL string, o outgoing) error {
	wait := make(chan error, 1)
	g := &p.gather
	g.mu.Lock()
	if g.pending == nil {
		g.pending = map[string]*gathering{}
	}
	b := g.pending[queueURL]
	if b != nil && (len(b.items) == maxBatchEntries || b.size+o.size > p.cfg.MaxBatchBytes) {
		p.takeLocked(queueURL, b)
		go p.flush(ctx, topic, queueURL, b)
		b = nil
	}
	if b == nil {
		b = &gathering{}
		g.pending[queueURL] = b
		b.timer = time.AfterFunc(p.cfg.Linger, func() {
			g.mu.Lock()
			if g.pending[queueURL] != b {
				g.mu.Unlock()
				return // already sent as full
			}
			delete(g.pending, queueURL)
			g.mu.Unlock()
			p.flush(ctx, topic, queueURL, b)
		})
	}
	b.items = append(b.items, o)
	b.waits = append(b.waits, wait)
	b.size += o.size
	if len(b.items) == maxBatchEntries {
		p.takeLocked(queueURL, b)
		g.mu.Unlock()
		p.flush(ctx, topic, queueURL, b)
	} else {
		g.mu.Unlock()
	}
	select {
	case err := <-wait:
		return err
	case <-ctx.Done():
		return ctx.Err() // the message may still be sent: at least once, as after any lost answer
	}
}

// takeLocked removes a batch from the gathering (g.mu held) and stops its timer.
func (p *Publisher) takeLocked(queueURL string, b *gathering) {
	b.timer.Stop()
	delete(p.gather.pending, queueURL)
}

// flush sends a gathered batch and answers every waiting Publish.
func (p *Publisher) flush(ctx context.Context, topic, queueURL string, b *gathering) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	failed, err := p.send(ctx, queueURL, b.items)
	if isQueueDoesNotExist(err) {
		p.queues.forget(topic)
	}
	byUUID := make(map[string]FailedMessage, len(failed))
	for _, f := range failed {
		byUUID[f.UUID] = f
	}
	for i, o := range b.items {
		if f, ok := byUUID[o.uuid]; ok {
			b.waits[i] <- &PublishError{Topic: topic, Failed: []FailedMessage{f}, Err: err}
			continue
		}
		b.waits[i] <- nil
	}
}
