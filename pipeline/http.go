package pipeline

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/s3db-go/s3db/store/objstore"
)

// serveHTTP starts the health and metrics server on addr:
//
//	/healthz  200 while the process runs
//	/readyz   200 when the router is consuming, the broker takes change events (no RabbitMQ resource
//	          alarm) and the store answers (s3db.json read), else 503 with the reason
//	/metrics  Prometheus
//	/debug/pprof/  Go's profiler, when http.pprof is set
func (w *Worker) serveHTTP(addr string) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(rw, "ok")
	})
	mux.HandleFunc("GET /readyz", func(rw http.ResponseWriter, r *http.Request) {
		if err := w.Ready(r.Context()); err != nil {
			http.Error(rw, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(w.metrics.Registry, promhttp.HandlerOpts{Registry: w.metrics.Registry}))
	if w.cfg.HTTP.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	w.httpAddr = ln.Addr().String()
	w.log.Info("serving /healthz, /readyz and /metrics", "addr", w.httpAddr)
	return srv, nil
}

// HTTPAddr is the address the HTTP server listens on ("" when off or not started).
func (w *Worker) HTTPAddr() string { return w.httpAddr }

// blockable is a publisher that knows when its broker refuses its messages for a while: pipeline/amqp's
// during a RabbitMQ resource alarm.
type blockable interface{ Blocked() error }

// Ready reports why the worker is not ready: the router is not consuming, the broker blocks the
// change events (then no message can be acked), or the store does not answer.
func (w *Worker) Ready(ctx context.Context) error {
	if !w.running.Load() || w.router.IsClosed() {
		return fmt.Errorf("the router is not consuming")
	}
	if b, ok := w.changes.(blockable); ok {
		if err := b.Blocked(); err != nil {
			return fmt.Errorf("changes: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := w.db.Objects().Head(ctx, "s3db.json"); err != nil && !objstore.IsNotFound(err) {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
