package pipeline

import (
	"context"

	"github.com/ThreeDotsLabs/watermill/message"
)

// unblockWaiter is a publisher that can wait while its broker refuses messages for a while
// (pipeline/amqp's Publisher during a RabbitMQ resource alarm).
type unblockWaiter interface {
	WaitUnblocked(ctx context.Context) error
}

// holdWhileBlocked keeps each message from starting while the broker of the change events blocks
// publishing (a RabbitMQ resource alarm), until the broker unblocks or the worker stops (stopping
// ends: the message is then nacked and comes again).
//
// Why: during an alarm a message's store write would be done and its change event refused, so every
// message in flight was written (or recognised as a duplicate), nacked and redelivered once per confirm
// timeout for as long as the alarm lasted; and each round of nacks gave a later message of a record a
// chance to overtake the earlier ones coming back (see KeyedSubscriber), after which the earlier write's
// change event could no longer be rebuilt. Held here, the messages wait without touching the store and
// go on in order as soon as the broker unblocks.
//
// It sits outside the poison middleware, so that its error is never dead-lettered.
func holdWhileBlocked(pub unblockWaiter, stopping context.Context) message.HandlerMiddleware {
	return func(next message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			ctx, cancel := context.WithCancel(msg.Context())
			defer cancel()
			defer context.AfterFunc(stopping, cancel)()
			if err := pub.WaitUnblocked(ctx); err != nil {
				return nil, err
			}
			return next(msg)
		}
	}
}
