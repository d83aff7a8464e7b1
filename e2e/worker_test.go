package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store"
)

// feed is the input of an end-to-end run: what is published and what must come out.
type feed struct {
	msgs   []msg
	unique int // distinct inserts: the records and insert changes expected
	poison int // messages that can never succeed: expected in the dead-letter queue
}

// msg is one inbound message; id is the transport message id (a duplicate repeats it).
type msg struct {
	id   string
	body []byte
}

// newFeed makes n messages: inserts of distinct records, ~8% of them delivered twice (half the
// copies carry the same transport id, half the same body txId under a new transport id), and a
// few poison messages (bad JSON, an unknown resource, a validation failure) spread through.
func newFeed(n int, rnd *rand.Rand) feed {
	var f feed
	var sent []msg
	for len(f.msgs) < n {
		switch x := rnd.Float64(); {
		case x < 0.002:
			f.poison++
			bad := [][]byte{[]byte(`{"resource":"events","action":"insert","data":`), // bad JSON
				[]byte(`{"resource":"nope","action":"insert","data":{"id":"x"}}`),
				[]byte(`{"resource":"events","action":"insert","data":{"id":"bad1","kind":"k","n":"not a number","user":"u"}}`)}
			f.msgs = append(f.msgs, msg{id: fmt.Sprintf("poison-%d", len(f.msgs)), body: bad[f.poison%3]})
		case x < 0.08 && len(sent) > 0:
			d := sent[rnd.IntN(len(sent))]
			if rnd.IntN(2) == 0 {
				f.msgs = append(f.msgs, d) // redelivered: same transport id
			} else {
				var b map[string]any
				_ = json.Unmarshal(d.body, &b)
				b["txId"] = d.id
				body, _ := json.Marshal(b)
				f.msgs = append(f.msgs, msg{id: fmt.Sprintf("copy-%d", len(f.msgs)), body: body}) // same txId
			}
		default:
			i := f.unique
			f.unique++
			body, _ := json.Marshal(map[string]any{"resource": "events", "action": "insert",
				"data": map[string]any{"id": fmt.Sprintf("e%06d", i), "kind": "click", "n": i, "user": fmt.Sprintf("u%03d", i%100)}})
			m := msg{id: fmt.Sprintf("m%06d", i), body: body}
			f.msgs = append(f.msgs, m)
			sent = append(sent, m)
		}
	}
	// The txId copies must name the original's key source the way the original did: the original
	// has no txId, so its key is its transport id, which is what the copy's txId repeats.
	return f
}

// workerBinary builds cmd/worker once per test binary run.
var workerBinary = sync.OnceValues(func() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	dir, err := os.MkdirTemp("", "s3db-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "worker")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/worker")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/worker: %v\n%s", err, out)
	}
	return bin, nil
})

// worker is a running cmd/worker process.
type worker struct {
	t    *testing.T
	cmd  *exec.Cmd
	log  *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

func startWorker(t *testing.T, config string) *worker {
	t.Helper()
	bin, err := workerBinary()
	require.NoError(t, err)
	cmd := exec.Command(bin, "--config", config)
	cmd.Env = append(os.Environ(), "WORKER_LOG_FORMAT=json", "WORKER_LOG_LEVEL=warn")
	w := &worker{t: t, cmd: cmd, log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = lockedWriter{w.mu, w.log}, lockedWriter{w.mu, w.log}
	require.NoError(t, cmd.Start())
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("worker log (tail):\n%s", w.logTail(4000))
		}
	})
	return w
}

func (w *worker) logTail(n int) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.log.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// kill9 kills the worker as a crash would.
func (w *worker) kill9() {
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	<-w.done
}

// stop sends SIGTERM and expects a clean exit.
func (w *worker) stop(timeout time.Duration) {
	w.t.Helper()
	require.NoError(w.t, w.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-w.done:
		require.NoError(w.t, err, "the worker exits 0 on SIGTERM")
	case <-time.After(timeout):
		w.t.Fatalf("the worker did not stop within %v of SIGTERM", timeout)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// writeConfig writes a worker config for one transport.
func writeConfig(t *testing.T, conn, transport, transportSection, in, changes, dead string) string {
	t.Helper()
	cfg := fmt.Sprintf(`store:
  connection: %q
resources:
  - name: events
    attributes:
      kind: string
      n: number|integer
      user: string
inputs:
  - transport: %s
    queue: %s
    concurrency: 32
changes:
  transport: %s
  topic: %s
dead_letter:
  transport: %s
  topic: %s
retry:
  max_retries: 2
  initial_interval: 20ms
  max_interval: 200ms
http:
  addr: "off"
shutdown_timeout: 20s
%s
`, conn, transport, in, transport, changes, transport, dead, transportSection)
	path := filepath.Join(t.TempDir(), "worker.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path
}

// waitFor polls cond until it is true or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkStore asserts the bucket holds exactly the feed's records, each with its own values.
func checkStore(t *testing.T, conn string, f feed) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	r, err := db.Resource("events")
	require.NoError(t, err)
	ids, err := r.ListIDs(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, ids, f.unique, "exactly one record per distinct insert")
	recs, err := r.GetMany(ctx, ids)
	require.NoError(t, err)
	bad := 0
	for _, rec := range recs {
		var i int
		_, _ = fmt.Sscanf(rec["id"].(string), "e%06d", &i)
		if rec["n"] != float64(i) || rec["kind"] != "click" {
			bad++
		}
	}
	assert.Zero(t, bad, "records with other values than their message's")
}

// checkChanges asserts that the change events name every insert once by id (the queue may hold
// redelivered copies, with the same id).
func checkChanges(t *testing.T, bodies [][]byte, f feed) {
	t.Helper()
	ids := map[string]bool{}
	keys := map[string]bool{}
	for _, b := range bodies {
		var ch store.Change
		require.NoError(t, json.Unmarshal(b, &ch), "a change event is a store.Change: %s", b)
		assert.Equal(t, "insert", ch.Op)
		require.NotEmpty(t, ch.ID)
		ids[ch.ID] = true
		keys[ch.Key] = true
	}
	if !assert.Equal(t, f.unique, len(keys), "a change event for every record") {
		var missing []string
		for i := 0; i < f.unique && len(missing) < 10; i++ {
			if k := fmt.Sprintf("e%06d", i); !keys[k] {
				missing = append(missing, k)
			}
		}
		t.Logf("records without a change event (first 10): %v", missing)
	}
	assert.Equal(t, f.unique, len(ids), "one change id per write: duplicates deduplicate by id")
	if len(bodies) > len(ids) {
		t.Logf("%d change events for %d writes (at-least-once: copies after crashes share the id)", len(bodies), len(ids))
	}
}

func poisonReason(headers map[string]any) bool {
	for k := range headers {
		if strings.Contains(strings.ToLower(k), "reason") || strings.Contains(strings.ToLower(k), "error") {
			return true
		}
	}
	return false
}
