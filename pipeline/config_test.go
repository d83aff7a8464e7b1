package pipeline_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

const goodConfig = `
store:
  connection: file:///tmp/s3db-data
resources:
  - name: users
    timestamps: true
    attributes:
      name: string|required
      email: email|optional
      age: number|optional
    partitions:
      byRegion: {fields: {region: string}}
inputs:
  - transport: amqp
    queue: users-in
    concurrency: 8
changes:
  topic: users-changes
retry:
  max_retries: 3
  initial_interval: 50ms
amqp:
  url: amqp://guest:guest@127.0.0.1:5672/
`

func TestParseConfig_defaults_and_order(t *testing.T) {
	c, err := pipeline.ParseConfig([]byte(goodConfig), env(nil))
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "email", "age"}, c.Resources[0].Attributes.Names(), "attribute order is kept")
	assert.Equal(t, []string{"byRegion"}, c.Resources[0].Partitions.Names())
	in := c.Inputs[0]
	assert.Equal(t, "users-in", in.Name)
	assert.Equal(t, 8, in.Concurrency)
	assert.Equal(t, "amqp", c.Changes.Transport, "changes default to the first input's transport")
	assert.Equal(t, pipeline.DefaultDeadLetterTopic, c.DeadLetterTopicOf(in))
	assert.Equal(t, 3, c.Retry.MaxRetries)
	assert.Equal(t, 50*time.Millisecond, c.Retry.InitialInterval)
	assert.Equal(t, pipeline.DefaultMaxInterval, c.Retry.MaxInterval)
	assert.Equal(t, pipeline.ExhaustedDeadLetter, c.Retry.OnExhausted)
	assert.Equal(t, pipeline.DefaultHTTPAddr, c.HTTP.Addr)
}

func TestParseConfig_env_overrides(t *testing.T) {
	c, err := pipeline.ParseConfig([]byte(goodConfig), env(map[string]string{
		pipeline.EnvConnection: "http://K:S@127.0.0.1:7070/bucket/app",
		pipeline.EnvPassphrase: "p4ss",
		pipeline.EnvHTTPAddr:   "127.0.0.1:9999",
		pipeline.EnvAMQPURL:    "amqp://other/",
	}))
	require.NoError(t, err)
	assert.Equal(t, "http://K:S@127.0.0.1:7070/bucket/app", c.Store.Connection)
	assert.Equal(t, "p4ss", c.Store.Passphrase)
	assert.Equal(t, "127.0.0.1:9999", c.HTTP.Addr)
	assert.Equal(t, "amqp://other/", c.AMQP.URL)

	_, err = pipeline.ParseConfig([]byte(goodConfig), env(map[string]string{pipeline.EnvSQSCreateQueues: "maybe"}))
	assert.ErrorContains(t, err, pipeline.EnvSQSCreateQueues)
}

func TestParseConfig_errors_name_fields(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		fields     []string
	}{
		{"empty", ``, []string{"store.connection", "inputs"}},
		{"bad values", `
store: {connection: "ftp://x"}
resources: [{name: users}, {name: users, attributes: {a: string}}]
inputs:
  - {transport: kafka, queue: q}
  - {transport: amqp, concurrency: -1}
changes: {transport: carrier-pigeon}
retry: {max_retries: -1, initial_interval: 1s, max_interval: 10ms, on_exhausted: ignore}
log: {level: loud, format: xml}
amqp: {confirm_timeout: -1s}
`, []string{"store.connection", "resources[0].attributes", "resources[1].name", "inputs[0].transport", "inputs[1].queue",
			"inputs[1].concurrency", "changes.transport", "amqp.url", "amqp.confirm_timeout", "retry.max_retries", "retry.max_interval", "retry.on_exhausted",
			"log.level", "log.format"}},
		{"dead letters on another transport", `
store: {connection: "file:///tmp/x"}
inputs: [{transport: gochannel, queue: q}]
dead_letter: {transport: sqs}
`, []string{"dead_letter.transport"}},
		{"dead letter is the input", `
store: {connection: "file:///tmp/x"}
inputs: [{transport: gochannel, queue: q, dead_letter_topic: q}]
`, []string{"inputs[0].dead_letter_topic"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pipeline.ParseConfig([]byte(tt.yaml), env(nil))
			var ce *pipeline.ConfigError
			require.True(t, errors.As(err, &ce), "%v", err)
			var got []string
			for _, p := range ce.Problems {
				got = append(got, p.Field)
			}
			assert.ElementsMatch(t, tt.fields, got, "%v", err)
		})
	}
}

func TestParseConfig_dead_letter_transport_of_the_inputs(t *testing.T) {
	_, err := pipeline.ParseConfig([]byte(goodConfig+"dead_letter: {transport: amqp, topic: dl}\n"), env(nil))
	assert.NoError(t, err)
}

func TestParseConfig_unknown_key(t *testing.T) {
	_, err := pipeline.ParseConfig([]byte("store: {conection: file:///x}\n"), env(nil))
	assert.ErrorContains(t, err, "conection")
}
