package testenv

import (
	"net"
	"net/url"
	"os"
	"testing"
	"time"
)

// Names of the environment variables of the test contract.
const (
	EnvS3       = "S3DB_TEST_S3"
	EnvSQS      = "S3DB_TEST_SQS"
	EnvAMQP     = "S3DB_TEST_AMQP"
	EnvPostgres = "S3DB_TEST_POSTGRES"
	EnvS3DBJS   = "S3DBJS_RUN"
)

// Loopback defaults used when a variable is unset (the same values scripts/test.sh exports).
const (
	DefaultS3       = "http://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY@127.0.0.1:7070"
	DefaultSQS      = "http://127.0.0.1:4566"
	DefaultAMQP     = "amqp://guest:guest@127.0.0.1:5672/"
	DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
)

// dialTimeout bounds the reachability probe of a service; everything is on loopback in the normal case.
const dialTimeout = 2 * time.Second

// lookup returns the value of the variable, def when it is unset, and skips the test when it is set to
// the empty string (the service is explicitly off).
func lookup(t testing.TB, name, def string) string {
	t.Helper()
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	if v == "" {
		t.Skipf("%s is set to the empty string: this service is off, skipping", name)
	}
	return v
}

// requireReachable fails the test when nothing accepts TCP connections on hostport, with a hint on how to
// start the services or turn this one off.
func requireReachable(t testing.TB, name, what, hostport string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", hostport, dialTimeout)
	if err != nil {
		t.Fatalf("%s at %s is not reachable (%v): run the tests with ./scripts/test.sh, which starts it, "+
			"or set %s= (empty) to skip the tests that need it", what, hostport, err, name)
	}
	_ = conn.Close()
}

// hostPort returns u's host with the scheme's default port when none is given.
func hostPort(u *url.URL, defaultPort string) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), defaultPort)
}

// redact returns the URL text without its password, for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}
