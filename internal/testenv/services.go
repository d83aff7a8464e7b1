package testenv

import (
	"net/url"
	"testing"
)

// SQSEndpoint returns the base URL of the SQS endpoint (fauxqs by default), for the SDK's BaseEndpoint.
// Any access key and secret are accepted by fauxqs. Skips when S3DB_TEST_SQS is set to "".
func SQSEndpoint(t testing.TB) string {
	t.Helper()
	raw := lookup(t, EnvSQS, DefaultSQS)
	u := mustParse(t, EnvSQS, raw, "http", "https")
	requireReachable(t, EnvSQS, "SQS", hostPort(u, defaultPortFor(u.Scheme)))
	return raw
}

// AMQPURL returns the RabbitMQ URL. Skips when S3DB_TEST_AMQP is set to "".
func AMQPURL(t testing.TB) string {
	t.Helper()
	raw := lookup(t, EnvAMQP, DefaultAMQP)
	u := mustParse(t, EnvAMQP, raw, "amqp", "amqps")
	requireReachable(t, EnvAMQP, "RabbitMQ", hostPort(u, defaultPortFor(u.Scheme)))
	return raw
}

// PostgresURL returns the PostgreSQL URL. Skips when S3DB_TEST_POSTGRES is set to "".
func PostgresURL(t testing.TB) string {
	t.Helper()
	raw := lookup(t, EnvPostgres, DefaultPostgres)
	u := mustParse(t, EnvPostgres, raw, "postgres", "postgresql")
	requireReachable(t, EnvPostgres, "PostgreSQL", hostPort(u, defaultPortFor(u.Scheme)))
	return raw
}

// mustParse parses raw as a URL with one of the given schemes, failing the test otherwise.
func mustParse(t testing.TB, name, raw string, schemes ...string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: invalid URL %q: %v", name, redact(raw), err)
	}
	for _, s := range schemes {
		if u.Scheme == s && u.Host != "" {
			return u
		}
	}
	t.Fatalf("%s: want a %v URL with a host, got %q", name, schemes, redact(raw))
	return nil
}

func defaultPortFor(scheme string) string {
	switch scheme {
	case "https":
		return "443"
	case "amqp":
		return "5672"
	case "amqps":
		return "5671"
	case "postgres", "postgresql":
		return "5432"
	default:
		return "80"
	}
}
