package pipeline_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/pipeline"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestWorker_http(t *testing.T) {
	ctx := context.Background()
	cfg := usersConfig(t, "file://"+t.TempDir(), `[{transport: gochannel, queue: in}]`)
	cfg.HTTP.Addr = "127.0.0.1:0"
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{})
	require.NoError(t, err)
	assert.Error(t, w.Ready(ctx), "not ready before Run")
	changes, err := w.GoChannel().Subscribe(ctx, cfg.Changes.Topic)
	require.NoError(t, err)
	drained := drain(changes)
	runWorker(t, w)

	base := "http://" + w.HTTPAddr()
	code, _ := get(t, base+"/healthz")
	assert.Equal(t, http.StatusOK, code)
	code, body := get(t, base+"/readyz")
	assert.Equal(t, http.StatusOK, code, body)

	require.NoError(t, w.GoChannel().Publish("in", message.NewMessage("m1", []byte(`{"resource":"users","action":"insert","data":{"id":"h1","name":"x"}}`))))
	collect(t, drained, 1)
	code, body = get(t, base+"/metrics")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `s3db_worker_messages_received_total{input="in"} 1`)
	assert.Contains(t, body, `s3db_worker_messages_applied_total{input="in",op="insert",resource="users"} 1`)
	assert.Contains(t, body, `s3db_s3_requests_total{op="put",outcome="ok"}`)
	assert.Contains(t, body, `s3db_worker_handler_seconds_bucket`)
	assert.Contains(t, body, `go_goroutines`)
	code, _ = get(t, base+"/debug/pprof/")
	assert.Equal(t, http.StatusNotFound, code, "the profiler is off unless http.pprof is set")
}

func TestWorker_httpPprof(t *testing.T) {
	ctx := context.Background()
	cfg := usersConfig(t, "file://"+t.TempDir(), `[{transport: gochannel, queue: in}]`)
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.HTTP.Pprof = true
	w, err := pipeline.NewWorker(ctx, cfg, pipeline.Options{})
	require.NoError(t, err)
	runWorker(t, w)
	code, body := get(t, "http://"+w.HTTPAddr()+"/debug/pprof/goroutine?debug=1")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "goroutine profile: total")
}
