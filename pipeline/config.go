package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// Transports an input or an output can use.
const (
	TransportGoChannel = "gochannel" // in-process (embedded mode and tests)
	TransportAMQP      = "amqp"      // RabbitMQ (pipeline/amqp)
	TransportSQS       = "sqs"       // SQS (pipeline/sqs)
	TransportFile      = "file"      // changes only: append JSON lines to a file
)

// What happens to a message whose transient failure outlasted its retries (RetryConfig.OnExhausted).
const (
	ExhaustedDeadLetter = "dead-letter" // publish it to the dead-letter topic and ack it (the default)
	ExhaustedRequeue    = "requeue"     // nack it: the transport redelivers it later (SQS backoff, AMQP requeue)
)

// Config is the worker's configuration, as read from YAML (see LoadConfig).
type Config struct {
	Store      StoreConfig      `yaml:"store"`
	Resources  []ResourceConfig `yaml:"resources"`
	Inputs     []InputConfig    `yaml:"inputs"`
	Changes    OutputConfig     `yaml:"changes"`
	DeadLetter OutputConfig     `yaml:"dead_letter"`
	Retry      RetryConfig      `yaml:"retry"`
	AMQP       AMQPConfig       `yaml:"amqp"`
	SQS        SQSConfig        `yaml:"sqs"`
	HTTP       HTTPConfig       `yaml:"http"`
	Log        LogConfig        `yaml:"log"`
	// ShutdownTimeout bounds the wait for in-flight messages on SIGTERM.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// StoreConfig says where the records live.
type StoreConfig struct {
	// Connection is an s3db connection string: s3://KEY:SECRET@bucket/prefix?region=…,
	// http(s)://KEY:SECRET@host:port/bucket/prefix or file:///dir. Env: S3DB_CONNECTION.
	Connection string `yaml:"connection"`
	// Passphrase encrypts secret fields ("" means s3db.js's default, "secret"). Env: S3DB_PASSPHRASE.
	Passphrase string `yaml:"passphrase"`
}

// ResourceConfig is a resource definition created (or updated to a new version) at start.
type ResourceConfig struct {
	Name       string        `yaml:"name"`
	Attributes codec.Ordered `yaml:"-"`
	Behavior   string        `yaml:"behavior"`
	Timestamps bool          `yaml:"timestamps"`
	Partitions codec.Ordered `yaml:"-"`
	Paranoid   *bool         `yaml:"paranoid"`
}

// UnmarshalYAML keeps the order of attributes and partitions (it decides the metadata keys).
func (r *ResourceConfig) UnmarshalYAML(n *yaml.Node) error {
	type plain ResourceConfig
	if err := n.Decode((*plain)(r)); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var dst *codec.Ordered
		switch n.Content[i].Value {
		case "attributes":
			dst = &r.Attributes
		case "partitions":
			dst = &r.Partitions
		default:
			continue
		}
		var buf bytes.Buffer
		if err := nodeJSON(&buf, n.Content[i+1]); err != nil {
			return fmt.Errorf("resources.%s: %w", n.Content[i].Value, err)
		}
		if err := json.Unmarshal(buf.Bytes(), dst); err != nil {
			return fmt.Errorf("resources.%s: must be a mapping: %w", n.Content[i].Value, err)
		}
	}
	return nil
}

// nodeJSON writes a YAML node as JSON, keeping mapping order.
func nodeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.AliasNode:
		return nodeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			buf.Write(k)
			buf.WriteByte(':')
			if err := nodeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := nodeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		buf.Write(b)
	}
	return nil
}

// Definition converts to the store's definition.
func (r ResourceConfig) Definition() store.Definition {
	return store.Definition{Name: r.Name, Attributes: r.Attributes, Behavior: r.Behavior, Timestamps: r.Timestamps,
		Partitions: r.Partitions, Paranoid: r.Paranoid}
}

// InputConfig is one queue the worker consumes.
type InputConfig struct {
	// Name labels the input in metrics and logs; default: the queue name.
	Name      string `yaml:"name"`
	Transport string `yaml:"transport"`
	// Queue is the queue (AMQP, SQS name or URL) or topic (GoChannel) to consume.
	Queue string `yaml:"queue"`
	// Concurrency is how many messages are handled at once (AMQP prefetch, SQS unacked messages);
	// messages about one record always run one after the other. Default 16.
	Concurrency int `yaml:"concurrency"`
	// DeadLetterTopic overrides dead_letter.topic for this input.
	DeadLetterTopic string `yaml:"dead_letter_topic"`
}

// OutputConfig is where change events or dead letters go.
type OutputConfig struct {
	// Transport defaults to the first input's. Dead letters always go back to each input's own
	// transport: dead_letter.transport may be left empty or name that transport.
	Transport string `yaml:"transport"`
	// Topic is a queue name (AMQP, SQS) or topic (GoChannel); for the file transport, a file path.
	Topic string `yaml:"topic"`
}

