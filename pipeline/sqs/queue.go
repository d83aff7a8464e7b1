package sqs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// fifoSuffix ends the name of every FIFO queue.
const fifoSuffix = ".fifo"

// maxQueueNameLen is SQS's limit on a queue name, ".fifo" included.
const maxQueueNameLen = 80

// QueueConfig says how a topic becomes a queue URL; the Publisher and the Subscriber share its meaning.
//
// A topic is either a queue name, looked up with GetQueueUrl (the answer is cached for the life of the
// Publisher or Subscriber), or a queue URL starting with "https://" or "http://", used as it is.
type QueueConfig struct {
	// CreateIfMissing creates the queue of a topic that does not exist yet, with Attributes (and FifoQueue
	// for a name ending in ".fifo") and DeadLetter. Off by default: in production queues are usually made
	// by infrastructure code, and a typo in a topic should fail instead of creating a queue nobody reads.
	CreateIfMissing bool
	// Attributes are the CreateQueue attributes of created queues, e.g. "MessageRetentionPeriod". SQS
	// rejects a CreateQueue whose attributes differ from those of an existing queue of the same name.
	Attributes map[string]string
	// DeadLetter, when set, gives every queue created here a dead-letter queue (see CreateQueue).
	DeadLetter *DeadLetterPolicy
	// OwnerAccountID looks queue names up in another AWS account (GetQueueUrl's QueueOwnerAWSAccountId).
	OwnerAccountID string
}

// DeadLetterPolicy describes the dead-letter queue and redrive policy given to a created queue: once a
// message has been received MaxReceiveCount times without being deleted, SQS moves it to the dead-letter
// queue on the next receive.
type DeadLetterPolicy struct {
	// MaxReceiveCount is required, 1 to 1000.
	MaxReceiveCount int
	// QueueName names the dead-letter queue of a queue; nil means DeadLetterQueueName.
	QueueName func(queueName string) string
	// Attributes are the CreateQueue attributes of the dead-letter queue (FifoQueue is added for FIFO).
	Attributes map[string]string
}

func (p *DeadLetterPolicy) validate() error {
	if p.MaxReceiveCount < 1 || p.MaxReceiveCount > 1000 {
		return configError("DeadLetter.MaxReceiveCount", "%d is not between 1 and 1000", p.MaxReceiveCount)
	}
	return nil
}

// DeadLetterQueueName is the default dead-letter queue name of a queue: "orders" gives "orders-dlq" and
// "orders.fifo" gives "orders-dlq.fifo" (a FIFO queue needs a FIFO dead-letter queue).
func DeadLetterQueueName(queueName string) string {
	if base, ok := strings.CutSuffix(queueName, fifoSuffix); ok {
		return base + "-dlq" + fifoSuffix
	}
	return queueName + "-dlq"
}

// RedrivePolicy returns the JSON value of the RedrivePolicy queue attribute that sends messages received
// more than maxReceiveCount times to the queue whose ARN is deadLetterARN.
func RedrivePolicy(deadLetterARN string, maxReceiveCount int) string {
	b, _ := json.Marshal(struct {
		Target string `json:"deadLetterTargetArn"`
		Max    string `json:"maxReceiveCount"`
	}{deadLetterARN, strconv.Itoa(maxReceiveCount)})
	return string(b)
}

// CreateQueue creates the queue name (idempotent when it exists with the same attributes) and returns its
// URL. A name ending in ".fifo" gets FifoQueue=true. With a non-nil deadLetter, the dead-letter queue is
// created first and the queue gets a RedrivePolicy pointing at it; the dead-letter queue's URL is returned
// too (empty otherwise).
func CreateQueue(ctx context.Context, client API, name string, attrs map[string]string, deadLetter *DeadLetterPolicy) (queueURL, deadLetterURL string, err error) {
	if err := validateQueueName(name); err != nil {
		return "", "", err
	}
	attrs = maps.Clone(attrs)
	if attrs == nil {
		attrs = map[string]string{}
	}
	fifo := strings.HasSuffix(name, fifoSuffix)
	if fifo {
		attrs[string(types.QueueAttributeNameFifoQueue)] = "true"
	}
	if deadLetter != nil {
		if err := deadLetter.validate(); err != nil {
			return "", "", err
		}
		naming := deadLetter.QueueName
		if naming == nil {
			naming = DeadLetterQueueName
		}
		dlqName := naming(name)
		if strings.HasSuffix(dlqName, fifoSuffix) != fifo {
			return "", "", fmt.Errorf("%w: dead-letter queue %q of %q: both or neither must be FIFO", ErrInvalidConfig, dlqName, name)
		}
		deadLetterURL, _, err = CreateQueue(ctx, client, dlqName, deadLetter.Attributes, nil)
		if err != nil {
			return "", "", fmt.Errorf("create dead-letter queue: %w", err)
		}
		arn, err := QueueARN(ctx, client, deadLetterURL)
		if err != nil {
			return "", "", err
		}
		attrs[string(types.QueueAttributeNameRedrivePolicy)] = RedrivePolicy(arn, deadLetter.MaxReceiveCount)
	}
	out, err := client.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		return "", "", fmt.Errorf("sqs: create queue %q: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), deadLetterURL, nil
}

// QueueARN returns the ARN of the queue at queueURL (the form RedrivePolicy and IAM policies use).
func QueueARN(ctx context.Context, client API, queueURL string) (string, error) {
	out, err := client.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(queueURL),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return "", fmt.Errorf("sqs: get ARN of %s: %w", queueURL, err)
	}
	arn := out.Attributes[string(types.QueueAttributeNameQueueArn)]
	if arn == "" {
		return "", fmt.Errorf("sqs: get ARN of %s: no QueueArn in the answer", queueURL)
	}
	return arn, nil
}

