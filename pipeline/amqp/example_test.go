package amqp_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/amqp"
)

// Publishing with confirms and consuming with several deliveries handed out at once. The broker is the
// test service (S3DB_TEST_AMQP, else RabbitMQ on localhost).
func Example() {
	url := os.Getenv("S3DB_TEST_AMQP")
	if url == "" {
		url = "amqp://guest:guest@127.0.0.1:5672/"
	}
	queue := "example-orders-" + watermill.NewShortUUID()
	// Durable queues: the subscriber declares its own with the dead-letter arguments; declaring them
	// before publishing keeps the default exchange from dropping messages sent before it subscribes.
	sub, err := amqp.NewSubscriber(amqp.SubscriberConfig{URL: url, Prefetch: 8, DeadLetterQueue: queue + "-dlq"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := sub.Subscribe(ctx, queue)
	if err != nil {
		fmt.Println(err)
		return
	}

	pub, err := amqp.NewPublisher(url, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pub.Close()
	order := message.NewMessage("order-1", []byte(`{"total":42}`))
	order.Metadata.Set("customer", "ada")
	// Publish returns once RabbitMQ has confirmed the message (it is on disk).
	if err := pub.Publish(queue, order); err != nil {
		fmt.Println(err)
		return
	}

	select {
	case m := <-msgs:
		fmt.Printf("%s %s for %s\n", m.UUID, m.Payload, m.Metadata.Get("customer"))
		m.Ack() // a Nack would requeue it; rejected messages end in the dead-letter queue
	case <-time.After(10 * time.Second):
		fmt.Println("no message")
	}
	testenv.DeleteAMQPQueues(url, queue, queue+"-dlq")
	// Output: order-1 {"total":42} for ada
}
