package objstore_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store/objstore"
)

// benchRecord looks like an s3db record: a small JSON body and a dozen metadata fields.
var (
	benchBody = bytes.Repeat([]byte(`{"k":"v"}`), 100) // 900 bytes
	benchMeta = func() map[string]string {
		md := map[string]string{"_v": "v1"}
		for i := range 12 {
			md[strconv.Itoa(i)] = "u:value-of-field-" + strconv.Itoa(i)
		}
		return md
	}()
)

const benchKeys = 100

// parallel runs op b.N times with conc goroutines; ns/op is wall time divided by b.N.
func parallel(b *testing.B, conc int, op func(i int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				if err := op(i); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
}

func benchStore(b *testing.B, s objstore.Store) {
	ctx := context.Background()
	for i := range benchKeys {
		if _, err := s.Put(ctx, "bench/read/"+strconv.Itoa(i), benchBody, objstore.PutOptions{Metadata: benchMeta, ContentType: "application/json"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, conc := range []int{1, 32} {
		b.Run(fmt.Sprintf("Put/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error {
				_, err := s.Put(ctx, "bench/write/"+strconv.Itoa(i%1000), benchBody, objstore.PutOptions{Metadata: benchMeta, ContentType: "application/json"})
				return err
			})
		})
		b.Run(fmt.Sprintf("Get/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error {
				_, err := s.Get(ctx, "bench/read/"+strconv.Itoa(i%benchKeys))
				return err
			})
		})
		b.Run(fmt.Sprintf("Head/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error {
				_, err := s.Head(ctx, "bench/read/"+strconv.Itoa(i%benchKeys))
				return err
			})
		})
	}
}

func BenchmarkDir(b *testing.B) {
	d, err := objstore.OpenDir(b.TempDir(), objstore.DirOptions{})
	if err != nil {
		b.Fatal(err)
	}
	benchStore(b, d)
}

func BenchmarkDir_NoSync(b *testing.B) {
	d, err := objstore.OpenDir(b.TempDir(), objstore.DirOptions{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	benchStore(b, d)
}

func BenchmarkS3(b *testing.B) {
	benchStore(b, newS3(b, "app"))
}

// BenchmarkRawSDK is the baseline: the same requests with a plain aws-sdk-go-v2 client on the same
// versitygw (testenv's client: default HTTP pool, checksums only when required).
func BenchmarkRawSDK(b *testing.B) {
	client := testenv.S3Client(b)
	bucket := testenv.NewBucket(b)
	ctx := context.Background()
	put := func(key string) error {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(benchBody),
			ContentLength: aws.Int64(int64(len(benchBody))), Metadata: benchMeta, ContentType: aws.String("application/json"),
		})
		return err
	}
	for i := range benchKeys {
		if err := put("app/bench/read/" + strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	for _, conc := range []int{1, 32} {
		b.Run(fmt.Sprintf("Put/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error { return put("app/bench/write/" + strconv.Itoa(i%1000)) })
		})
		b.Run(fmt.Sprintf("Get/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("app/bench/read/" + strconv.Itoa(i%benchKeys))})
				if err != nil {
					return err
				}
				_, err = io.ReadAll(out.Body)
				_ = out.Body.Close()
				return err
			})
		})
		b.Run(fmt.Sprintf("Head/c=%d", conc), func(b *testing.B) {
			parallel(b, conc, func(i int) error {
				_, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("app/bench/read/" + strconv.Itoa(i%benchKeys))})
				return err
			})
		})
	}
}
