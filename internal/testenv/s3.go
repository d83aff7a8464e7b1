package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Region is the region every test client uses; versitygw accepts it and s3db.js 21.6.2 always signs with it.
const Region = "us-east-1"

// EnvKeepBuckets, when set to a non-empty value, keeps the buckets made by NewBucket (their names are
// logged) so that a failing test can be inspected afterwards.
const EnvKeepBuckets = "S3DB_TEST_KEEP_BUCKETS"

// cleanupTimeout bounds the emptying and removal of one test bucket.
const cleanupTimeout = 60 * time.Second

// S3Endpoint is the S3 service under test, taken apart from S3DB_TEST_S3.
type S3Endpoint struct {
	URL       string // scheme://host:port, without credentials or path
	AccessKey string
	SecretKey string
	Region    string // always us-east-1
}

// String is the endpoint URL without the credentials, safe to log.
func (e S3Endpoint) String() string { return e.URL }

// ConnectionString returns the s3db connection string (path style, as s3db.js and s3db-go read it) for a
// bucket and key prefix: http://KEY:SECRET@host:port/bucket/prefix with the credentials percent-encoded.
func (e S3Endpoint) ConnectionString(bucket, prefix string) string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return ""
	}
	s := u.Scheme + "://" + componentEscape(e.AccessKey) + ":" + componentEscape(e.SecretKey) + "@" + u.Host + "/" + bucket
	if p := strings.Trim(prefix, "/"); p != "" {
		s += "/" + p
	}
	return s
}

// componentEscape percent-encodes like JavaScript's encodeURIComponent (space as %20, not +), which is what
// both s3db.js and url.Parse decode.
func componentEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// S3 returns the S3 endpoint of S3DB_TEST_S3 (default: the loopback versitygw). It skips the test when the
// variable is set to "" and fails it when the URL is malformed, has no credentials, or does not answer.
func S3(t testing.TB) S3Endpoint {
	t.Helper()
	raw := lookup(t, EnvS3, DefaultS3)
	ep, err := ParseS3URL(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	u, _ := url.Parse(ep.URL)
	requireReachable(t, EnvS3, "S3", hostPort(u, defaultPortFor(u.Scheme)))
	return ep
}

// ParseS3URL splits an S3DB_TEST_S3 value (http(s)://KEY:SECRET@host:port, secret percent-encoded) into
// an S3Endpoint. A path other than "/" is rejected: buckets come from NewBucket.
func ParseS3URL(raw string) (S3Endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return S3Endpoint{}, fmt.Errorf("parse S3 URL %q: %w", redact(raw), err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return S3Endpoint{}, fmt.Errorf("S3 URL %q: want scheme http or https", redact(raw))
	}
	if u.Host == "" {
		return S3Endpoint{}, fmt.Errorf("S3 URL %q: no host", redact(raw))
	}
	if u.Path != "" && u.Path != "/" {
		return S3Endpoint{}, fmt.Errorf("S3 URL %q: must not contain a path (a bucket); tests make their own buckets", redact(raw))
	}
	secret, hasSecret := u.User.Password()
	if u.User == nil || u.User.Username() == "" || !hasSecret {
		return S3Endpoint{}, fmt.Errorf("S3 URL %q: want credentials as http://KEY:SECRET@host:port (URL-encode / in the secret as %%2F)", redact(raw))
	}
	return S3Endpoint{
		URL:       u.Scheme + "://" + u.Host,
		AccessKey: u.User.Username(),
		SecretKey: secret,
		Region:    Region,
	}, nil
}

// Client returns an aws-sdk-go-v2 S3 client for the endpoint: path style, region us-east-1, static
// credentials, and checksums only where the API requires them (what s3db.js's SDK sends to this server).
func (e S3Endpoint) Client() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint:               aws.String(e.URL),
		UsePathStyle:               true,
		Region:                     e.Region,
		Credentials:                credentials.NewStaticCredentialsProvider(e.AccessKey, e.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// S3Client returns a client for the S3 endpoint of S3DB_TEST_S3 (see S3 for skips and failures).
func S3Client(t testing.TB) *s3.Client {
	t.Helper()
	return S3(t).Client()
}

// NewBucket creates a bucket with a unique name on the S3DB_TEST_S3 endpoint and returns its name. The
// bucket and everything in it are deleted when the test ends (unless S3DB_TEST_KEEP_BUCKETS is set).
func NewBucket(t testing.TB) string {
	t.Helper()
	client := S3Client(t)
	name := BucketName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create test bucket %s: %v", name, err)
	}
	t.Cleanup(func() {
		if os.Getenv(EnvKeepBuckets) != "" {
			t.Logf("keeping bucket %s (%s is set)", name, EnvKeepBuckets)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := DeleteBucket(ctx, client, name); err != nil {
			t.Errorf("delete test bucket %s: %v", name, err)
		}
	})
	return name
}

// BucketName returns a fresh valid bucket name (3-63 characters of [a-z0-9-]) that contains a readable
// part of hint (a test name) and 8 random hex digits.
func BucketName(hint string) string {
	var b strings.Builder
	dash := true // no leading dash, no runs of dashes
	for _, r := range strings.ToLower(hint) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	readable := strings.Trim(b.String(), "-")
	const maxReadable = 63 - len("t--") - 8
	if len(readable) > maxReadable {
		readable = strings.Trim(readable[:maxReadable], "-")
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:]) // crypto/rand.Read never fails on supported platforms
	if readable == "" {
		return "t-" + hex.EncodeToString(rnd[:])
	}
	return "t-" + readable + "-" + hex.EncodeToString(rnd[:])
}

// DeleteBucket deletes every object of the bucket (in pages of up to 1000 keys) and then the bucket.
// A bucket that does not exist is not an error.
func DeleteBucket(ctx context.Context, client *s3.Client, bucket string) error {
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if isNoSuchBucket(err) {
				return nil
			}
			return fmt.Errorf("list objects of %s: %w", bucket, err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, 0, len(page.Contents))
		for _, obj := range page.Contents {
			ids = append(ids, types.ObjectIdentifier{Key: obj.Key})
		}
		out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("delete objects of %s: %w", bucket, err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("delete objects of %s: %d failed, first %s: %s %s", bucket, len(out.Errors),
				aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message))
		}
	}
	if _, err := client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil && !isNoSuchBucket(err) {
		return fmt.Errorf("delete bucket %s: %w", bucket, err)
	}
	return nil
}

func isNoSuchBucket(err error) bool {
	var nsb *types.NoSuchBucket
	if errors.As(err, &nsb) {
		return true
	}
	var api interface{ ErrorCode() string }
	return errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket"
}
