package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// countingHTTP counts the HTTP requests a client sends (retries and re-reads included), so that the
// benchmark reports requests per operation as measured, not as designed.
type countingHTTP struct {
	next aws.HTTPClient
	n    atomic.Int64
}

func (c *countingHTTP) Do(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.Do(req)
}

// The store's operations on versitygw next to the raw S3 requests they cost, in the same run:
//
//	insert = one conditional PutObject     (raw: PutObject with the same metadata and body size)
//	get    = one GetObject                  (raw: GetObject, body read)
//	update = one GetObject + one conditional PutObject (raw: GetObject + PutObject)
//	list   = Resource.List(ctx, 100): a listing + 100 GetObject, 16 at a time
//	         (raw: ListObjectsV2 MaxKeys 100 + 100 GetObject, 16 at a time)
//	page   = Resource.Page(ctx, 100, ""): the same requests (raw: as for list)
//
// at concurrency 1 and 32. The raw requests go through the store's own SDK client (same transport,
// same connection pool), and every HTTP request of either side is counted: "req/op" is measured.
// Run with the services up:
//
//	./scripts/test.sh -run '^$' -bench 'Store' -benchtime 1000x ./store/
//
// or ./bench/store.sh, which also runs s3db.js; docs/benchmarks.md has the figures.
func BenchmarkStore(b *testing.B) {
	const listRecords = 1000
	ctx := context.Background()
	e := testenv.S3(b)
	bucket := testenv.NewBucket(b)
	cfg, err := objstore.ParseConnectionString(e.ConnectionString(bucket, "bench"))
	if err != nil {
		b.Fatal(err)
	}
	// The transport objstore builds by default, wrapped in a counter.
	counter := &countingHTTP{next: awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = objstore.DefaultMaxConnections
		tr.MaxIdleConnsPerHost = objstore.DefaultMaxConnections
	})}
	objs, err := objstore.NewS3(ctx, *cfg, objstore.S3Options{HTTPClient: counter})
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.New(ctx, objs, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	users, err := db.CreateResource(ctx, store.Definition{Name: "users", Attributes: ordered(b,
		`{"name":"string","email":"email","city":"string|optional","age":"number|integer|optional","score":"number|optional","active":"boolean|optional","tags":"array|items:string|optional"}`)})
	if err != nil {
		b.Fatal(err)
	}
	record := func() map[string]any {
		return map[string]any{"name": "Ada Lovelace", "email": "ada@example.com", "city": "London",
			"age": 36, "score": 98.5, "active": true, "tags": []any{"math", "engine"}}
	}
	raw := objs.Client()
	// What the store writes for record(): these headers and a {"_rev"} JSON body of this size.
	meta := map[string]string{"0": "Ada Lovelace", "1": "ada@example.com", "2": "London", "3": "A", "4": "1A.5", "5": "1", "6": "math|engine", "_v": "v1"}
	rawBody := []byte(`{"_rev":"1764000000000000:AbCdEfGh"}`)
	rawKey := func(i int64) string { return fmt.Sprintf("bench/raw/id=u%08d", i) }
	rawPut := func(k string) error {
		_, err := raw.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader(rawBody),
			ContentLength: aws.Int64(int64(len(rawBody))), ContentType: aws.String("application/json"), Metadata: meta})
		return err
	}
	rawGet := func(k string) error {
		out, err := raw.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			return err
		}
		defer out.Body.Close()
		_, err = io.Copy(io.Discard, out.Body)
		return err
	}
	// rawList is one listing page of 100 keys and their gets, 16 at a time as Resource.GetMany does.
	rawList := func() error {
		out, err := raw.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("bench/raw/"), MaxKeys: aws.Int32(100)})
		if err != nil {
			return err
		}
		sem := make(chan struct{}, 16)
		var wg sync.WaitGroup
		var failed atomic.Pointer[error]
		for _, o := range out.Contents {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if err := rawGet(aws.ToString(o.Key)); err != nil {
					failed.Store(&err)
				}
			})
		}
		wg.Wait()
		if p := failed.Load(); p != nil {
			return *p
		}
		if len(out.Contents) != 100 {
			return fmt.Errorf("raw listing returned %d keys, want 100", len(out.Contents))
		}
		return nil
	}

	for _, conc := range []int{1, 32} {
		// bench runs op b.N times at this concurrency and reports the HTTP requests per op.
		bench := func(name string, op func(i int64) error) {
			b.Run(fmt.Sprintf("c%d/%s", conc, name), func(b *testing.B) {
				var seq atomic.Int64
				counter.n.Store(0)
				if conc == 1 {
					for b.Loop() {
						if err := op(seq.Add(1)); err != nil {
							b.Fatal(err)
						}
					}
				} else {
					b.SetParallelism(conc / 2) // GOMAXPROCS is 2 on our machines: 32 goroutines
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := op(seq.Add(1)); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				b.ReportMetric(float64(counter.n.Load())/float64(b.N), "req/op")
			})
		}
		// Writes use fresh keys (counted), reads and updates cycle over what was written.
		var rawN, insN atomic.Int64
		id := func(i int64) string { return fmt.Sprintf("c%d-u%08d", conc, i) }
		bench("raw-put", func(int64) error { return rawPut(rawKey(rawN.Add(1))) })
		bench("insert", func(int64) error {
			rec := record()
			rec["id"] = id(insN.Add(1))
			_, err := users.Insert(ctx, rec)
			return err
		})
		bench("raw-get", func(i int64) error { return rawGet(rawKey(1 + i%rawN.Load())) })
		bench("get", func(i int64) error {
			_, err := users.Get(ctx, id(1+i%insN.Load()))
			return err
		})
		bench("raw-get+put", func(i int64) error {
			k := rawKey(1 + i%rawN.Load())
			if err := rawGet(k); err != nil {
				return err
			}
			return rawPut(k)
		})
		bench("update", func(i int64) error {
			// one record per operation at a time: contention is TestNoLostUpdates' subject
			_, err := users.Update(ctx, id(1+i%insN.Load()), map[string]any{"score": float64(i)})
			return err
		})
		// The listings run over listRecords records or more on each side, whatever ran before
		// (a run of the list benchmarks alone writes them here, 32 at a time).
		fill := func(n *atomic.Int64, write func(i int64) error) {
			var wg sync.WaitGroup
			for range 32 {
				wg.Go(func() {
					for i := n.Add(1); i <= listRecords; i = n.Add(1) {
						if err := write(i); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			n.Store(listRecords) // every Add past listRecords wrote nothing
		}
		if rawN.Load() < listRecords {
			fill(&rawN, func(i int64) error { return rawPut(rawKey(i)) })
		}
		if insN.Load() < listRecords {
			fill(&insN, func(i int64) error {
				rec := record()
				rec["id"] = id(i)
				_, err := users.Insert(ctx, rec)
				return err
			})
		}
		bench("raw-list", func(int64) error { return rawList() })
		bench("list", func(int64) error {
			recs, err := users.List(ctx, 100)
			if err == nil && len(recs) != 100 {
				err = fmt.Errorf("List returned %d records, want 100", len(recs))
			}
			return err
		})
		// Not in the list: the same page through Resource.Page, whose listing asks for
		// 100 keys (List asks for a full page of 1,000 and keeps 100).
		bench("page", func(int64) error {
			p, err := users.Page(ctx, 100, "")
			if err == nil && len(p.Items) != 100 {
				err = fmt.Errorf("Page returned %d records, want 100", len(p.Items))
			}
			return err
		})
	}
}
