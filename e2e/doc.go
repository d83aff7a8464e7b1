// Package e2e holds the end-to-end tests of the worker: the cmd/worker binary between real
// queues (RabbitMQ, SQS on fauxqs) and a real S3 (versitygw), with crashes injected — the worker
// killed with SIGKILL, the broker killed and restarted — and the outcome checked record by record.
// It has no code of its own.
package e2e
