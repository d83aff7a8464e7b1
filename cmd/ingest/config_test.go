package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

func TestParsePublishURL(t *testing.T) {
	for _, tc := range []struct {
		name, raw        string
		kind, uri, queue string
		endpoint, region string
		wantErr          bool
	}{
		{name: "queue in the path", raw: "amqp://u:p@h:5672/users-in", kind: "amqp", uri: "amqp://u:p@h:5672", queue: "users-in"},
		{name: "vhost and queue in the path", raw: "amqp://u:p@h/prod/users-in", kind: "amqp", uri: "amqp://u:p@h/prod", queue: "users-in"},
		{name: "queue parameter", raw: "amqps://u:p@h:5671/prod?queue=users-in&heartbeat=10", kind: "amqp",
			uri: "amqps://u:p@h:5671/prod?heartbeat=10", queue: "users-in"},
		{name: "encoded vhost", raw: "amqp://u:p@h/%2Fprod/q", kind: "amqp", uri: "amqp://u:p@h/%2Fprod", queue: "q"},
		{name: "AWS SQS", raw: "https://sqs.eu-west-1.amazonaws.com/123456789012/users-in", kind: "sqs",
			uri: "https://sqs.eu-west-1.amazonaws.com/123456789012/users-in", region: "eu-west-1"},
		{name: "SQS emulator", raw: "http://127.0.0.1:4566/000000000000/q", kind: "sqs", uri: "http://127.0.0.1:4566/000000000000/q",
			endpoint: "http://127.0.0.1:4566"},
		{name: "no queue", raw: "amqp://u:p@h:5672/", wantErr: true},
		{name: "SQS URL without a queue", raw: "https://sqs.eu-west-1.amazonaws.com/123", wantErr: true},
		{name: "other scheme", raw: "kafka://h/t", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePublishURL(tc.raw)
			if tc.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, &publishTarget{kind: tc.kind, uri: tc.uri, queue: tc.queue, endpoint: tc.endpoint, region: tc.region}, got)
		})
	}
}

func TestIdentity_is_deterministic(t *testing.T) {
	a := rowID("users", "input-1", 7)
	assert.Equal(t, a, rowID("users", "input-1", 7))
	assert.Len(t, a, 22)
	assert.NoError(t, codec.ValidateID(a))
	assert.NotEqual(t, a, rowID("users", "input-1", 8))
	assert.NotEqual(t, a, rowID("users", "input-2", 7))
	assert.NotEqual(t, a, rowID("orders", "input-1", 7))
	assert.NotEqual(t, txID("users", "u1", []byte(`{"a":1}`)), txID("users", "u1", []byte(`{"a":2}`)))

	it := &item{line: 3, raw: []byte(`{"name":"x"}`), data: map[string]any{"name": "x"}}
	id, tx := identify("users", "in", it)
	assert.Equal(t, rowID("users", "in", 3), id)
	assert.Equal(t, id, it.data["id"], "the derived id is set on the row")
	assert.Equal(t, txID("users", id, it.raw), tx)
	it = &item{line: 4, raw: []byte(`{"id":12}`), data: map[string]any{"id": 12.0}}
	id, _ = identify("users", "in", it)
	assert.Equal(t, "12", id)
}

// Stdin works like a file, including resuming: the rows before the checkpoint are read and skipped.
func TestIngest_stdin_and_resume(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	conn := "file://" + filepath.Join(dir, "db")
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	var attrs codec.Ordered
	require.NoError(t, json.Unmarshal([]byte(`{"name":"string|required"}`), &attrs))
	res, err := db.CreateResource(ctx, store.Definition{Name: "people", Attributes: attrs})
	require.NoError(t, err)

	input := "{\"name\":\"a\"}\n{\"name\":\"b\"}\n{\"nope\":1}\n{\"name\":\"c\"}\n"
	reject := filepath.Join(dir, "rej.jsonl")
	run := func(in string) (int, string) {
		var stderr bytes.Buffer
		app := &App{Stdin: strings.NewReader(in), Stderr: &stderr}
		code := app.Run(ctx, []string{"--connection", conn, "--resource", "people", "--progress", "none", "--reject", reject, "-"})
		return code, stderr.String()
	}
	code, out := run(input)
	assert.Equal(t, ExitRejected, code, out)
	n, err := res.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	// Pretend the run stopped after line 2: the rerun skips lines 1-2 and loads 3-4 again.
	st, err := loadState(reject + stateSuffix)
	require.NoError(t, err)
	st.Offset, st.Line, st.Complete = int64(len("{\"name\":\"a\"}\n{\"name\":\"b\"}\n")), 2, false
	st.Accepted, st.Rejected, st.RejectBytes = 2, 0, 0
	require.NoError(t, st.save(reject+stateSuffix))
	code, out = run(input)
	assert.Equal(t, ExitRejected, code, out)
	assert.Contains(t, out, "0 rows accepted")
	assert.Contains(t, out, "1 rejected, 1 duplicates skipped")
	n, err = res.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	b, err := os.ReadFile(reject)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(b), "\n"), "the reject of line 3 once")

	// Another input with this state file is refused.
	code, out = run("{\"name\":\"z\"}\n")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, out, "another input")
}
