package sqs

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
)

// receiveStopGrace is how old a ReceiveMessage call under way may grow before it is cancelled when the
// subscription stops. SQS may already have taken messages off the queue for a call that is then abandoned:
// they would stay invisible for a whole VisibilityTimeout. A queue with messages answers within a round
// trip, so a young call is left to complete (its messages are then released at once); a call older than
// this is an idle long poll and is cancelled at once, so closing does not wait for it.
const receiveStopGrace = 250 * time.Millisecond

// Receive error backoff: a failing ReceiveMessage is retried after a pause that doubles up to the maximum.
const (
	minReceiveRetry = 100 * time.Millisecond
	maxReceiveRetry = 5 * time.Second
)

// subscription is one Subscribe call: receivers fill a buffer of received messages, deliverers hand them
// out one per deliverer and wait for Ack or Nack, a heartbeat renews the leases of everything in flight,
// and a deleter deletes acknowledged messages in batches.
type subscription struct {
	cfg      *SubscriberConfig
	client   API
	logger   watermill.LoggerAdapter
	queueURL string
	fifo     bool

	ctx     context.Context // the Subscribe context; message contexts derive from it
	stop    context.Context // done when ctx is done or the subscriber closes
	cancel  context.CancelFunc
	closing <-chan struct{}

	// visibility orders the heartbeat's renewals and the visibility changes of nacks, so that a renewal
	// sent for a message just nacked cannot land after the nack and hide the message for a whole lease.
	visibility sync.Mutex

	out     chan *message.Message
	ready   chan *inflight // received, waiting for a deliverer
	queued  atomic.Int64   // len(ready), maintained to wake receivers when it drops to zero
	credits *credits
	leases  *leases
	acks    *deleter
}

func newSubscription(ctx context.Context, cfg *SubscriberConfig, topic, queueURL string, closing <-chan struct{}, logger watermill.LoggerAdapter) *subscription {
	logger = logger.With(watermill.LogFields{"topic": topic, "queue_url": queueURL})
	stop, cancel := context.WithCancel(ctx)
	return &subscription{
		cfg:      cfg,
		client:   cfg.Client,
		logger:   logger,
		queueURL: queueURL,
		fifo:     isFIFO(queueURL),
		ctx:      ctx,
		stop:     stop,
		cancel:   cancel,
		closing:  closing,
		out:      make(chan *message.Message),
		ready:    make(chan *inflight, cfg.MaxInFlight),
		credits:  newCredits(cfg.MaxInFlight, min(maxBatchEntries, cfg.MaxInFlight)),
		leases:   newLeases(),
		acks:     newDeleter(cfg.Client, queueURL, cfg.AckBatchInterval, logger),
	}
}

// run drives the subscription until its context is cancelled or the subscriber closes, then shuts it down
// in order: receivers, deliverers (which wait for handed-out messages), release of undelivered messages,
// heartbeat, pending deletes, and last the output channel.
func (s *subscription) run() {
	defer s.cancel()
	go func() {
		select {
		case <-s.closing:
			s.cancel()
		case <-s.stop.Done():
		}
	}()
	stopCredits := context.AfterFunc(s.stop, s.credits.close)
	defer stopCredits()
	heartbeatStop, heartbeatDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(heartbeatDone)
		s.heartbeat(heartbeatStop)
	}()
	s.logger.Debug("Subscribed", nil)

	var receivers, deliverers sync.WaitGroup
	for range s.cfg.Receivers {
		receivers.Go(s.receive)
	}
	for range s.cfg.MaxUnacked {
		deliverers.Go(s.deliver)
	}
	receivers.Wait()
	deliverers.Wait()

	released := s.leases.takeUndelivered()
	s.changeVisibility(released, 0, "release")
	close(heartbeatStop)
	<-heartbeatDone
	s.acks.close()
	close(s.out)
	s.logger.Debug("Subscription stopped", watermill.LogFields{"released": len(released)})
}

// idle reports whether no received message waits for a deliverer.
func (s *subscription) idle() bool { return s.queued.Load() == 0 }

