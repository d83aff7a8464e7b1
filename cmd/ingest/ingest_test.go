package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/internal/testenv"
	pipesqs "github.com/s3db-go/s3db/pipeline/sqs"
	"github.com/s3db-go/s3db/store"
)

// fixture is a database on versitygw (a fresh bucket) with a resource "people".
type fixture struct {
	conn string
	res  *store.Resource
	dir  string
	env  map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "db")
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	var attrs codec.Ordered
	require.NoError(t, json.Unmarshal([]byte(`{"name":"string|required","age":"number|optional","active":"boolean|optional",
		"tags":"array|items:string|optional","address":{"city":"string|optional"}}`), &attrs))
	res, err := db.CreateResource(ctx, store.Definition{Name: "people", Attributes: attrs, Behavior: "body-overflow"})
	require.NoError(t, err)
	return &fixture{conn: conn, res: res, dir: t.TempDir()}
}

// ingest runs the command in-process and returns its exit code and stderr.
func (f *fixture) ingest(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var errOut bytes.Buffer
	app := &App{Getenv: func(k string) string {
		if k == EnvConnection {
			return f.conn
		}
		return f.env[k]
	}, Stderr: &errOut, Stdin: strings.NewReader("")}
	code := app.Run(context.Background(), append([]string{"--resource", "people", "--progress", "none"}, args...))
	return code, errOut.String()
}

func (f *fixture) write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// records reads every record of the resource, by id.
func (f *fixture) records(t *testing.T) map[string]store.Record {
	t.Helper()
	out := map[string]store.Record{}
	for rec, err := range f.res.StreamRecords(context.Background(), store.ReadOptions{}) {
		require.NoError(t, err)
		out[rec["id"].(string)] = rec
	}
	return out
}

func readRejects(t *testing.T, path string) []rejectEntry {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []rejectEntry
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var e rejectEntry
		require.NoError(t, json.Unmarshal([]byte(line), &e), line)
		out = append(out, e)
	}
	return out
}

func rejectLines(es []rejectEntry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Line)
	}
	return out
}

func TestIngest_JSONL_rejects_bad_rows_and_loads_the_rest(t *testing.T) {
	f := newFixture(t)
	var b strings.Builder
	for i := 1; i <= 60; i++ {
		switch i {
		case 20:
			b.WriteString(`{"id":"p20","name":"broken` + "\n") // corrupt JSON
		case 30:
			b.WriteString(`{"id":"p30","age":3}` + "\n") // no name: validation
		case 40:
			b.WriteString("\n") // blank: skipped, still counted as a line
		case 50:
			fmt.Fprintf(&b, `{"name":"no id %d","address":{"city":"Porto"}}`+"\n", i)
		default:
			fmt.Fprintf(&b, `{"id":"p%02d","name":"n%d","age":%d,"tags":["a","b"]}`+"\n", i, i, i)
		}
	}
	in := f.write(t, "people.jsonl", b.String())
	code, stderr := f.ingest(t, "--concurrency", "8", in)
	assert.Equal(t, ExitRejected, code, stderr)
	assert.Contains(t, stderr, "57 rows accepted")
	assert.Contains(t, stderr, "2 rejected")
	assert.Contains(t, stderr, in+rejectSuffix)

	rejects := readRejects(t, in+rejectSuffix)
	assert.Equal(t, []int64{20, 30}, rejectLines(rejects), "rejects in line order, with their line numbers")
	assert.Contains(t, rejects[0].Error, "invalid JSON")
	assert.Equal(t, `{"id":"p20","name":"broken`, rejects[0].Row)
	assert.Contains(t, rejects[1].Error, "name")
	assert.Equal(t, map[string]any{"id": "p30", "age": 3.0}, rejects[1].Row, "a JSON row is kept as JSON")

	recs := f.records(t)
	assert.Len(t, recs, 57)
	assert.Equal(t, map[string]any{"id": "p07", "name": "n7", "age": 7.0, "tags": []any{"a", "b"}}, recs["p07"])
	st, err := loadState(in + rejectSuffix + stateSuffix)
	require.NoError(t, err)
	assert.True(t, st.Complete)
	generated := rowID("people", st.Identity, 50)
	assert.Equal(t, "Porto", recs[generated]["address"].(map[string]any)["city"], "a row without id gets a derived one")

	// Again: nothing to do. With --restart: every row is a duplicate, the rejects again rejects.
	code, stderr = f.ingest(t, in)
	assert.Equal(t, ExitRejected, code)
	assert.Contains(t, stderr, "loaded completely already")
	code, stderr = f.ingest(t, "--restart", in)
	assert.Equal(t, ExitRejected, code, stderr)
	assert.Contains(t, stderr, "0 rows accepted")
	assert.Contains(t, stderr, "57 duplicates skipped")
	assert.Len(t, readRejects(t, in+rejectSuffix), 2, "the reject file is rewritten, not appended to")
	assert.Len(t, f.records(t), 57)
}

