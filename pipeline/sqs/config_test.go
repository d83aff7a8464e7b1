package sqs_test

import (
	"errors"
	"testing"
	"time"

	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

func TestSubscriberConfig_Validate(t *testing.T) {
	client := awssqs.New(awssqs.Options{Region: "us-east-1"})
	tests := []struct {
		name    string
		cfg     sqs.SubscriberConfig
		wantErr string // "" = valid
	}{
		{name: "defaults", cfg: sqs.SubscriberConfig{Client: client}},
		{name: "no client", cfg: sqs.SubscriberConfig{}, wantErr: "Client"},
		{name: "short polling", cfg: sqs.SubscriberConfig{Client: client, WaitTime: sqs.NoWait}},
		{name: "wait too long", cfg: sqs.SubscriberConfig{Client: client, WaitTime: 21 * time.Second}, wantErr: "WaitTime"},
		{name: "wait below a second", cfg: sqs.SubscriberConfig{Client: client, WaitTime: 500 * time.Millisecond}, wantErr: "WaitTime"},
		{name: "visibility below a second", cfg: sqs.SubscriberConfig{Client: client, VisibilityTimeout: time.Millisecond}, wantErr: "VisibilityTimeout"},
		{name: "visibility over 12h", cfg: sqs.SubscriberConfig{Client: client, VisibilityTimeout: 13 * time.Hour}, wantErr: "VisibilityTimeout"},
		{name: "heartbeat not below visibility", cfg: sqs.SubscriberConfig{Client: client, VisibilityTimeout: 2 * time.Second, HeartbeatInterval: 2 * time.Second}, wantErr: "HeartbeatInterval"},
		{name: "negative receivers", cfg: sqs.SubscriberConfig{Client: client, Receivers: -1}, wantErr: "Receivers"},
		{name: "unacked over in-flight", cfg: sqs.SubscriberConfig{Client: client, MaxInFlight: 4, MaxUnacked: 5}, wantErr: "MaxUnacked"},
		{name: "in-flight follows receivers", cfg: sqs.SubscriberConfig{Client: client, Receivers: 3, MaxUnacked: 30}},
		{name: "negative close timeout", cfg: sqs.SubscriberConfig{Client: client, CloseTimeout: -2 * time.Second}, wantErr: "CloseTimeout"},
		{name: "no close wait", cfg: sqs.SubscriberConfig{Client: client, CloseTimeout: sqs.NoWait}},
		{name: "unbatched acks", cfg: sqs.SubscriberConfig{Client: client, AckBatchInterval: sqs.NoWait}},
		{name: "negative ack interval", cfg: sqs.SubscriberConfig{Client: client, AckBatchInterval: -time.Second}, wantErr: "AckBatchInterval"},
		{name: "dead letter without count", cfg: sqs.SubscriberConfig{Client: client, Queues: sqs.QueueConfig{DeadLetter: &sqs.DeadLetterPolicy{}}}, wantErr: "MaxReceiveCount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			_, newErr := sqs.NewSubscriber(tt.cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NoError(t, newErr)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			assert.True(t, errors.Is(err, sqs.ErrInvalidConfig))
			assert.Equal(t, err, newErr, "NewSubscriber must validate like Validate")
		})
	}
}

func TestPublisherConfig_Validate(t *testing.T) {
	client := awssqs.New(awssqs.Options{Region: "us-east-1"})
	tests := []struct {
		name    string
		cfg     sqs.PublisherConfig
		wantErr string
	}{
		{name: "defaults", cfg: sqs.PublisherConfig{Client: client}},
		{name: "no client", cfg: sqs.PublisherConfig{}, wantErr: "Client"},
		{name: "batch too small", cfg: sqs.PublisherConfig{Client: client, MaxBatchBytes: 100}, wantErr: "MaxBatchBytes"},
		{name: "batch over 1 MiB", cfg: sqs.PublisherConfig{Client: client, MaxBatchBytes: sqs.MaxBatchBytesLimit + 1}, wantErr: "MaxBatchBytes"},
		{name: "1 MiB", cfg: sqs.PublisherConfig{Client: client, MaxBatchBytes: sqs.MaxBatchBytesLimit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			_, newErr := sqs.NewPublisher(tt.cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NoError(t, newErr)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			assert.True(t, errors.Is(err, sqs.ErrInvalidConfig))
			assert.Equal(t, err, newErr)
		})
	}
}

func TestNewClient_config_errors(t *testing.T) {
	_, err := sqs.NewClient(t.Context(), sqs.ClientConfig{AccessKeyID: "k"})
	require.ErrorIs(t, err, sqs.ErrInvalidConfig)
	_, err = sqs.NewClient(t.Context(), sqs.ClientConfig{MaxAttempts: -1, AccessKeyID: "k", SecretAccessKey: "s"})
	require.ErrorIs(t, err, sqs.ErrInvalidConfig)
	c, err := sqs.NewClient(t.Context(), sqs.ClientConfig{Endpoint: "http://127.0.0.1:1", AccessKeyID: "k", SecretAccessKey: "s"})
	require.NoError(t, err)
	assert.Equal(t, sqs.DefaultRegion, c.Options().Region)
}

func TestDeadLetterQueueName(t *testing.T) {
	assert.Equal(t, "orders-dlq", sqs.DeadLetterQueueName("orders"))
	assert.Equal(t, "orders-dlq.fifo", sqs.DeadLetterQueueName("orders.fifo"))
	assert.JSONEq(t, `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:q-dlq","maxReceiveCount":"3"}`,
		sqs.RedrivePolicy("arn:aws:sqs:us-east-1:1:q-dlq", 3))
}
