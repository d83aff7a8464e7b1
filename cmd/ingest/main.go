// Command ingest bulk-loads a JSONL or CSV file into an s3db resource through the store's stream
// writer (bounded concurrency, backpressure), or publishes its rows as inbound messages
// (DESIGN §3) to RabbitMQ or SQS for the worker to apply.
//
//	ingest --connection URL --resource users [--upsert] [--format jsonl|csv] [--reject FILE]
//	       [--state FILE] [--concurrency N] FILE|-
//	ingest --publish amqp://guest:guest@localhost:5672/users-in --resource users FILE
//
// Every row is accounted for: accepted, rejected (written to the reject file with its line number
// and the reason) or found already written by an earlier run. A run can be interrupted (Ctrl-C,
// SIGTERM, even SIGKILL) and started again with the same arguments: it resumes after the last
// checkpoint and never writes a row twice (see identity.go for how rows get stable ids). Exit
// status: 0 every row accepted, 1 rows rejected or the run failed, 2 bad usage, 130 interrupted.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once
	}()
	app := &App{Getenv: os.Getenv, Stdin: os.Stdin, Stderr: os.Stderr}
	code := app.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
