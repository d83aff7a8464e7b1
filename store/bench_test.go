package store_test

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store"
)

// The store's operations on versitygw next to the raw S3 requests they cost, in the same run:
//
//	insert = one conditional PutObject     (raw: PutObject with the same metadata)
//	get    = one GetObject                  (raw: GetObject)
//	update = one GetObject + one conditional PutObject (raw: GetObject + PutObject)
//
// at concurrency 1 and 32. Run with the services up:
//
//	./scripts/test.sh -run '^$' -bench 'Store' -benchtime 2000x ./store/
//
// docs/benchmarks.md has the figures.
func BenchmarkStore(b *testing.B) {
	ctx := context.Background()
	e := testenv.S3(b)
	bucket := testenv.NewBucket(b)
	db, err := store.Open(ctx, e.ConnectionString(bucket, "bench"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	users, err := db.CreateResource(ctx, store.Definition{Name: "users", Attributes: ordered(b,
		`{"name":"string","email":"email","city":"string|optional","age":"number|integer|optional","score":"number|optional","active":"boolean|optional","tags":"array|items:string|optional"}`)})
	if err != nil {
		b.Fatal(err)
	}
	record := func(i int64) map[string]any {
		return map[string]any{"id": fmt.Sprintf("u%08d", i), "name": "Ada Lovelace", "email": "ada@example.com", "city": "London",
			"age": 36, "score": 98.5, "active": true, "tags": []any{"math", "engine"}}
	}
	raw := e.Client()
	meta := map[string]string{"0": "Ada Lovelace", "1": "ada@example.com", "2": "London", "3": "A", "4": "1A.5", "5": "1", "6": "math|engine", "_v": "v1"}
	rawKey := func(i int64) string { return fmt.Sprintf("bench/raw/id=u%08d", i) }
	_ = record

	for _, conc := range []int{1, 32} {
		run := func(b *testing.B, op func(i int64) error) {
			var seq atomic.Int64
			if conc == 1 {
				for b.Loop() {
					if err := op(seq.Add(1)); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
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
		// Writes use fresh keys (counted), reads and updates cycle over what was written.
		var rawN, insN atomic.Int64
		id := func(i int64) string { return fmt.Sprintf("c%d-u%08d", conc, i) }
		b.Run(fmt.Sprintf("c%d/raw-put", conc), func(b *testing.B) {
			run(b, func(int64) error {
				i := rawN.Add(1)
				_, err := raw.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(rawKey(i)), Body: bytes.NewReader(nil), Metadata: meta})
				return err
			})
		})
		b.Run(fmt.Sprintf("c%d/insert", conc), func(b *testing.B) {
			run(b, func(int64) error {
				rec := record(0)
				rec["id"] = id(insN.Add(1))
				_, err := users.Insert(ctx, rec)
				return err
			})
		})
		b.Run(fmt.Sprintf("c%d/raw-get", conc), func(b *testing.B) {
			run(b, func(i int64) error {
				out, err := raw.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(rawKey(1 + i%rawN.Load()))})
				if err == nil {
					out.Body.Close()
				}
				return err
			})
		})
		b.Run(fmt.Sprintf("c%d/get", conc), func(b *testing.B) {
			run(b, func(i int64) error {
				_, err := users.Get(ctx, id(1+i%insN.Load()))
				return err
			})
		})
		b.Run(fmt.Sprintf("c%d/raw-get+put", conc), func(b *testing.B) {
			run(b, func(i int64) error {
				k := rawKey(1 + i%rawN.Load())
				out, err := raw.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
				if err != nil {
					return err
				}
				out.Body.Close()
				_, err = raw.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader(nil), Metadata: meta})
				return err
			})
		})
		b.Run(fmt.Sprintf("c%d/update", conc), func(b *testing.B) {
			run(b, func(i int64) error {
				// one record per operation at a time: contention is TestNoLostUpdates' subject
				_, err := users.Update(ctx, id(1+i%insN.Load()), map[string]any{"score": float64(i)})
				return err
			})
		})
	}
}