func TestIngest_CSV_typed_by_schema(t *testing.T) {
	f := newFixture(t)
	in := f.write(t, "people.csv", strings.Join([]string{
		"id,name,age,active,tags,address.city,extra",
		`c1,Ada,36,true,"[""math"",""engine""]",London,x`,
		`c2,Bob,,false,,,`,
		`c3,Cy,thirty,true,,,`, // not a number
		`c4,"Dee, Jr.",4,1,[],"Multi`,
		`line",`,            // a quoted cell over two lines: one row, on line 5
		`c5,Eve,5,maybe,,,`, // not a boolean
		`c6,Fay,6,no,"[""x""]",,`,
	}, "\n")+"\n")
	code, stderr := f.ingest(t, "--concurrency", "3", in)
	require.Equal(t, ExitRejected, code, stderr)
	rejects := readRejects(t, filepath.Join(f.dir, "people.csv"+rejectSuffix))
	assert.Equal(t, []int64{4, 7}, rejectLines(rejects))
	assert.Contains(t, rejects[0].Error, `column "age": "thirty" is not a number`)
	assert.Equal(t, "c3,Cy,thirty,true,,,", rejects[0].Row, "the row's own text")
	assert.Contains(t, rejects[1].Error, `column "active"`)

	recs := f.records(t)
	require.Len(t, recs, 4)
	assert.Equal(t, map[string]any{"id": "c1", "name": "Ada", "age": 36.0, "active": true, "tags": []any{"math", "engine"},
		"address": map[string]any{"city": "London"}, "extra": "x"}, recs["c1"])
	assert.Equal(t, map[string]any{"id": "c2", "name": "Bob", "active": false}, recs["c2"])
	assert.Equal(t, "Multi\nline", recs["c4"]["address"].(map[string]any)["city"])
	assert.Equal(t, "Dee, Jr.", recs["c4"]["name"])
	assert.Equal(t, []any{}, recs["c4"]["tags"])
	assert.Equal(t, false, recs["c6"]["active"])
	st, err := loadState(filepath.Join(f.dir, "people.csv"+rejectSuffix+stateSuffix))
	require.NoError(t, err)
	assert.Equal(t, int64(8), st.Line, "the checkpoint counts the lines of a multi-line row")
	assert.Equal(t, []string{"id", "name", "age", "active", "tags", "address.city", "extra"}, st.Header)
}

func TestIngest_usage_errors(t *testing.T) {
	f := &fixture{conn: "file://" + t.TempDir()}
	for _, args := range [][]string{
		{},                                   // no input
		{"--format", "xml", "x.jsonl"},       // bad format
		{"--concurrency", "0", "x.jsonl"},    // bad concurrency
		{"--publish", "ftp://x/y", "x"},      // bad publish URL
		{"--publish", "amqp://h:5672/", "x"}, // no queue
		{"--nope", "x"},
	} {
		code, stderr := f.ingest(t, args...)
		assert.Equal(t, ExitUsage, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "usage:")
	}
}

