package objstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/s3db-go/s3db/store/objstore"
)

// The read-modify-write loop of an update: read, change, write back only if nobody wrote meanwhile.
func Example() {
	dir, _ := os.MkdirTemp("", "objstore-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := objstore.Open(ctx, "file://"+dir) // or s3://KEY:SECRET@bucket/prefix, http://…
	if err != nil {
		fmt.Println(err)
		return
	}
	key := "resource=wallets/data/id=w1"
	_, err = s.Put(ctx, key, []byte("10"), objstore.PutOptions{
		Metadata:    map[string]string{"_v": "v1", "balance": "10"},
		ContentType: "text/plain",
		IfNoneMatch: true, // insert: fail if the record exists
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	for {
		cur, err := s.Get(ctx, key)
		if err != nil {
			fmt.Println(err)
			return
		}
		n, _ := strconv.Atoi(string(cur.Body))
		next := strconv.Itoa(n + 5)
		_, err = s.Put(ctx, key, []byte(next), objstore.PutOptions{
			Metadata: map[string]string{"_v": "v1", "balance": next},
			IfMatch:  cur.ETag,
		})
		if objstore.IsRaceLost(err) {
			continue // someone else wrote first: read again
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		break
	}

	obj, _ := s.Get(ctx, key)
	fmt.Println(obj.Metadata["balance"], obj.ETag)

	_, err = s.Get(ctx, "resource=wallets/data/id=nope")
	fmt.Println(errors.Is(err, objstore.ErrNotFound), errors.Is(err, os.ErrNotExist))
	// Output:
	// 15 "9bf31c7ff062936a96d3c8bd1f8f2ff3"
	// true true
}

func ExampleParseConnectionString() {
	cfg, err := objstore.ParseConnectionString("http://AKIA:wJal%2FK7MD@127.0.0.1:7070/my-bucket/app/db")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Endpoint, cfg.Bucket, cfg.Prefix, cfg.SecretAccessKey)
	fmt.Println(cfg)
	// Output:
	// http://127.0.0.1:7070 my-bucket app/db wJal/K7MD
	// http://AKIA:xxxxx@127.0.0.1:7070/my-bucket/app/db
}