// RetryConfig is the in-process retry of a failing message.
type RetryConfig struct {
	// MaxRetries after the first attempt (permanent errors are never retried). Default 5.
	MaxRetries int `yaml:"max_retries"`
	// InitialInterval doubles after each retry up to MaxInterval, ±50% jitter. Defaults 100ms, 5s.
	InitialInterval time.Duration `yaml:"initial_interval"`
	MaxInterval     time.Duration `yaml:"max_interval"`
	// HandlerTimeout bounds one attempt. Default 30s.
	HandlerTimeout time.Duration `yaml:"handler_timeout"`
	// OnExhausted is dead-letter (default) or requeue.
	OnExhausted string `yaml:"on_exhausted"`
}

// AMQPConfig is the RabbitMQ connection. Env: WORKER_AMQP_URL.
type AMQPConfig struct {
	URL string `yaml:"url"`
	// ConfirmTimeout bounds how long a change event or dead letter waits to be sent and confirmed by
	// the broker, a RabbitMQ resource alarm included; the inbound message is then nacked and comes
	// again. Default 30s.
	ConfirmTimeout time.Duration `yaml:"confirm_timeout"`
	// PublishLinger is how long a change event or dead letter waits for others to leave with it while
	// earlier ones await the broker's confirm (with none waiting it goes at once): RabbitMQ's CPU is
	// per burst more than per message. Default 5ms; a negative value never waits.
	PublishLinger time.Duration `yaml:"publish_linger"`
}

// SQSConfig is the SQS endpoint. Env: WORKER_SQS_ENDPOINT, WORKER_SQS_REGION; credentials from the AWS
// default chain (AWS_ACCESS_KEY_ID, …) unless set here.
type SQSConfig struct {
	Endpoint        string `yaml:"endpoint"`
	Region          string `yaml:"region"`
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
	// CreateQueues creates missing queues (emulators, development). Env: WORKER_SQS_CREATE_QUEUES.
	CreateQueues bool `yaml:"create_queues"`
	// WaitTime is the long poll (1s–20s). Default 20s.
	WaitTime time.Duration `yaml:"wait_time"`
	// VisibilityTimeout is the lease of a received message. Default 30s.
	VisibilityTimeout time.Duration `yaml:"visibility_timeout"`
	// PublishLinger gathers the change events and dead letters that handlers publish at the same time
	// into SendMessageBatch requests, waiting up to this long (each handler still acks only after its
	// own event is stored). Default 5ms; a negative value sends each event at once.
	PublishLinger time.Duration `yaml:"publish_linger"`
}

// HTTPConfig is the health and metrics server. Env: WORKER_HTTP_ADDR; "off" disables it.
type HTTPConfig struct {
	Addr string `yaml:"addr"`
	// Pprof also serves Go's profiler under /debug/pprof/ (CPU, heap, goroutines, mutex contention) on
	// the same address. Off by default: a profile can reveal data and costs CPU while it runs, so
	// expose it only where the metrics port is private. Env: WORKER_HTTP_PPROF.
	Pprof bool `yaml:"pprof"`
}

// LogConfig sets the log level (debug, info, warn, error; env WORKER_LOG_LEVEL) and format (json, text,
// or auto: JSON unless stderr is a terminal; env WORKER_LOG_FORMAT).
type LogConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Defaults.
const (
	DefaultConcurrency     = 16
	DefaultMaxRetries      = 5
	DefaultInitialInterval = 100 * time.Millisecond
	DefaultMaxInterval     = 5 * time.Second
	DefaultHandlerTimeout  = 30 * time.Second
	DefaultShutdownTimeout = 30 * time.Second
	DefaultHTTPAddr        = ":8080"
	// DefaultSQSPublishLinger is SQSConfig.PublishLinger's default.
	DefaultSQSPublishLinger = 5 * time.Millisecond
	DefaultChangesTopic     = "s3db-changes"
	DefaultDeadLetterTopic  = "s3db-dead-letters"
)

// Environment variables that override the file (EnvOverrides lists them all).
const (
	EnvConnection      = "S3DB_CONNECTION"
	EnvPassphrase      = "S3DB_PASSPHRASE"
	EnvHTTPAddr        = "WORKER_HTTP_ADDR"
	EnvHTTPPprof       = "WORKER_HTTP_PPROF"
	EnvAMQPURL         = "WORKER_AMQP_URL"
	EnvSQSEndpoint     = "WORKER_SQS_ENDPOINT"
	EnvSQSRegion       = "WORKER_SQS_REGION"
	EnvSQSCreateQueues = "WORKER_SQS_CREATE_QUEUES"
	EnvLogLevel        = "WORKER_LOG_LEVEL"
	EnvLogFormat       = "WORKER_LOG_FORMAT"
	EnvChangesTopic    = "WORKER_CHANGES_TOPIC"
	EnvDeadLetterTopic = "WORKER_DEAD_LETTER_TOPIC"
)

