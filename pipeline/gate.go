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
// publishing, up to the publisher's confirm timeout (then the message is nacked and comes again) or
// until the worker stops (stopping ends).
//
// Why: during a resource alarm a message's store write would be done and its change event refused, so
// every message in flight was written (or recognised as a duplicate), nacked and redelivered once per
// confirm timeout for as long as the alarm lasted. Held here, the messages wait without touching the
// store and go on as soon as the broker unblocks.
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
