package testenv_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    testenv.S3Endpoint
		wantErr string
	}{
		{
			name: "default",
			raw:  testenv.DefaultS3,
			want: testenv.S3Endpoint{URL: "http://127.0.0.1:7070", AccessKey: "AKIAIOSFODNN7EXAMPLE",
				SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Region: "us-east-1"},
		},
		{
			name: "https with trailing slash",
			raw:  "https://k:s%40x@s3.example.com/",
			want: testenv.S3Endpoint{URL: "https://s3.example.com", AccessKey: "k", SecretKey: "s@x", Region: "us-east-1"},
		},
		{name: "no credentials", raw: "http://127.0.0.1:7070", wantErr: "want credentials"},
		{name: "no secret", raw: "http://key@127.0.0.1:7070", wantErr: "want credentials"},
		{name: "bucket path", raw: "http://k:s@127.0.0.1:7070/bucket", wantErr: "must not contain a path"},
		{name: "scheme", raw: "s3://k:s@bucket", wantErr: "want scheme http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := testenv.ParseS3URL(tt.raw)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), ":s@", "the secret must not leak into errors")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestS3Endpoint_ConnectionString(t *testing.T) {
	ep := testenv.S3Endpoint{URL: "http://127.0.0.1:7070", AccessKey: "AK", SecretKey: "a/b+c d:e@f", Region: "us-east-1"}
	tests := []struct {
		name, bucket, prefix, want string
	}{
		{name: "no prefix", bucket: "b", want: "http://AK:a%2Fb%2Bc%20d%3Ae%40f@127.0.0.1:7070/b"},
		{name: "prefix", bucket: "b", prefix: "/run/1/", want: "http://AK:a%2Fb%2Bc%20d%3Ae%40f@127.0.0.1:7070/b/run/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ep.ConnectionString(tt.bucket, tt.prefix)
			assert.Equal(t, tt.want, got)
			u, err := url.Parse(got)
			require.NoError(t, err)
			secret, _ := u.User.Password()
			assert.Equal(t, ep.SecretKey, secret, "the secret must decode back")
		})
	}
	assert.Equal(t, "http://127.0.0.1:7070", ep.String(), "String must not show credentials")
}

func TestBucketName(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	tests := []struct {
		name, hint, wantPrefix string
	}{
		{name: "test name", hint: "TestStore/Insert_Get", wantPrefix: "t-teststore-insert-get-"},
		{name: "empty", hint: "", wantPrefix: "t-"},
		{name: "only symbols", hint: "/__/", wantPrefix: "t-"},
		{name: "long", hint: strings.Repeat("Abc_", 40), wantPrefix: "t-abc-abc-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := testenv.BucketName(tt.hint)
			assert.Regexp(t, valid, got)
			assert.NotContains(t, got, "--")
			assert.True(t, strings.HasPrefix(got, tt.wantPrefix), "%q should start with %q", got, tt.wantPrefix)
			assert.NotEqual(t, got, testenv.BucketName(tt.hint), "names must be unique")
		})
	}
}

// skipped reports whether fn skipped the subtest it ran in.
func skipped(t *testing.T, fn func(t *testing.T)) bool {
	t.Helper()
	var inner *testing.T
	t.Run("inner", func(t *testing.T) {
		inner = t
		fn(t)
	})
	return inner.Skipped()
}

func TestServiceOff_skips(t *testing.T) {
	tests := []struct {
		name string
		env  string
		call func(t *testing.T)
	}{
		{name: "S3", env: testenv.EnvS3, call: func(t *testing.T) { testenv.S3(t) }},
		{name: "S3Client", env: testenv.EnvS3, call: func(t *testing.T) { testenv.S3Client(t) }},
		{name: "NewBucket", env: testenv.EnvS3, call: func(t *testing.T) { testenv.NewBucket(t) }},
		{name: "SQS", env: testenv.EnvSQS, call: func(t *testing.T) { testenv.SQSEndpoint(t) }},
		{name: "AMQP", env: testenv.EnvAMQP, call: func(t *testing.T) { testenv.AMQPURL(t) }},
		{name: "Postgres", env: testenv.EnvPostgres, call: func(t *testing.T) { testenv.PostgresURL(t) }},
		{name: "S3DBJS", env: testenv.EnvS3DBJS, call: func(t *testing.T) { testenv.S3DBJS(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.env, "")
			assert.True(t, skipped(t, tt.call), "an empty %s must skip", tt.env)
		})
	}
}