// buildIngest compiles the command into a temporary directory.
func buildIngest(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ingest")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// TestIngest_killed_and_run_again kills ingest (SIGKILL) in the middle of a load, runs it again,
// and checks that the resource holds exactly the input: every row once, no duplicates, no loss.
func TestIngest_killed_and_run_again(t *testing.T) {
	f := newFixture(t)
	bin := buildIngest(t)
	const rows = 2000
	var b strings.Builder
	wantIDs := map[string]bool{}
	var noID []int64
	for i := 1; i <= rows; i++ {
		switch {
		case i == 777:
			b.WriteString("{broken\n")
		case i%2 == 0:
			fmt.Fprintf(&b, `{"id":"k%05d","name":"row %d","age":%d}`+"\n", i, i, i)
			wantIDs[fmt.Sprintf("k%05d", i)] = true
		default:
			fmt.Fprintf(&b, `{"name":"row %d","tags":["t%d"]}`+"\n", i, i)
			noID = append(noID, int64(i))
		}
	}
	in := f.write(t, "big.jsonl", b.String())
	statePath := in + rejectSuffix + stateSuffix
	cmd := func() *exec.Cmd {
		c := exec.Command(bin, "--resource", "people", "--concurrency", "4", "--progress", "plain", in)
		c.Env = append(os.Environ(), EnvConnection+"="+f.conn)
		return c
	}

	first := cmd()
	var firstErr bytes.Buffer
	first.Stderr = &firstErr
	require.NoError(t, first.Start())
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, _ := loadState(statePath)
		if st != nil && st.Line >= rows/3 {
			break
		}
		if time.Now().After(deadline) {
			_ = first.Process.Kill()
			_ = first.Wait()
			t.Fatalf("the first run made no progress: %s", firstErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	err := first.Wait()
	require.Error(t, err, "killed before the end")
	killed, _ := loadState(statePath)
	require.False(t, killed.Complete, "the first run must not have finished: make the input bigger")
	t.Logf("killed at checkpoint line %d (%d accepted)", killed.Line, killed.Accepted)

	second := cmd()
	out, err := second.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s", out)
	assert.Equal(t, ExitRejected, exit.ExitCode(), "%s", out) // line 777
	assert.Contains(t, string(out), "resumed after line")
	t.Logf("second run: %s", out)

	st, err := loadState(statePath)
	require.NoError(t, err)
	assert.True(t, st.Complete)
	assert.Equal(t, int64(rows-1), st.Accepted+st.Duplicates, "every good row counted once over both runs")
	assert.Equal(t, int64(1), st.Rejected)
	assert.Equal(t, []int64{777}, rejectLines(readRejects(t, in+rejectSuffix)), "the reject is listed once")

	for _, line := range noID {
		wantIDs[rowID("people", st.Identity, line)] = true
	}
	recs := f.records(t)
	gotIDs := map[string]bool{}
	for id := range recs {
		gotIDs[id] = true
	}
	assert.Equal(t, rows-1, len(recs))
	assert.Equal(t, wantIDs, gotIDs, "exactly the input's rows")
	n, err := f.res.Count(context.Background())
	require.NoError(t, err)
	assert.Equal(t, rows-1, n)
}

// TestIngest_interrupted_finishes_in_flight sends SIGINT: the run stops reading, finishes the rows
// in flight, writes its checkpoint and exits 130; the next run completes the load.
func TestIngest_interrupted_finishes_in_flight(t *testing.T) {
	f := newFixture(t)
	bin := buildIngest(t)
	var b strings.Builder
	for i := range 1500 {
		fmt.Fprintf(&b, `{"id":"s%05d","name":"row %d"}`+"\n", i, i)
	}
	in := f.write(t, "sig.jsonl", b.String())
	statePath := in + rejectSuffix + stateSuffix
	c := exec.Command(bin, "--resource", "people", "--concurrency", "2", "--progress", "none", in)
	c.Env = append(os.Environ(), EnvConnection+"="+f.conn)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	require.NoError(t, c.Start())
	for {
		st, _ := loadState(statePath)
		if st != nil && st.Line >= 200 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, c.Process.Signal(syscall.SIGINT))
	err := c.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, ExitInterrupted, exit.ExitCode(), stderr.String())
	assert.Contains(t, stderr.String(), "interrupted")
	st, err := loadState(statePath)
	require.NoError(t, err)
	require.False(t, st.Complete)
	n, err := f.res.Count(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int(st.Accepted), n, "the checkpoint covers exactly what was written: in-flight rows finished")

	code, out := f.ingest(t, in)
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "0 duplicates skipped")
	n, err = f.res.Count(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1500, n)
}

// inbound is an inbound message as published.
type inbound struct {
	Resource string         `json:"resource"`
	Action   string         `json:"action"`
	Data     map[string]any `json:"data"`
	TxID     string         `json:"txId"`
}

func publishInput(t *testing.T, f *fixture) (string, []string) {
	var b strings.Builder
	b.WriteString(`{"id":"m1","name":"Ada","age":36}` + "\n")
	b.WriteString(`{"name":"no id"}` + "\n")
	b.WriteString("[1,2]\n") // not an object: rejected here
	for i := 4; i <= 25; i++ {
		fmt.Fprintf(&b, `{"id":"m%d","name":"n%d"}`+"\n", i, i)
	}
	var ids []string
	ids = append(ids, "m1", "") // "" : the derived id, filled in by the caller
	for i := 4; i <= 25; i++ {
		ids = append(ids, fmt.Sprintf("m%d", i))
	}
	return f.write(t, "pub.jsonl", b.String()), ids
}

func checkMessages(t *testing.T, f *fixture, in string, msgs []inbound, msgIDs []string, wantIDs []string) {
	t.Helper()
	st, err := loadState(in + rejectSuffix + stateSuffix)
	require.NoError(t, err)
	wantIDs[1] = rowID("people", st.Identity, 2)
	require.Len(t, msgs, len(wantIDs))
	var got []string
	for i, m := range msgs {
		assert.Equal(t, "people", m.Resource)
		assert.Equal(t, "upsert", m.Action)
		assert.Equal(t, m.TxID, msgIDs[i], "the transport id is the body's txId")
		assert.NotEmpty(t, m.TxID)
		got = append(got, m.Data["id"].(string))
	}
	slices.Sort(got)
	want := slices.Clone(wantIDs)
	slices.Sort(want)
	assert.Equal(t, want, got)
	for _, m := range msgs {
		if m.Data["id"] == "m1" {
			assert.Equal(t, map[string]any{"id": "m1", "name": "Ada", "age": 36.0}, m.Data)
		}
	}
	assert.Equal(t, []int64{3}, rejectLines(readRejects(t, in+rejectSuffix)))
}

func TestIngest_publish_to_RabbitMQ(t *testing.T) {
	amqpURL := testenv.AMQPURL(t)
	f := &fixture{dir: t.TempDir()}
	in, wantIDs := publishInput(t, f)
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	queue := "ingest-test-" + hex.EncodeToString(rnd[:])
	conn, err := amqp.Dial(amqpURL)
	require.NoError(t, err)
	defer conn.Close()
	ch, err := conn.Channel()
	require.NoError(t, err)
	defer func() { _, _ = ch.QueueDelete(queue, false, false, false) }()

	target := strings.TrimSuffix(amqpURL, "/") + "/" + queue
	code, stderr := f.ingest(t, "--publish", target, "--upsert", "--concurrency", "3", in)
	require.Equal(t, ExitRejected, code, stderr) // line 3
	assert.Contains(t, stderr, "24 rows accepted (published for people)")

	q, err := ch.QueueDeclarePassive(queue, true, false, false, false, nil)
	require.NoError(t, err, "the queue is durable")
	assert.Equal(t, 24, q.Messages)
	var msgs []inbound
	var ids []string
	for range q.Messages {
		d, ok, err := ch.Get(queue, true)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, uint8(amqp.Persistent), d.DeliveryMode)
		assert.Equal(t, "application/json", d.ContentType)
		var m inbound
		require.NoError(t, json.Unmarshal(d.Body, &m), "%s", d.Body)
		msgs = append(msgs, m)
		ids = append(ids, d.MessageId)
	}
	checkMessages(t, f, in, msgs, ids, wantIDs)
}

