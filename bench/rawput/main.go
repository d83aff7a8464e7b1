// Command rawput is the raw S3 baseline of bench/ingest.sh: plain aws-sdk-go-v2 PutObject and
// GetObject of objects shaped like s3db records (about 300 bytes of metadata and a small JSON
// body), at a given concurrency, against the endpoint of S3DB_TEST_S3. It prints one JSON line:
// {"op":"put","n":…,"concurrency":…,"seconds":…,"per_second":…}.
//
//	rawput -op mkbucket -bucket B
//	rawput -op put -bucket B -n 200000 -c 32
//	rawput -op get -bucket B -n 200000 -c 32     (reads what put wrote)
//	rawput -op list -bucket B                     (every key, 1,000 per ListObjectsV2 page, as export lists)
//	rawput -op rmbucket -bucket B                 (empties and removes it)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func main() {
	op := flag.String("op", "put", "mkbucket, put or get")
	bucket := flag.String("bucket", "", "bucket")
	n := flag.Int("n", 10000, "objects")
	conc := flag.Int("c", 32, "concurrency")
	flag.Parse()
	if err := run(context.Background(), *op, *bucket, *n, *conc); err != nil {
		fmt.Fprintln(os.Stderr, "rawput:", err)
		os.Exit(1)
	}
}

func client() (*s3.Client, error) {
	raw := os.Getenv("S3DB_TEST_S3")
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return nil, errors.New("S3DB_TEST_S3 must be http://KEY:SECRET@host:port")
	}
	secret, _ := u.User.Password()
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConnsPerHost = 1024
		tr.MaxIdleConns = 1024
	})
	return s3.New(s3.Options{
		BaseEndpoint:               aws.String(u.Scheme + "://" + u.Host),
		UsePathStyle:               true,
		Region:                     "us-east-1",
		HTTPClient:                 httpClient,
		Credentials:                credentials.NewStaticCredentialsProvider(u.User.Username(), secret, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}), nil
}

func run(ctx context.Context, op, bucket string, n, conc int) error {
	c, err := client()
	if err != nil {
		return err
	}
	if bucket == "" {
		return errors.New("-bucket is required")
	}
	switch op {
	case "mkbucket":
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		return err
	case "rmbucket":
		return removeBucket(ctx, c, bucket)
	case "list":
		return listAll(ctx, c, bucket)
	}
	// What the store writes for a ~300-byte row: metadata of that size and a small JSON body.
	meta := map[string]string{"0": "Ada Lovelace", "1": "ada@example.com", "2": "London", "3": "A", "4": "1A.5", "5": "1",
		"6": "math|engine|poetry|analysis", "7": "u:" + string(bytes.Repeat([]byte("x"), 150)), "_v": "v1"}
	body := []byte(`{"_rev":"1764000000000000:AbCdEfGh","_mh":"0123456789abcdef"}`)
	key := func(i int64) string { return fmt.Sprintf("raw/data/id=r%09d", i) }
	var next, failed atomic.Int64
	var firstErr atomic.Pointer[error]
	do := func(i int64) error {
		switch op {
		case "put":
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key(i)), Body: bytes.NewReader(body),
				ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String("application/json"), Metadata: meta,
				IfNoneMatch: aws.String("*")})
			return err
		case "get":
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key(i))})
			if err != nil {
				return err
			}
			defer out.Body.Close()
			_, err = io.Copy(io.Discard, out.Body)
			return err
		}
		return fmt.Errorf("unknown -op %q", op)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if err := do(i); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	if p := firstErr.Load(); p != nil {
		return fmt.Errorf("%d of %d failed, the first: %w", failed.Load(), n, *p)
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"op": op, "n": n, "concurrency": conc, "seconds": secs, "per_second": float64(n) / secs})
}

// removeBucket deletes every object of the bucket, a page at a time, then the bucket.
func removeBucket(ctx context.Context, c *s3.Client, bucket string) error {
	for {
		page, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		if len(page.Contents) == 0 {
			break
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		if _, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return err
		}
	}
	_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	return err
}

// listAll lists every key of the bucket, a page of 1,000 at a time, and prints keys per second.
func listAll(ctx context.Context, c *s3.Client, bucket string) error {
	start := time.Now()
	n := 0
	var token *string
	for {
		page, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), ContinuationToken: token})
		if err != nil {
			return err
		}
		n += len(page.Contents)
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		token = page.NextContinuationToken
	}
	secs := time.Since(start).Seconds()
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"op": "list", "n": n, "seconds": secs, "per_second": float64(n) / secs})
}