// LoadConfig reads a YAML file, applies the environment overrides and the defaults, and validates the
// result. Unknown keys are errors (a typo should not silently fall back to a default).
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(b, os.LookupEnv)
}

// ParseConfig is LoadConfig on YAML text, with env looking up environment variables (os.LookupEnv, or a
// map in tests).
func ParseConfig(text []byte, env func(string) (string, bool)) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	if err := c.ApplyEnv(env); err != nil {
		return nil, err
	}
	c.SetDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// ApplyEnv overrides fields from the environment (see the Env* constants).
func (c *Config) ApplyEnv(env func(string) (string, bool)) error {
	set := func(name string, dst *string) {
		if v, ok := env(name); ok && v != "" {
			*dst = v
		}
	}
	set(EnvConnection, &c.Store.Connection)
	set(EnvPassphrase, &c.Store.Passphrase)
	set(EnvHTTPAddr, &c.HTTP.Addr)
	set(EnvAMQPURL, &c.AMQP.URL)
	set(EnvSQSEndpoint, &c.SQS.Endpoint)
	set(EnvSQSRegion, &c.SQS.Region)
	set(EnvLogLevel, &c.Log.Level)
	set(EnvLogFormat, &c.Log.Format)
	set(EnvChangesTopic, &c.Changes.Topic)
	set(EnvDeadLetterTopic, &c.DeadLetter.Topic)
	for name, dst := range map[string]*bool{EnvSQSCreateQueues: &c.SQS.CreateQueues, EnvHTTPPprof: &c.HTTP.Pprof} {
		if v, ok := env(name); ok && v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%s: %q is not a boolean", name, v)
			}
			*dst = b
		}
	}
	return nil
}

// SetDefaults fills in unset fields.
func (c *Config) SetDefaults() {
	for i := range c.Inputs {
		in := &c.Inputs[i]
		if in.Name == "" {
			in.Name = in.Queue
		}
		if in.Concurrency == 0 {
			in.Concurrency = DefaultConcurrency
		}
	}
	if c.Changes.Transport == "" && len(c.Inputs) > 0 {
		c.Changes.Transport = c.Inputs[0].Transport
	}
	if c.Changes.Topic == "" {
		c.Changes.Topic = DefaultChangesTopic
	}
	if c.DeadLetter.Topic == "" {
		c.DeadLetter.Topic = DefaultDeadLetterTopic
	}
	r := &c.Retry
	if r.MaxRetries == 0 {
		r.MaxRetries = DefaultMaxRetries
	}
	if r.InitialInterval == 0 {
		r.InitialInterval = DefaultInitialInterval
	}
	if r.MaxInterval == 0 {
		r.MaxInterval = DefaultMaxInterval
	}
	if r.HandlerTimeout == 0 {
		r.HandlerTimeout = DefaultHandlerTimeout
	}
	if r.OnExhausted == "" {
		r.OnExhausted = ExhaustedDeadLetter
	}
	if c.HTTP.Addr == "" {
		c.HTTP.Addr = DefaultHTTPAddr
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "auto"
	}
}

// ConfigError lists every invalid field of a configuration.
type ConfigError struct {
	Problems []FieldProblem
}

// FieldProblem is one invalid field, named by its YAML path (inputs[0].transport).
type FieldProblem struct {
	Field, Problem string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("invalid config:")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s: %s", p.Field, p.Problem)
	}
	return b.String()
}

