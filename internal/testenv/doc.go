// Package testenv gives integration tests the services that scripts/test.sh starts: S3 (versitygw), SQS
// (fauxqs), RabbitMQ, PostgreSQL and the s3db.js 21.6.2 runner used as the interoperability oracle.
//
// Every service is named by one environment variable (the contract documented at the top of
// scripts/test.sh):
//
//	S3DB_TEST_S3        http://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY@127.0.0.1:7070
//	S3DB_TEST_SQS       http://127.0.0.1:4566
//	S3DB_TEST_AMQP      amqp://guest:guest@127.0.0.1:5672/
//	S3DB_TEST_POSTGRES  postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	S3DBJS_RUN          <repo>/../shared/tools/s3dbjs/run.sh
//
// An unset variable means the loopback default above, so `go test` works without the script once the
// services run. A variable set to the empty string turns the service off: the accessor calls t.Skip
// with a message naming the variable. A service that is on but does not answer fails the test with a
// hint instead of skipping, so a broken environment is never mistaken for a passing run.
package testenv