func (s *subscription) receive() {
	want := min(maxBatchEntries, s.cfg.MaxInFlight)
	var retry time.Duration
	for {
		n := s.credits.take(want, s.idle)
		if n == 0 {
			return
		}
		sent := time.Now()
		res, err := s.poll(sent, n)
		if err != nil {
			s.credits.give(n)
			if s.stop.Err() != nil {
				return
			}
			retry = min(max(2*retry, minReceiveRetry), maxReceiveRetry)
			s.logger.Error("Cannot receive messages", err, watermill.LogFields{"retry_in": retry.String()})
			select {
			case <-time.After(retry):
			case <-s.stop.Done():
				return
			}
			continue
		}
		retry = 0
		s.credits.give(n - len(res.Messages))
		deadline := sent.Add(s.cfg.VisibilityTimeout)
		// The whole batch is leased before any of it is delivered: a nack of its first message must find
		// the messages of the same FIFO group behind it.
		batch := make([]*inflight, 0, len(res.Messages))
		for _, m := range res.Messages {
			f := &inflight{receipt: aws.ToString(m.ReceiptHandle), count: receiveCount(m), deadline: deadline}
			msg, err := unmarshal(m)
			if err != nil {
				// A message this package cannot read is treated as a failure: nacked with backoff, it
				// reaches the dead-letter queue after maxReceiveCount receives.
				s.logger.Error("Cannot decode a received message: nacking it", err, watermill.LogFields{"sqs_message_id": aws.ToString(m.MessageId)})
				s.nack(f)
				continue
			}
			f.msg = msg
			if s.fifo {
				f.group = m.Attributes[string(types.MessageSystemAttributeNameMessageGroupId)]
			}
			s.leases.add(f)
			batch = append(batch, f)
		}
		for _, f := range batch {
			s.queued.Add(1)
			s.ready <- f // never blocks: credits bound the messages in flight to cap(ready)
		}
	}
}

// poll calls ReceiveMessage for up to n messages. The call outlives the subscription's stop by what
// remains of receiveStopGrace since sent.
func (s *subscription) poll(sent time.Time, n int) (*awssqs.ReceiveMessageOutput, error) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(s.ctx))
	defer cancel()
	stopWatching := context.AfterFunc(s.stop, func() {
		if left := receiveStopGrace - time.Since(sent); left > 0 {
			time.AfterFunc(left, cancel)
		} else {
			cancel()
		}
	})
	defer stopWatching()
	return s.client.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{
		QueueUrl:                    aws.String(s.queueURL),
		MaxNumberOfMessages:         int32(n),
		WaitTimeSeconds:             s.cfg.waitSeconds(),
		VisibilityTimeout:           visibilitySeconds(s.cfg.VisibilityTimeout),
		MessageAttributeNames:       []string{"All"},
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
	})
}

func (s *subscription) deliver() {
	for {
		select {
		case <-s.stop.Done():
			return
		case f := <-s.ready:
			if s.queued.Add(-1) == 0 {
				s.credits.wake()
			}
			if s.stop.Err() != nil {
				return // f stays in the leases and is released
			}
			if !s.leases.claim(f) {
				continue // dropped after a nack of its FIFO group; its credit was given back then
			}
			s.handle(f)
		}
	}
}

// handle hands f out and settles it according to the consumer's answer.
func (s *subscription) handle(f *inflight) {
	msg := f.msg
	ctx, cancel := context.WithCancel(s.stop)
	defer cancel()
	msg.SetContext(ctx)
	select {
	case s.out <- msg:
	case <-s.stop.Done():
		s.leases.unclaim(f)
		return
	}
	select {
	case <-msg.Acked():
		s.ack(f)
		return
	case <-msg.Nacked():
		s.nack(f)
		return
	case <-s.stop.Done():
	}
	// Stopping: the message's context is cancelled (it derives from stop); give the handler CloseTimeout to
	// answer so that an Ack still turns into a delete.
	if s.cfg.CloseTimeout != NoWait {
		timer := time.NewTimer(s.cfg.CloseTimeout)
		defer timer.Stop()
		select {
		case <-msg.Acked():
			s.ack(f)
			return
		case <-msg.Nacked():
			s.nack(f)
			return
		case <-timer.C:
		}
	}
	s.leases.remove(f)
	s.credits.give(1)
	s.logger.Info("Message not acknowledged before the subscription stopped: SQS will deliver it again when its visibility timeout ends",
		watermill.LogFields{"message_uuid": msg.UUID})
}

