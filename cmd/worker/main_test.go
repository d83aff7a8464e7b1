package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store"
)

func lines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// TestRun_embedded runs `worker` with no flags in a temporary directory: the bundled feed ends in the
// expected records, change events and dead letters.
func TestRun_embedded(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--data", dir}, &stdout, &stderr)
	require.Equal(t, exitOK, code, "stderr: %s", stderr.String())
	out := stdout.String()
	assert.Contains(t, out, "352 messages")
	assert.Contains(t, out, "duplicates:    2")
	assert.Contains(t, out, "dead-lettered: 4")
	assert.Contains(t, out, filepath.Join(dir, "changes.jsonl"))

	db, err := store.Open(context.Background(), "file://"+filepath.Join(dir, "db"), store.Options{})
	require.NoError(t, err)
	for name, want := range map[string]int{"users": 131, "orders": 45} {
		r, err := db.Resource(name)
		require.NoError(t, err)
		n, err := r.Count(context.Background())
		require.NoError(t, err)
		assert.Equal(t, want, n, name)
	}
	changes := lines(t, filepath.Join(dir, "changes.jsonl"))
	ids := map[string]bool{}
	for _, l := range changes {
		var ch store.Change
		require.NoError(t, json.Unmarshal([]byte(l), &ch))
		ids[ch.ID] = true
	}
	assert.Len(t, changes, 348, "346 writes plus the two duplicates' changes published again")
	assert.Len(t, ids, 346, "a republished change keeps its id")

	dead := lines(t, filepath.Join(dir, "dead-letters.jsonl"))
	require.Len(t, dead, 4)
	reasons := map[string]bool{}
	for _, l := range dead {
		var d struct{ Metadata map[string]string }
		require.NoError(t, json.Unmarshal([]byte(l), &d))
		assert.NotEmpty(t, d.Metadata["reason_poisoned"])
		assert.Equal(t, "permanent", d.Metadata["s3db_error_class"])
		reasons[d.Metadata["s3db_error_reason"]] = true
	}
	assert.Equal(t, map[string]bool{"validation": true, "bad JSON": true, "unknown resource": true, "counter action": true}, reasons)
}

func TestRun_check_config(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	require.NoError(t, os.WriteFile(good, []byte("store: {connection: file:///tmp/x}\ninputs: [{transport: gochannel, queue: in}]\n"), 0o644))
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("store: {connection: file:///tmp/x}\ninputs: [{transport: kafka, queue: in, concurrency: 0}]\n"), 0o644))

	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitOK, run(context.Background(), []string{"--check-config", good}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "ok")

	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, exitError, run(context.Background(), []string{"--check-config", bad}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "inputs[0].transport")
	assert.Contains(t, stderr.String(), "kafka")

	assert.Equal(t, exitError, run(context.Background(), []string{"--check-config", filepath.Join(dir, "missing.yaml")}, &stdout, &stderr))
	assert.Equal(t, exitUsage, run(context.Background(), []string{"--bogus"}, &stdout, &stderr))
}

// TestRun_shipped_configs checks that every config in configs/ is valid.
func TestRun_shipped_configs(t *testing.T) {
	paths, err := filepath.Glob("../../configs/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"--check-config", p}, &stdout, &stderr)
		assert.Equal(t, exitOK, code, "%s: %s", p, strings.TrimSpace(stderr.String()))
	}
}
