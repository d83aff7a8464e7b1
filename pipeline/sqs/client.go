package sqs

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
)

// API is the part of the aws-sdk-go-v2 SQS client that the Publisher, the Subscriber and the queue helpers
// call. *sqs.Client (github.com/aws/aws-sdk-go-v2/service/sqs) implements it; tests may wrap one to count or
// perturb calls.
type API interface {
	GetQueueUrl(ctx context.Context, in *awssqs.GetQueueUrlInput, optFns ...func(*awssqs.Options)) (*awssqs.GetQueueUrlOutput, error)
	CreateQueue(ctx context.Context, in *awssqs.CreateQueueInput, optFns ...func(*awssqs.Options)) (*awssqs.CreateQueueOutput, error)
	GetQueueAttributes(ctx context.Context, in *awssqs.GetQueueAttributesInput, optFns ...func(*awssqs.Options)) (*awssqs.GetQueueAttributesOutput, error)
	SendMessage(ctx context.Context, in *awssqs.SendMessageInput, optFns ...func(*awssqs.Options)) (*awssqs.SendMessageOutput, error)
	SendMessageBatch(ctx context.Context, in *awssqs.SendMessageBatchInput, optFns ...func(*awssqs.Options)) (*awssqs.SendMessageBatchOutput, error)
	ReceiveMessage(ctx context.Context, in *awssqs.ReceiveMessageInput, optFns ...func(*awssqs.Options)) (*awssqs.ReceiveMessageOutput, error)
	DeleteMessageBatch(ctx context.Context, in *awssqs.DeleteMessageBatchInput, optFns ...func(*awssqs.Options)) (*awssqs.DeleteMessageBatchOutput, error)
	ChangeMessageVisibility(ctx context.Context, in *awssqs.ChangeMessageVisibilityInput, optFns ...func(*awssqs.Options)) (*awssqs.ChangeMessageVisibilityOutput, error)
	ChangeMessageVisibilityBatch(ctx context.Context, in *awssqs.ChangeMessageVisibilityBatchInput, optFns ...func(*awssqs.Options)) (*awssqs.ChangeMessageVisibilityBatchOutput, error)
}

var _ API = (*awssqs.Client)(nil)

// Defaults of NewClient.
const (
	// DefaultRegion is used when neither the config nor the environment names one.
	DefaultRegion = "us-east-1"
	// DefaultMaxConnections sizes the idle connection pool per host. Every receiver holds one connection for
	// a whole long poll, so the pool must cover the receivers plus the publish, delete and visibility calls
	// made meanwhile, or connections are opened and closed at every burst.
	DefaultMaxConnections = 128
	// DefaultMaxAttempts is how many times one request is tried by the SDK's standard retryer (throttling,
	// 5xx and transport errors, with backoff and jitter).
	DefaultMaxAttempts = 5
)

// ClientConfig describes an SQS endpoint for NewClient. The zero value is AWS with the default credential
// chain and the region of the environment.
type ClientConfig struct {
	// Endpoint is a custom base URL (fauxqs, LocalStack, a VPC endpoint), e.g. "http://127.0.0.1:4566".
	// Empty means the AWS endpoint of Region.
	Endpoint string
	// Region signs the requests; empty means the environment's (AWS_REGION, shared config), else DefaultRegion.
	Region string
	// AccessKeyID, SecretAccessKey and SessionToken are static credentials. An empty AccessKeyID means the
	// AWS default credential chain. Emulators accept any non-empty pair.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// MaxConnections is the idle connection pool size per host; 0 means DefaultMaxConnections.
	MaxConnections int
	// MaxAttempts is the number of tries per request; 0 means DefaultMaxAttempts, 1 disables retries.
	MaxAttempts int
	// HTTPClient replaces the pooled HTTP client built from MaxConnections (tests use it to count requests).
	HTTPClient aws.HTTPClient
}

// NewClient builds an aws-sdk-go-v2 SQS client from cfg. It does no I/O beyond loading the default
// credential chain's configuration when no static credentials are given; a wrong endpoint or wrong
// credentials show up on the first request.
func NewClient(ctx context.Context, cfg ClientConfig) (*awssqs.Client, error) {
	if cfg.MaxConnections < 0 || cfg.MaxAttempts < 0 {
		return nil, configError("ClientConfig", "MaxConnections and MaxAttempts must not be negative")
	}
	if cfg.AccessKeyID != "" && cfg.SecretAccessKey == "" {
		return nil, configError("ClientConfig.SecretAccessKey", "required with AccessKeyID")
	}
	maxConns := cfg.MaxConnections
	if maxConns == 0 {
		maxConns = DefaultMaxConnections
	}
	maxAttempts := cfg.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = DefaultMaxAttempts
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConns = maxConns
			tr.MaxIdleConnsPerHost = maxConns
			tr.IdleConnTimeout = 90 * time.Second
		})
	}
	o := awssqs.Options{
		Region:     cfg.Region,
		HTTPClient: httpClient,
		Retryer: retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			// No client-wide retry quota: a burst of throttling errors across many receivers would
			// otherwise turn into "retry quota exceeded" for every caller.
			so.RateLimiter = ratelimit.None
		}),
	}
	if cfg.Endpoint != "" {
		o.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	if cfg.AccessKeyID != "" {
		o.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)
	} else {
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("sqs: load the AWS default configuration: %w", err)
		}
		o.Credentials = awsCfg.Credentials
		if o.Region == "" {
			o.Region = awsCfg.Region
		}
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	return awssqs.New(o), nil
}
