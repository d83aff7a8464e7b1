package consumers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/consumers"
	"github.com/s3db-go/s3db/store"
)

// A message applied twice (a redelivery: same transport id) writes once.
func ExampleConsumer_Handle() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "consumers-example")
	defer os.RemoveAll(dir)
	db, _ := store.Open(ctx, "file://"+dir, store.Options{})
	var attrs codec.Ordered
	_ = json.Unmarshal([]byte(`{"name":"string|required"}`), &attrs)
	_, _ = db.CreateResource(ctx, store.Definition{Name: "users", Attributes: attrs})

	c := consumers.New(db, nil)
	body := []byte(`{"resource":"users","action":"insert","data":{"id":"u1","name":"Ada"}}`)
	for range 2 {
		res, err := c.Handle(ctx, body, "sqs-message-id-1")
		fmt.Println(res.Change.Op, res.Change.Key, "duplicate:", res.Duplicate, "key from:", res.KeySource, "err:", err)
	}
	_, err := c.Handle(ctx, []byte(`{"resource":"users","action":"insert","data":{"id":"u2"}}`), "sqs-message-id-2")
	fmt.Println("permanent:", consumers.IsPermanent(err), "reason:", consumers.Reason(err))
	// Output:
	// insert u1 duplicate: false key from: message-id err: <nil>
	// insert u1 duplicate: true key from: message-id err: <nil>
	// permanent: true reason: validation
}
