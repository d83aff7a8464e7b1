package sqs_test

import (
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// suiteFeatures are the honest abilities of SQS standard queues: at-least-once delivery in no particular
// order, messages kept until deleted, competing consumers instead of consumer groups (fan-out would be SNS).
var suiteFeatures = tests.Features{
	ConsumerGroups:                      false,
	ExactlyOnceDelivery:                 false,
	GuaranteedOrder:                     false,
	GuaranteedOrderWithSingleSubscriber: false,
	Persistent:                          true,
	RequireSingleInstance:               false,
	NewSubscriberReceivesOldMessages:    false,
	ContextPreserved:                    false,
}

// TestPubSub runs watermill's conformance suite against the SQS endpoint (fauxqs in CI), in full (not
// -short) mode. The timings are shortened so that the suite fits CI: a 2 s long poll, 5 s leases (what a
// subscriber closed in the middle of a long poll can leave hidden), immediate redelivery on Nack (the
// suite nacks hundreds of times and expects redelivery within seconds), and a 2 s close timeout.
func TestPubSub(t *testing.T) {
	t.Parallel()
	client := newClient(t, nil)
	constructor := func(t *testing.T) (message.Publisher, message.Subscriber) {
		queues := sqs.QueueConfig{CreateIfMissing: true}
		pub, err := sqs.NewPublisher(sqs.PublisherConfig{Client: client, Queues: queues})
		require.NoError(t, err)
		sub, err := sqs.NewSubscriber(sqs.SubscriberConfig{
			Client:            client,
			Queues:            queues,
			WaitTime:          2 * time.Second,
			VisibilityTimeout: 5 * time.Second,
			NackBackoff:       sqs.ConstantBackoff(0),
			CloseTimeout:      2 * time.Second,
		})
		require.NoError(t, err)
		return pub, sub
	}
	tests.TestPubSub(t, suiteFeatures, constructor, func(t *testing.T, _ string) (message.Publisher, message.Subscriber) {
		return constructor(t)
	})
}
