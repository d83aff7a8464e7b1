package pipeline

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the worker's Prometheus metrics, on a registry of their own (no global state).
type Metrics struct {
	Registry *prometheus.Registry

	Received     *prometheus.CounterVec   // input
	Applied      *prometheus.CounterVec   // input, resource, op
	Duplicates   *prometheus.CounterVec   // input
	Failed       *prometheus.CounterVec   // input, reason: failed attempts
	DeadLettered *prometheus.CounterVec   // input, reason
	Published    *prometheus.CounterVec   // input: change events published
	Latency      *prometheus.HistogramVec // input, outcome: whole handling of a message, retries included
	// PublishLatency is the publication of a message's change event (input, outcome), after the handler.
	PublishLatency *prometheus.HistogramVec
	InFlight       *prometheus.GaugeVec // input

	S3Requests *prometheus.CounterVec   // op, outcome
	S3Latency  *prometheus.HistogramVec // op
	S3Cost     prometheus.Counter       // estimated request cost in US dollars

	// ChangesBlocked is 1 while the broker blocks the change events (a RabbitMQ resource alarm); nil
	// unless the changes go to RabbitMQ.
	ChangesBlocked prometheus.GaugeFunc
}

// watchBlocked exports whether b is blocked, read at each scrape.
func (m *Metrics) watchBlocked(b blockable) {
	m.ChangesBlocked = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "s3db_worker_changes_blocked",
		Help: "1 while the broker blocks the change events (a RabbitMQ resource alarm: no message can be acked), else 0."},
		func() float64 {
			if b.Blocked() != nil {
				return 1
			}
			return 0
		})
	m.Registry.MustRegister(m.ChangesBlocked)
}

// NewMetrics creates the metrics and registers them, with the Go and process collectors, on a new
// registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Received: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_messages_received_total",
			Help: "Messages taken from an input (each delivery counts)."}, []string{"input"}),
		Applied: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_messages_applied_total",
			Help: "Messages whose write was applied to the store."}, []string{"input", "resource", "op"}),
		Duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_messages_duplicate_total",
			Help: "Messages found already applied (redeliveries), acked without writing."}, []string{"input"}),
		Failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_attempts_failed_total",
			Help: "Failed handling attempts, by error reason (transient ones are retried)."}, []string{"input", "reason"}),
		DeadLettered: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_messages_dead_lettered_total",
			Help: "Messages sent to the dead-letter topic."}, []string{"input", "reason"}),
		Published: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_worker_changes_published_total",
			Help: "Change events handed to the changes publisher."}, []string{"input"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "s3db_worker_handler_seconds",
			Help:    "Time to handle a message, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12)}, []string{"input", "outcome"}),
		PublishLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "s3db_worker_change_publish_seconds",
			Help:    "Time to publish a message's change event (until the broker confirmed it), by outcome (ok, error).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12)}, []string{"input", "outcome"}),
		InFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "s3db_worker_messages_in_flight",
			Help: "Messages being handled now."}, []string{"input"}),
		S3Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3db_s3_requests_total",
			Help: "Object-store requests, by operation and outcome (ok, not_found, precondition_failed, error)."}, []string{"op", "outcome"}),
		S3Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "s3db_s3_request_seconds",
			Help:    "Object-store request latency.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12)}, []string{"op"}),
		S3Cost: prometheus.NewCounter(prometheus.CounterOpts{Name: "s3db_s3_request_cost_dollars_total",
			Help: "Estimated S3 request cost at S3 Standard list prices (PUT/COPY/LIST $0.005, GET/HEAD $0.0004 per 1,000; DELETE free)."}),
	}
	m.Registry.MustRegister(m.Received, m.Applied, m.Duplicates, m.Failed, m.DeadLettered, m.Published, m.Latency,
		m.PublishLatency, m.InFlight, m.S3Requests, m.S3Latency, m.S3Cost,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
