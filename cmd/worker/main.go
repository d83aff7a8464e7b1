// Command worker is the s3db-go pipeline service: Watermill routers that consume SQS and RabbitMQ
// messages into the S3 store and publish a change event for every write.
//
//	worker                      embedded mode: local store under ./data, in-process transport, a bundled
//	                            sample feed, changes to ./data/changes.jsonl; prints a summary and exits
//	worker --config FILE        run the service described by a YAML file (see configs/)
//	worker --check-config FILE  validate a config file and exit (0 valid, 1 invalid)
//
// Exit status: 0 ok, 1 error, 2 bad usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultGCPercent is the worker's garbage-collection target unless GOGC is set. The worker's live
// heap is small (tens of MB: messages in flight and their records) and its garbage is per-message
// churn, so the default of 100 makes it collect very often; on a machine whose cores it shares
// with the S3 server and the broker, that CPU is throughput lost (measured: 1,190 → 1,448 msg/s
// from RabbitMQ into versitygw on 2 cores, docs/benchmarks.md). GOMEMLIMIT still caps the heap.
const defaultGCPercent = 400

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
