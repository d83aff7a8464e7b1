package sqs

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// maxConcurrentDeletes bounds the DeleteMessageBatch requests of one subscription under way at once, so
// that a fast consumer is not held back by one round trip per ten messages.
const maxConcurrentDeletes = 4

// requestTimeout bounds the SQS calls that settle messages (delete, visibility changes): they run on their
// own context because they must complete even while the subscription is stopping.
const requestTimeout = 30 * time.Second

// deleter deletes acknowledged messages in DeleteMessageBatch requests of up to 10 receipt handles, sent
// when 10 are waiting or when the oldest has waited the batch interval. Acks only append to a list under a
// lock (no goroutine hand-off per message); the ack that completes a batch sends it.
type deleter struct {
	client   API
	queueURL string
	interval time.Duration
	logger   watermill.LoggerAdapter

	mu      sync.Mutex
	pending []string
	timer   *time.Timer // flushes a partial batch after interval; armed by the first pending ack

	slots    chan struct{} // one per request under way
	requests sync.WaitGroup
}

func newDeleter(client API, queueURL string, interval time.Duration, logger watermill.LoggerAdapter) *deleter {
	d := &deleter{
		client:   client,
		queueURL: queueURL,
		interval: max(interval, 0), // NoWait: no batching
		logger:   logger,
		slots:    make(chan struct{}, maxConcurrentDeletes),
	}
	d.timer = time.AfterFunc(time.Hour, d.flushDue)
	d.timer.Stop()
	return d
}

// add queues the receipt handle of an acknowledged message. The call that completes a batch sends it, and
// waits while maxConcurrentDeletes requests are under way: acknowledging slows down to what SQS absorbs.
func (d *deleter) add(receipt string) {
	d.mu.Lock()
	d.pending = append(d.pending, receipt)
	var batch []string
	switch {
	case len(d.pending) == maxBatchEntries || d.interval == 0:
		batch = d.take()
		d.timer.Stop()
	case len(d.pending) == 1:
		d.timer.Reset(d.interval)
	}
	d.mu.Unlock()
	d.send(batch)
}

// flushDue sends the partial batch whose oldest ack has waited the interval.
func (d *deleter) flushDue() {
	d.mu.Lock()
	batch := d.take()
	d.mu.Unlock()
	d.send(batch)
}

// take empties the pending list and counts the request that will send it, under d.mu: a request is
// counted before the list is seen empty by anyone, so close cannot miss one sent by a late timer.
func (d *deleter) take() []string {
	batch := d.pending
	d.pending = nil
	if len(batch) > 0 {
		d.requests.Add(1)
	}
	return batch
}

// close sends what is pending and returns when every delete request has completed. add must not be
// called after close.
func (d *deleter) close() {
	d.timer.Stop()
	d.flushDue()
	d.requests.Wait()
}

// send deletes receipts (counted in d.requests by take) in a request of their own, waiting for a free slot.
func (d *deleter) send(receipts []string) {
	if len(receipts) == 0 {
		return
	}
	d.slots <- struct{}{}
	go func() {
		defer func() {
			<-d.slots
			d.requests.Done()
		}()
		d.delete(receipts)
	}()
}

func (d *deleter) delete(receipts []string) {
	entries := make([]types.DeleteMessageBatchRequestEntry, len(receipts))
	for i, r := range receipts {
		entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: aws.String(r)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	out, err := d.client.DeleteMessageBatch(ctx, &awssqs.DeleteMessageBatchInput{QueueUrl: aws.String(d.queueURL), Entries: entries})
	if err != nil {
		d.logger.Error("Cannot delete acknowledged messages: SQS will deliver them again", err,
			watermill.LogFields{"messages": len(receipts)})
		return
	}
	for _, f := range out.Failed {
		d.logger.Error("Cannot delete an acknowledged message: SQS will deliver it again", nil,
			watermill.LogFields{"code": aws.ToString(f.Code), "reason": aws.ToString(f.Message)})
	}
}
