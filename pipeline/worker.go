package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/s3db-go/s3db/consumers"
	"github.com/s3db-go/s3db/internal/warmpool"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// Options are what a Worker takes besides its Config.
type Options struct {
	// Logger; nil discards.
	Logger *slog.Logger
	// GoChannel, when set, is the in-process Pub/Sub of gochannel inputs and outputs (the caller
	// publishes into it); nil makes a new one when a gochannel transport is configured.
	GoChannel *gochannel.GoChannel
}

// Worker consumes the configured inputs into the store and publishes change events.
type Worker struct {
	cfg     *Config
	log     *slog.Logger
	metrics *Metrics
	db      *store.Database
	router  *message.Router
	tr      *transports
	changes message.Publisher
	pool    *warmpool.Pool
	server  *http.Server
	running atomic.Bool
	// stopping ends when Run starts to shut down (messages held during a broker alarm give up then).
	stopping context.Context
	stop     context.CancelFunc
	handlers int
	httpAddr string
}

// NewWorker opens the store, creates the configured resources, connects the transports and sets up one
// router handler per input. Nothing is consumed before Run.
func NewWorker(ctx context.Context, cfg *Config, opts Options) (w *Worker, err error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wlog := watermill.NewSlogLoggerWithLevelMapping(log, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	stopping, stop := context.WithCancel(context.Background())
	w = &Worker{cfg: cfg, log: log, metrics: NewMetrics(), pool: warmpool.New(0), stopping: stopping, stop: stop,
		tr: &transports{cfg: cfg, logger: wlog, goChannel: opts.GoChannel}}
	defer func() {
		if err != nil {
			_ = w.tr.close()
		}
	}()

	objs, err := objstore.Open(ctx, cfg.Store.Connection)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	w.db, err = store.New(ctx, WithMetrics(objs, w.metrics), store.Options{Passphrase: cfg.Store.Passphrase, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	for _, r := range cfg.Resources {
		if _, err := w.db.CreateResource(ctx, r.Definition()); err != nil {
			return nil, fmt.Errorf("create resource %s: %w", r.Name, err)
		}
	}

	var amqpQueues []string
	if cfg.Changes.Transport == TransportFile {
		fp, err := NewFilePublisher(cfg.Changes.Topic)
		if err != nil {
			return nil, err
		}
		w.changes = fp
		w.tr.closers = append(w.tr.closers, fp.Close)
	} else {
		if w.changes, err = w.tr.publisher(ctx, cfg.Changes.Transport); err != nil {
			return nil, fmt.Errorf("changes publisher: %w", err)
		}
		if cfg.Changes.Transport == TransportAMQP {
			amqpQueues = append(amqpQueues, cfg.Changes.Topic)
		}
		if b, ok := w.changes.(blockable); ok {
			w.metrics.watchBlocked(b)
		}
	}

	w.router, err = message.NewRouter(message.RouterConfig{CloseTimeout: cfg.ShutdownTimeout}, wlog)
	if err != nil {
		return nil, err
	}
	consumer := consumers.New(w.db, log)
	hold := func(next message.HandlerFunc) message.HandlerFunc { return next }
	if b, ok := w.changes.(unblockWaiter); ok {
		hold = holdWhileBlocked(b, w.stopping)
	}
	for _, in := range cfg.Inputs {
		dlTopic := cfg.DeadLetterTopicOf(in)
		if in.Transport == TransportAMQP {
			amqpQueues = append(amqpQueues, dlTopic)
		}
		sub, err := w.tr.subscriber(ctx, in, dlTopic)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", in.Name, err)
		}
		dlPub, err := w.tr.publisher(ctx, in.Transport)
		if err != nil {
			return nil, fmt.Errorf("input %s: dead-letter publisher: %w", in.Name, err)
		}
		h := &handler{input: in.Name, consumer: consumer, metrics: w.metrics, log: log}
		poison, err := middleware.PoisonQueueWithFilter(deadLetterPublisher{Publisher: dlPub, input: in.Name, metrics: w.metrics, log: log},
			dlTopic, deadLetterFilter(cfg.Retry.OnExhausted))
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", in.Name, err)
		}
		keyedSub := NewKeyedSubscriber(sub, func(m *message.Message) string { return consumers.OrderingKey(m.Payload) }, in.Concurrency)
		rh := w.router.AddHandler(in.Name, in.Queue, keyedSub, cfg.Changes.Topic, changesPublisher{Publisher: w.changes, input: in.Name, metrics: w.metrics}, warm(w.pool, h.handle))
		rh.AddMiddleware(
			ensureCorrelationID,
			middleware.CorrelationID,
			h.observe,
			hold,
			poison,
			func(next message.HandlerFunc) message.HandlerFunc { return retry(cfg.Retry, next) },
			attemptTimeout(cfg.Retry.HandlerTimeout),
			middleware.Recoverer,
		)
		w.handlers++
	}
	if err := w.tr.declareAMQP(dedupe(amqpQueues)); err != nil {
		return nil, err
	}
	return w, nil
}

// warm runs each attempt of h on one of the pool's long-lived goroutines (see package warmpool: the
// router's goroutine per message would grow its stack for the store's deep S3 calls on every message).
func warm(pool *warmpool.Pool, h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) (out []*message.Message, err error) {
		pool.Run(func() { out, err = h(msg) })
		return out, err
	}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Database is the store the worker writes.
func (w *Worker) Database() *store.Database { return w.db }

// Metrics are the worker's metrics.
func (w *Worker) Metrics() *Metrics { return w.metrics }

// GoChannel is the in-process Pub/Sub (nil when no gochannel transport is configured).
func (w *Worker) GoChannel() *gochannel.GoChannel { return w.tr.goChannel }

// Running is closed once every handler is subscribed and consuming.
func (w *Worker) Running() chan struct{} { return w.router.Running() }

// Run serves HTTP (unless http.addr is "off") and consumes until ctx ends, then shuts down gracefully:
// it stops taking messages, lets in-flight ones finish (their changes published, then acked) within
// shutdown_timeout, flushes the store's background work, and closes the transports.
func (w *Worker) Run(ctx context.Context) error {
	if w.cfg.HTTP.Addr != "off" {
		srv, err := w.serveHTTP(w.cfg.HTTP.Addr)
		if err != nil {
			return errors.Join(err, w.shutdown())
		}
		w.server = srv
	}
	routerErr := make(chan error, 1)
	go func() { routerErr <- w.router.Run(context.WithoutCancel(ctx)) }()
	select {
	case <-w.router.Running():
		w.running.Store(true)
		w.log.Info("worker running", "inputs", w.handlers, "changes", w.cfg.Changes.Transport+":"+w.cfg.Changes.Topic)
	case err := <-routerErr:
		return errors.Join(fmt.Errorf("start router: %w", err), w.shutdown())
	case <-ctx.Done():
	}
	select {
	case <-ctx.Done():
	case err := <-routerErr:
		// Every handler stopped by itself (their subscriptions ended): nothing is consumed any more.
		w.running.Store(false)
		return errors.Join(fmt.Errorf("the router stopped: every input's subscription ended (%v)", err), w.shutdown())
	}
	w.log.Info("shutting down: finishing in-flight messages", "timeout", w.cfg.ShutdownTimeout)
	w.running.Store(false)
	w.stop()
	closeErr := w.router.Close()
	<-routerErr
	return errors.Join(closeErr, w.shutdown())
}

func (w *Worker) shutdown() error {
	w.stop()
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.ShutdownTimeout+time.Second)
	defer cancel()
	var errs []error
	w.pool.Close()
	if w.db != nil {
		errs = append(errs, w.db.Flush(ctx))
	}
	errs = append(errs, w.tr.close())
	if w.server != nil {
		errs = append(errs, w.server.Shutdown(ctx))
	}
	w.log.Info("worker stopped")
	return errors.Join(errs...)
}
