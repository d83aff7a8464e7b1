package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	amqp "github.com/rabbitmq/amqp091-go"
)

// sqsClient is a client of the test SQS (S3DB_TEST_SQS; the emulator takes any key pair).
func sqsClient() *sqs.Client {
	return sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(os.Getenv("S3DB_TEST_SQS")),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

// amqpChannel connects to the test RabbitMQ (S3DB_TEST_AMQP) and opens a channel; closing the
// connection closes the channel.
func amqpChannel() (*amqp.Connection, *amqp.Channel, error) {
	conn, err := amqp.Dial(os.Getenv("S3DB_TEST_AMQP"))
	if err != nil {
		return nil, nil, err
	}
	ch, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, ch, nil
}
