package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// exampleResource defines "users" in a fresh local-directory database.
func exampleResource(ctx context.Context) (*store.Resource, func()) {
	dir, err := os.MkdirTemp("", "s3db-example-")
	if err != nil {
		panic(err)
	}
	db, err := store.Open(ctx, "file://"+dir, store.Options{})
	if err != nil {
		panic(err)
	}
	var attrs codec.Ordered
	_ = json.Unmarshal([]byte(`{"name":"string|required","region":"string"}`), &attrs)
	users, err := db.CreateResource(ctx, store.Definition{Name: "users", Attributes: attrs,
		Partitions: codec.Ordered{{Name: "byRegion", Value: codec.Ordered{{Name: "fields", Value: codec.Ordered{{Name: "region", Value: "string"}}}}}}})
	if err != nil {
		panic(err)
	}
	return users, func() { _ = os.RemoveAll(dir) }
}

// A Writer takes rows one at a time and writes them a few at once; Write blocks while that many
// are in flight. Each row's outcome comes back with its position.
func ExampleResource_NewWriter() {
	ctx := context.Background()
	users, cleanup := exampleResource(ctx)
	defer cleanup()

	failed := map[int64]error{}
	w := users.NewWriter(store.WriterOptions{
		Concurrency: 4,
		OnResult: func(r store.WriteResult) { // serialized: no lock needed
			if r.Err != nil {
				failed[r.Pos] = r.Err
			}
		},
	})
	rows := []map[string]any{
		{"id": "u1", "name": "Ada", "region": "eu"},
		{"id": "u2", "region": "us"}, // no name: rejected
		{"id": "u3", "name": "Cy", "region": "eu"},
	}
	for i, data := range rows {
		// The TxID makes a re-run of the same row a duplicate instead of an error.
		if _, err := w.Write(ctx, store.Row{Data: data, TxID: fmt.Sprintf("load-1/%d", i)}); err != nil {
			panic(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", w.Stats())
	fmt.Println("row 1 failed:", failed[1] != nil)
	// Output:
	// {Written:2 Duplicates:0 Failed:1}
	// row 1 failed: true
}

// StreamRecords reads a resource (here one partition) with bounded memory: records are fetched a few
// at a time as the loop consumes them.
func ExampleResource_StreamRecords() {
	ctx := context.Background()
	users, cleanup := exampleResource(ctx)
	defer cleanup()
	for i, region := range []string{"eu", "us", "eu", "eu"} {
		if _, err := users.Insert(ctx, map[string]any{"id": fmt.Sprintf("u%d", i), "name": "n", "region": region}); err != nil {
			panic(err)
		}
	}

	opts := store.ReadOptions{
		IDs:         store.IDsOptions{Partition: "byRegion", Values: map[string]any{"region": "eu"}},
		Concurrency: 2,
		Ordered:     true, // key order
	}
	for rec, err := range users.StreamRecords(ctx, opts) {
		if err != nil {
			fmt.Println("error:", err) // a *RecordError names the record; the stream goes on
			continue
		}
		fmt.Println(rec["id"], rec["region"])
	}
	// Output:
	// u0 eu
	// u2 eu
	// u3 eu
}

// StreamIDs lists ids a page at a time.
func ExampleResource_StreamIDs() {
	ctx := context.Background()
	users, cleanup := exampleResource(ctx)
	defer cleanup()
	for _, id := range []string{"b", "a", "c"} {
		if _, err := users.Insert(ctx, map[string]any{"id": id, "name": "n", "region": "eu"}); err != nil {
			panic(err)
		}
	}
	for id, err := range users.StreamIDs(ctx, store.IDsOptions{PageSize: 2}) {
		if err != nil {
			panic(err)
		}
		fmt.Print(id, " ")
	}
	fmt.Println()
	// Output: a b c
}
