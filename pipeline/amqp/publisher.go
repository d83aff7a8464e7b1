package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// DefaultConfirmTimeout bounds the wait for the broker's confirmation of a published message.
const DefaultConfirmTimeout = 30 * time.Second

// Publisher publishes to durable queues through the default exchange (the Watermill topic is the queue
// name) with persistent messages and publisher confirms: Publish returns nil only once the broker has
// confirmed every message. The AMQP message-id property carries the Watermill UUID, and the metadata
// travels as headers in watermill-amqp's format (its DefaultMarshaler), so watermill-amqp consumers
// read these messages too.
//
// Why not watermill-amqp's Publisher: in v3.0.2 its connection wrapper swaps a channel field without
// synchronisation when it reconnects (a data race the race detector reports), and its channel pool
// loses a channel each time reopening one fails, so a broker restart can leave every later Publish
// blocked. This one keeps one connection and one confirm-mode channel; any failure drops them, the
// Publish fails (the router nacks, the message comes again), and the next Publish reconnects.
//
// Declare the queues first (DeclareQueues): the default exchange drops messages for a queue that does
// not exist.
type Publisher struct {
	url       string
	log       watermill.LoggerAdapter
	marshaler wamqp.DefaultMarshaler

	mu     sync.Mutex
	conn   *amqp091.Connection
	ch     *amqp091.Channel
	closed bool
}

var _ message.Publisher = (*Publisher)(nil)

// NewPublisher connects to url (so that a wrong URL fails here) and returns the Publisher.
func NewPublisher(url string, logger watermill.LoggerAdapter) (*Publisher, error) {
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	p := &Publisher{url: url, log: logger, marshaler: wamqp.DefaultMarshaler{PostprocessPublishing: func(pub amqp091.Publishing) amqp091.Publishing {
		if id, ok := pub.Headers[watermillUUIDHeader].(string); ok {
			pub.MessageId = id
		}
		if c, ok := pub.Headers["correlation_id"].(string); ok {
			pub.CorrelationId = c
		}
		pub.ContentType = "application/json"
		return pub
	}}}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.channel(); err != nil {
		return nil, err
	}
	return p, nil
}

// channel returns the open confirm-mode channel, connecting first when needed. p.mu is held.
func (p *Publisher) channel() (*amqp091.Channel, error) {
	if p.closed {
		return nil, errors.New("amqp publisher: closed")
	}
	if p.ch != nil && !p.ch.IsClosed() {
		return p.ch, nil
	}
	p.drop()
	conn, err := amqp091.Dial(p.url)
	if err != nil {
		return nil, fmt.Errorf("amqp publisher: connect: %w", err)
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("amqp publisher: open confirm channel: %w", err)
	}
	p.conn, p.ch = conn, ch
	return ch, nil
}

// drop closes the connection, if any. p.mu is held.
func (p *Publisher) drop() {
	if p.conn != nil {
		_ = p.conn.Close()
	}
	p.conn, p.ch = nil, nil
}

// Publish sends the messages to the queue topic and waits for the broker to confirm each. Publish is
// safe for concurrent use; concurrent calls share the channel and wait for their confirms in parallel.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultConfirmTimeout)
	defer cancel()
	p.mu.Lock()
	ch, err := p.channel()
	if err != nil {
		p.mu.Unlock()
		return err
	}
	confirms := make([]*amqp091.DeferredConfirmation, 0, len(msgs))
	for _, m := range msgs {
		pub, err := p.marshaler.Marshal(m)
		if err == nil {
			var dc *amqp091.DeferredConfirmation
			dc, err = ch.PublishWithDeferredConfirmWithContext(ctx, "", topic, false, false, pub)
			confirms = append(confirms, dc)
		}
		if err != nil {
			if ch == p.ch {
				p.drop()
			}
			p.mu.Unlock()
			return fmt.Errorf("amqp publisher: publish %s to %s: %w", m.UUID, topic, err)
		}
	}
	p.mu.Unlock()
	for i, dc := range confirms {
		ok, err := dc.WaitContext(ctx)
		if err == nil && !ok {
			// A nack, or the channel closed before the confirmation came.
			err = errors.New("not confirmed by the broker")
		}
		if err != nil {
			p.mu.Lock()
			if ch == p.ch {
				p.drop()
			}
			p.mu.Unlock()
			return fmt.Errorf("amqp publisher: confirm %s to %s: %w", msgs[i].UUID, topic, err)
		}
	}
	return nil
}

// Close closes the connection; later Publish calls fail.
func (p *Publisher) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.drop()
	return nil
}