func (s *subscription) ack(f *inflight) {
	s.leases.remove(f)
	s.acks.add(f.receipt)
	s.credits.give(1)
}

// nack makes f visible again after the backoff of its receive count. On a FIFO queue, the messages of the
// same group received after it and not handed out yet are released too, so they cannot overtake it.
func (s *subscription) nack(f *inflight) {
	s.visibility.Lock()
	defer s.visibility.Unlock()
	s.leases.remove(f)
	delay := s.cfg.NackBackoff(f.count)
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, err := s.client.ChangeMessageVisibility(ctx, &awssqs.ChangeMessageVisibilityInput{
		QueueUrl:          aws.String(s.queueURL),
		ReceiptHandle:     aws.String(f.receipt),
		VisibilityTimeout: visibilitySeconds(delay),
	})
	if err != nil && !isStaleReceipt(err) {
		s.logger.Error("Cannot change the visibility of a nacked message: it is redelivered when its lease ends", err, nil)
	}
	if s.fifo && f.group != "" {
		if later := s.leases.dropGroup(f.group); len(later) > 0 {
			s.changeVisibility(later, 0, "release")
			s.credits.give(len(later))
		}
	}
	s.credits.give(1)
}

// heartbeat renews, every HeartbeatInterval, the leases that would end within two intervals.
func (s *subscription) heartbeat(stop <-chan struct{}) {
	interval := s.cfg.HeartbeatInterval
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-ticker.C:
			s.visibility.Lock()
			due := s.leases.renew(now.Add(2*interval), now.Add(s.cfg.VisibilityTimeout))
			s.changeVisibility(due, s.cfg.VisibilityTimeout, "renew")
			s.visibility.Unlock()
		}
	}
}

// changeVisibility sets the visibility timeout of msgs, 10 per request. Failures are logged: a message
// whose renewal failed may be delivered twice, one whose release failed is delivered after its lease.
func (s *subscription) changeVisibility(msgs []*inflight, timeout time.Duration, what string) {
	for len(msgs) > 0 {
		chunk := msgs[:min(len(msgs), maxBatchEntries)]
		msgs = msgs[len(chunk):]
		entries := make([]types.ChangeMessageVisibilityBatchRequestEntry, len(chunk))
		for i, f := range chunk {
			entries[i] = types.ChangeMessageVisibilityBatchRequestEntry{
				Id:                aws.String(strconv.Itoa(i)),
				ReceiptHandle:     aws.String(f.receipt),
				VisibilityTimeout: visibilitySeconds(timeout),
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		out, err := s.client.ChangeMessageVisibilityBatch(ctx, &awssqs.ChangeMessageVisibilityBatchInput{
			QueueUrl: aws.String(s.queueURL), Entries: entries,
		})
		cancel()
		if err != nil {
			s.logger.Error("Cannot change message visibility", err, watermill.LogFields{"action": what, "messages": len(chunk)})
			continue
		}
		for _, e := range out.Failed {
			// A message acked meanwhile has no lease left to change: not worth more than a trace.
			s.logger.Trace("Cannot change the visibility of a message", watermill.LogFields{"action": what,
				"code": aws.ToString(e.Code), "reason": aws.ToString(e.Message)})
		}
	}
}

// isStaleReceipt reports an error saying the receipt handle no longer names an in-flight message (its
// lease ended, or it was deleted): nothing is left to change.
func isStaleReceipt(err error) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.ErrorCode() {
	case "MessageNotInflight", "ReceiptHandleIsInvalid", "InvalidParameterValue":
		return true
	}
	return false
}
