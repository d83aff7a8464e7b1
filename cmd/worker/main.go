// Command worker is the s3db-go pipeline service: Watermill routers that consume SQS and RabbitMQ
// messages into the S3 store. It is being built; today it only says so.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "s3db-go worker: not yet — the encoding layer (codec, schema, behaviors) is in place; "+
		"the store and the worker come next (see the README's status section).")
}
