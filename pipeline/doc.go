// Package pipeline is the Watermill wiring of the worker: for each configured input, a router handler
// that takes messages from a transport (GoChannel in embedded mode, RabbitMQ through package
// pipeline/amqp, SQS through package pipeline/sqs), applies them to the store through package consumers,
// and publishes the resulting change event (DESIGN §4) before the message is acknowledged.
//
// Around each handler, outermost first: correlation id, metrics, the poison queue (a message that
// failed for good goes to the dead-letter topic with the error in its metadata, and is acked so it never
// blocks its queue), retry with capped exponential backoff and jitter (permanent errors are not
// retried), a per-attempt timeout, and panic recovery. Messages about the same record are handled one at
// a time and in order, those about different records concurrently ([KeyedSubscriber]).
//
// [Worker] puts it together from a [Config] (YAML, with environment overrides) and serves /healthz,
// /readyz and /metrics.
package pipeline
