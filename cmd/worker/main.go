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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
