package sqs_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

// A watermill Router consuming an SQS queue that has a dead-letter queue. The endpoint is the test
// service (fauxqs); on AWS, leave Endpoint and the keys empty to use the default chain.
func Example() {
	ctx := context.Background()
	endpoint := os.Getenv("S3DB_TEST_SQS")
	if endpoint == "" {
		endpoint = "http://127.0.0.1:4566"
	}
	client, err := sqs.NewClient(ctx, sqs.ClientConfig{Endpoint: endpoint, AccessKeyID: "test", SecretAccessKey: "test"})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Messages received 5 times without an Ack move to "orders-…-dlq".
	queue := "orders-" + watermill.NewShortUUID()
	if _, _, err := sqs.CreateQueue(ctx, client, queue, nil, &sqs.DeadLetterPolicy{MaxReceiveCount: 5}); err != nil {
		fmt.Println(err)
		return
	}

	logger := watermill.NewSlogLogger(slog.New(slog.DiscardHandler))
	pub, err := sqs.NewPublisher(sqs.PublisherConfig{Client: client, Logger: logger})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub, err := sqs.NewSubscriber(sqs.SubscriberConfig{Client: client, Logger: logger, WaitTime: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	router, err := message.NewRouter(message.RouterConfig{}, logger)
	if err != nil {
		fmt.Println(err)
		return
	}
	handled := make(chan struct{})
	router.AddConsumerHandler("print-orders", queue, sub, func(msg *message.Message) error {
		fmt.Printf("%s for %s, delivery %s\n", msg.Payload, msg.Metadata.Get("customer"), msg.Metadata.Get(sqs.MetadataReceiveCount))
		close(handled)
		return nil // the router acks: the message is deleted (an error would nack it, with backoff)
	})
	go func() { _ = router.Run(ctx) }()
	<-router.Running()

	msg := message.NewMessage(watermill.NewUUID(), []byte(`{"order":1}`))
	msg.Metadata.Set("customer", "ada")
	if err := pub.Publish(queue, msg); err != nil {
		fmt.Println(err)
		return
	}
	<-handled
	_ = router.Close() // closes the subscriber: pending deletes are flushed
	_ = pub.Close()
	// Output: {"order":1} for ada, delivery 1
}
