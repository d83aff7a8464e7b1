// Command s3db is the command-line client of s3db-go: it lists and defines resources and reads and
// writes their records in a bucket shared with s3db.js. Run "s3db help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	app := &App{Getenv: os.Getenv}
	code := app.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