func TestIngest_publish_to_SQS(t *testing.T) {
	endpoint := testenv.SQSEndpoint(t)
	ctx := context.Background()
	client, err := pipesqs.NewClient(ctx, pipesqs.ClientConfig{Endpoint: endpoint, Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test"})
	require.NoError(t, err)
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	name := "ingest-test-" + hex.EncodeToString(rnd[:])
	created, err := client.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String(name)})
	require.NoError(t, err)
	queueURL := aws.ToString(created.QueueUrl)
	defer func() { _, _ = client.DeleteQueue(ctx, &awssqs.DeleteQueueInput{QueueUrl: created.QueueUrl}) }()

	f := &fixture{dir: t.TempDir(), env: map[string]string{"AWS_ENDPOINT_URL_SQS": endpoint}}
	in, wantIDs := publishInput(t, f)
	code, stderr := f.ingest(t, "--publish", queueURL, "--upsert", in)
	require.Equal(t, ExitRejected, code, stderr)
	assert.Contains(t, stderr, "24 rows accepted (published for people)")

	var msgs []inbound
	var ids []string
	for len(msgs) < 24 {
		out, err := client.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: created.QueueUrl, MaxNumberOfMessages: 10,
			WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
		require.NoError(t, err)
		require.NotEmpty(t, out.Messages, "got %d of 24 messages", len(msgs))
		for _, m := range out.Messages {
			var body inbound
			require.NoError(t, json.Unmarshal([]byte(aws.ToString(m.Body)), &body))
			msgs = append(msgs, body)
			var env struct {
				UUID string `json:"uuid"`
			}
			attr := m.MessageAttributes[pipesqs.EnvelopeAttribute]
			require.NoError(t, json.Unmarshal([]byte(aws.ToString(attr.StringValue)), &env))
			ids = append(ids, env.UUID)
			_, _ = client.DeleteMessage(ctx, &awssqs.DeleteMessageInput{QueueUrl: created.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
	}
	checkMessages(t, f, in, msgs, ids, wantIDs)
	_ = queueURL
}

// Example of the reject file's lines.
func Example_rejectFile() {
	dir, _ := os.MkdirTemp("", "ingest-example")
	defer os.RemoveAll(dir)
	conn := "file://" + filepath.Join(dir, "db")
	db, _ := store.Open(context.Background(), conn, store.Options{})
	var attrs codec.Ordered
	_ = json.Unmarshal([]byte(`{"name":"string|required"}`), &attrs)
	_, _ = db.CreateResource(context.Background(), store.Definition{Name: "users", Attributes: attrs})
	in := filepath.Join(dir, "users.jsonl")
	_ = os.WriteFile(in, []byte("{\"id\":\"u1\",\"name\":\"Ada\"}\n{\"id\":\"u2\"}\nnot json\n"), 0o644)

	var stderr bytes.Buffer
	app := &App{Stderr: &stderr}
	code := app.Run(context.Background(), []string{"--connection", conn, "--resource", "users", "--progress", "none", in})
	fmt.Println("exit", code)
	rej, _ := os.Open(in + ".rejects.jsonl")
	defer rej.Close()
	sc := bufio.NewScanner(rej)
	for sc.Scan() {
		var e rejectEntry
		_ = json.Unmarshal(sc.Bytes(), &e)
		fmt.Println(e.Line, strings.SplitN(e.Error, ":", 2)[0])
	}
	// Output:
	// exit 1
	// 2 insert users "u2"
	// 3 invalid JSON at byte 2
}