// Validate checks the configuration (after SetDefaults) and returns a *ConfigError naming every bad
// field, or nil.
func (c *Config) Validate() error {
	var probs []FieldProblem
	bad := func(field, format string, args ...any) {
		probs = append(probs, FieldProblem{field, fmt.Sprintf(format, args...)})
	}
	if c.Store.Connection == "" {
		bad("store.connection", "required (or set %s): s3://KEY:SECRET@bucket/prefix, http://KEY:SECRET@host:port/bucket/prefix or file:///dir", EnvConnection)
	} else if _, err := objstore.ParseConnectionString(c.Store.Connection); err != nil {
		bad("store.connection", "%v", err)
	}
	names := map[string]bool{}
	for i, r := range c.Resources {
		f := fmt.Sprintf("resources[%d]", i)
		switch {
		case r.Name == "":
			bad(f+".name", "required")
		case names[r.Name]:
			bad(f+".name", "%q is defined twice", r.Name)
		}
		names[r.Name] = true
		if len(r.Attributes) == 0 {
			bad(f+".attributes", "required: a mapping of field name to rule, e.g. {name: string|required}")
		}
	}
	uses := map[string]bool{}
	if len(c.Inputs) == 0 {
		bad("inputs", "at least one input is required")
	}
	queues := map[string]bool{}
	for i, in := range c.Inputs {
		f := fmt.Sprintf("inputs[%d]", i)
		switch in.Transport {
		case TransportGoChannel, TransportAMQP, TransportSQS:
			uses[in.Transport] = true
		case "":
			bad(f+".transport", "required: one of gochannel, amqp, sqs")
		default:
			bad(f+".transport", "%q is not one of gochannel, amqp, sqs", in.Transport)
		}
		if in.Queue == "" {
			bad(f+".queue", "required")
		} else if queues[in.Transport+"/"+in.Queue] {
			bad(f+".queue", "%q is consumed twice", in.Queue)
		}
		queues[in.Transport+"/"+in.Queue] = true
		if in.Concurrency < 1 || in.Concurrency > 10000 {
			bad(f+".concurrency", "%d is not between 1 and 10000", in.Concurrency)
		}
		dl := c.DeadLetterTopicOf(in)
		if dl == in.Queue {
			bad(f+".dead_letter_topic", "%q is the input queue itself", dl)
		}
	}
	switch c.Changes.Transport {
	case TransportGoChannel, TransportAMQP, TransportSQS, TransportFile:
		uses[c.Changes.Transport] = true
	case "":
		if len(c.Inputs) > 0 { // else the missing inputs say it all
			bad("changes.transport", "required: one of gochannel, amqp, sqs, file")
		}
	default:
		bad("changes.transport", "%q is not one of gochannel, amqp, sqs, file", c.Changes.Transport)
	}
	if c.Changes.Topic == "" {
		bad("changes.topic", "required")
	}
	if dl := c.DeadLetter.Transport; dl != "" {
		for i, in := range c.Inputs {
			if in.Transport != "" && in.Transport != dl {
				bad("dead_letter.transport", "%q differs from inputs[%d].transport %q: dead letters go back to each input's own transport (leave it empty)", dl, i, in.Transport)
				break
			}
		}
	}
	if uses[TransportAMQP] && c.AMQP.URL == "" {
		bad("amqp.url", "required by an amqp input or output (or set %s)", EnvAMQPURL)
	}
	if c.AMQP.ConfirmTimeout < 0 {
		bad("amqp.confirm_timeout", "%v is negative (leave it out for the default, 30s)", c.AMQP.ConfirmTimeout)
	}
	r := c.Retry
	if r.MaxRetries < 0 || r.MaxRetries > 100 {
		bad("retry.max_retries", "%d is not between 0 and 100", r.MaxRetries)
	}
	if r.InitialInterval <= 0 {
		bad("retry.initial_interval", "must be positive")
	}
	if r.MaxInterval < r.InitialInterval {
		bad("retry.max_interval", "%v is below initial_interval %v", r.MaxInterval, r.InitialInterval)
	}
	if r.HandlerTimeout <= 0 {
		bad("retry.handler_timeout", "must be positive")
	}
	if r.OnExhausted != ExhaustedDeadLetter && r.OnExhausted != ExhaustedRequeue {
		bad("retry.on_exhausted", "%q is not dead-letter or requeue", r.OnExhausted)
	}
	if c.ShutdownTimeout < 0 {
		bad("shutdown_timeout", "must not be negative")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q is not debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "auto", "json", "text":
	default:
		bad("log.format", "%q is not auto, json or text", c.Log.Format)
	}
	if len(probs) > 0 {
		return &ConfigError{Problems: probs}
	}
	return nil
}

// DeadLetterTopicOf returns the dead-letter topic of an input.
func (c *Config) DeadLetterTopicOf(in InputConfig) string {
	if in.DeadLetterTopic != "" {
		return in.DeadLetterTopic
	}
	return c.DeadLetter.Topic
}

// EnvOverrides lists the environment variables ApplyEnv reads, with what they set.
func EnvOverrides() [][2]string {
	return [][2]string{
		{EnvConnection, "store.connection"},
		{EnvPassphrase, "store.passphrase"},
		{EnvHTTPAddr, "http.addr (\"off\" disables the server)"},
		{EnvHTTPPprof, "http.pprof (true serves /debug/pprof/)"},
		{EnvAMQPURL, "amqp.url"},
		{EnvSQSEndpoint, "sqs.endpoint"},
		{EnvSQSRegion, "sqs.region"},
		{EnvSQSCreateQueues, "sqs.create_queues"},
		{EnvLogLevel, "log.level"},
		{EnvLogFormat, "log.format"},
		{EnvChangesTopic, "changes.topic"},
		{EnvDeadLetterTopic, "dead_letter.topic"},
	}
}