// isQueueURL reports whether a topic is given as a queue URL.
func isQueueURL(topic string) bool {
	return strings.HasPrefix(topic, "https://") || strings.HasPrefix(topic, "http://")
}

// queueNameOf returns the queue name of a topic: the topic itself or the last segment of a queue URL.
func queueNameOf(topic string) string {
	if !isQueueURL(topic) {
		return topic
	}
	u, err := url.Parse(topic)
	if err != nil {
		return ""
	}
	return path.Base(u.Path)
}

// isFIFO reports whether the topic's queue is a FIFO queue (its name ends in ".fifo").
func isFIFO(topic string) bool { return strings.HasSuffix(queueNameOf(topic), fifoSuffix) }

func validateQueueName(name string) error {
	if len(name) == 0 || len(name) > maxQueueNameLen {
		return fmt.Errorf("%w: queue name %q must be 1 to %d characters", ErrInvalidTopic, name, maxQueueNameLen)
	}
	base := strings.TrimSuffix(name, fifoSuffix)
	if base == "" {
		return fmt.Errorf("%w: queue name %q", ErrInvalidTopic, name)
	}
	for _, r := range base {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("%w: queue name %q: only letters, digits, '-' and '_' are allowed (and a final .fifo)", ErrInvalidTopic, name)
		}
	}
	return nil
}

func validateTopic(topic string) error {
	if isQueueURL(topic) {
		u, err := url.Parse(topic)
		if err != nil || u.Host == "" || queueNameOf(topic) == "" || queueNameOf(topic) == "/" {
			return fmt.Errorf("%w: queue URL %q", ErrInvalidTopic, topic)
		}
		return nil
	}
	return validateQueueName(topic)
}

// queues resolves topics to queue URLs and caches the answers. Concurrent first look-ups of one topic may
// both call SQS; that is harmless (GetQueueUrl is a read and CreateQueue is idempotent).
type queues struct {
	client API
	cfg    QueueConfig

	mu   sync.Mutex
	urls map[string]string
}

func newQueues(client API, cfg QueueConfig) *queues {
	return &queues{client: client, cfg: cfg, urls: map[string]string{}}
}

// url returns the queue URL of topic, creating the queue when it is missing and create is true.
func (q *queues) url(ctx context.Context, topic string, create bool) (string, error) {
	if err := validateTopic(topic); err != nil {
		return "", err
	}
	if isQueueURL(topic) {
		return topic, nil
	}
	q.mu.Lock()
	u, ok := q.urls[topic]
	q.mu.Unlock()
	if ok {
		return u, nil
	}
	in := &awssqs.GetQueueUrlInput{QueueName: aws.String(topic)}
	if q.cfg.OwnerAccountID != "" {
		in.QueueOwnerAWSAccountId = aws.String(q.cfg.OwnerAccountID)
	}
	out, err := q.client.GetQueueUrl(ctx, in)
	switch {
	case err == nil:
		u = aws.ToString(out.QueueUrl)
	case isQueueDoesNotExist(err) && create:
		u, _, err = CreateQueue(ctx, q.client, topic, q.cfg.Attributes, q.cfg.DeadLetter)
		if err != nil {
			return "", err
		}
	case isQueueDoesNotExist(err):
		return "", fmt.Errorf("%w: %q (set QueueConfig.CreateIfMissing to create it): %w", ErrQueueNotFound, topic, err)
	default:
		return "", fmt.Errorf("sqs: get URL of queue %q: %w", topic, err)
	}
	q.mu.Lock()
	q.urls[topic] = u
	q.mu.Unlock()
	return u, nil
}

// forget drops the cached URL of topic, after SQS said the queue does not exist (it may be re-created).
func (q *queues) forget(topic string) {
	q.mu.Lock()
	delete(q.urls, topic)
	q.mu.Unlock()
}

func isQueueDoesNotExist(err error) bool {
	var nf *types.QueueDoesNotExist
	return errors.As(err, &nf)
}
