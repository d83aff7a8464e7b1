package sqs_test

import (
	"flag"
	"os"
	"testing"

	"github.com/s3db-go/s3db/internal/testenv"
)

// TestMain leaves the examples out when SQS is switched off (S3DB_TEST_SQS set to ""): unlike tests, an
// example cannot skip itself, and the package's examples talk to SQS.
func TestMain(m *testing.M) {
	flag.Parse()
	if v, set := os.LookupEnv(testenv.EnvSQS); set && v == "" {
		skip := "^Example"
		if f := flag.Lookup("test.skip"); f != nil {
			if cur := f.Value.String(); cur != "" {
				skip = cur + "|" + skip
			}
			_ = f.Value.Set(skip)
		}
	}
	os.Exit(m.Run())
}