func TestS3_default_when_unset(t *testing.T) {
	if _, set := os.LookupEnv(testenv.EnvS3); set {
		t.Skipf("%s is set; this test checks the unset default", testenv.EnvS3)
	}
	ep := testenv.S3(t)
	assert.Equal(t, "http://127.0.0.1:7070", ep.URL)
}

func TestNewBucket_creates_and_deletes(t *testing.T) {
	client := testenv.S3Client(t)
	ctx := t.Context()
	var bucket string
	keys := []string{"s3db.json", "run/resource=r/data/id=1", "run/resource=r/partition=p/x=1/id=1", "run/z/é ü"}
	t.Run("use", func(t *testing.T) {
		bucket = testenv.NewBucket(t)
		for _, k := range keys {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k),
				Body: bytes.NewReader([]byte("x")), Metadata: map[string]string{"_v": "v1"}})
			require.NoError(t, err, k)
		}
		out, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		assert.Len(t, out.Contents, len(keys))
	})
	require.NotEmpty(t, bucket)
	_, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	require.Error(t, err, "the bucket must be gone after the subtest's cleanup")
	var status interface{ HTTPStatusCode() int }
	require.True(t, errors.As(err, &status))
	assert.Equal(t, http.StatusNotFound, status.HTTPStatusCode())
}

func TestDeleteBucket_missing_is_ok(t *testing.T) {
	client := testenv.S3Client(t)
	require.NoError(t, testenv.DeleteBucket(t.Context(), client, testenv.BucketName("missing")))
}

func TestS3Client_metadata_roundtrip(t *testing.T) {
	bucket := testenv.NewBucket(t)
	client := testenv.S3Client(t)
	ctx := t.Context()
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"),
		Body: strings.NewReader(`{"a":1}`), ContentType: aws.String("application/json"),
		Metadata: map[string]string{"0": "u:caf%C3%A9", "_V": "v1"}})
	require.NoError(t, err)
	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
	require.NoError(t, err)
	defer got.Body.Close()
	body, err := io.ReadAll(got.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(body))
	assert.Equal(t, "application/json", aws.ToString(got.ContentType))
	assert.Equal(t, map[string]string{"0": "u:caf%C3%A9", "_v": "v1"}, got.Metadata, "names come back lower-cased")
}

func TestSQSEndpoint_health(t *testing.T) {
	ep := testenv.SQSEndpoint(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(ep, "/")+"/health", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
}

func TestAMQPURL_and_PostgresURL(t *testing.T) {
	t.Run("amqp", func(t *testing.T) {
		u, err := url.Parse(testenv.AMQPURL(t))
		require.NoError(t, err)
		assert.Equal(t, "amqp", u.Scheme)
	})
	t.Run("postgres", func(t *testing.T) {
		u, err := url.Parse(testenv.PostgresURL(t))
		require.NoError(t, err)
		assert.Equal(t, "postgres", u.Scheme)
	})
}

func TestRepoRoot(t *testing.T) {
	root := testenv.RepoRoot(t)
	assert.FileExists(t, filepath.Join(root, "go.mod"))
	assert.FileExists(t, filepath.Join(root, "internal", "testenv", "doc.go"))
	assert.Equal(t, filepath.Join(filepath.Dir(root), "shared"), testenv.SharedDir(t))
}

func TestJS_Run(t *testing.T) {
	js := testenv.S3DBJS(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute) // the first run may install the harness
	defer cancel()

	t.Run("stdout, env and args", func(t *testing.T) {
		out, err := js.RunSource(ctx, `
import { S3db } from "s3db.js";
const pkg = (await import("s3db.js/package.json", { with: { type: "json" } })).default;
console.log(JSON.stringify({ args: process.argv.slice(2), hello: process.env.HELLO, s3db: typeof S3db, version: pkg.version }));
`, map[string]string{"HELLO": "wörld"}, "a", "b c")
		require.NoError(t, err)
		assert.JSONEq(t, `{"args":["a","b c"],"hello":"wörld","s3db":"function","version":"21.6.2"}`, string(out))
	})

	t.Run("file script", func(t *testing.T) {
		dir := t.TempDir()
		script := filepath.Join(dir, "echo.mjs")
		require.NoError(t, os.WriteFile(script, []byte(`process.stdout.write(process.argv[2]);`), 0o600))
		out, err := js.Run(ctx, script, nil, "xyz")
		require.NoError(t, err)
		assert.Equal(t, "xyz", string(out))
	})

	t.Run("failure carries stderr", func(t *testing.T) {
		out, err := js.RunSource(ctx, `console.log("partial"); console.error("boom detail"); process.exit(3);`, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "boom detail")
		assert.Contains(t, err.Error(), "exit status 3")
		assert.Equal(t, "partial\n", string(out))
	})
}
