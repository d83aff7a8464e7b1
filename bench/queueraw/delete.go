package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// deleteQueues removes the benchmark's queues, so that runs do not pile up messages on the broker (a
// change-events queue keeps every event of its run: 10,000 persistent messages a round). Queues that
// do not exist are skipped.
func deleteQueues(ctx context.Context, transport string, queues []string) error {
	switch transport {
	case "amqp":
		conn, ch, err := amqpChannel()
		if err != nil {
			return err
		}
		defer conn.Close()
		for _, q := range queues {
			// Deleting a queue that does not exist succeeds in RabbitMQ 3.x.
			if _, err := ch.QueueDelete(q, false, false, false); err != nil {
				return fmt.Errorf("delete %s: %w", q, err)
			}
		}
		return nil
	case "sqs":
		c := sqsClient()
		for _, q := range queues {
			u, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(q)})
			var missing *sqstypes.QueueDoesNotExist
			if errors.As(err, &missing) {
				continue
			}
			if err != nil {
				return fmt.Errorf("look up %s: %w", q, err)
			}
			if _, err := c.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: u.QueueUrl}); err != nil {
				return fmt.Errorf("delete %s: %w", q, err)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown transport %q", transport)
}
