package settle

import (
	"context"

	"github.com/ThreeDotsLabs/watermill/message"
)

type key struct{}

// With returns ctx carrying done, a channel the transport closes once the message's ack or nack has
// been sent (or failed to be).
func With(ctx context.Context, done <-chan struct{}) context.Context {
	return context.WithValue(ctx, key{}, done)
}

// Of returns the channel With put in msg's context, or nil.
func Of(msg *message.Message) <-chan struct{} {
	ch, _ := msg.Context().Value(key{}).(<-chan struct{})
	return ch
}
