package store_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store"
)

// A write repeated with the same TxID (a redelivered message) is recognised and not applied again,
// for every operation, and reports the same change ID while the record is still at that write.
func TestTxIDMakesWritesIdempotent(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		r, err := db.CreateResource(ctx, store.Definition{Name: "wallets", Attributes: ordered(t, `{"owner":"string","n":"number|integer"}`)})
		require.NoError(t, err)
		var events []store.Change
		var mu sync.Mutex
		defer r.OnChange(func(c store.Change) { mu.Lock(); events = append(events, c); mu.Unlock() })()

		first, err := r.Insert(ctx, map[string]any{"id": "w1", "owner": "ada", "n": 1}, store.TxID("m1"))
		require.NoError(t, err)
		again, err := r.Insert(ctx, map[string]any{"id": "w1", "owner": "ada", "n": 1}, store.TxID("m1"))
		require.NoError(t, err, "a redelivered insert does not fail")
		assert.True(t, again.Duplicate)
		assert.Equal(t, first.ID, again.ID, "same change id: sinks deduplicate")
		assert.Equal(t, first.Rev, again.Rev)
		_, err = r.Insert(ctx, map[string]any{"id": "w1", "owner": "bob", "n": 1}, store.TxID("other"))
		assert.ErrorIs(t, err, store.ErrAlreadyExists, "another message inserting the same id is refused")

		inc := func(rec store.Record) error { rec["n"] = rec["n"].(float64) + 1; return nil }
		u1, err := r.Modify(ctx, "w1", inc, store.TxID("m2"))
		require.NoError(t, err)
		u2, err := r.Modify(ctx, "w1", inc, store.TxID("m2"))
		require.NoError(t, err)
		assert.True(t, u2.Duplicate)
		assert.Equal(t, u1.ID, u2.ID)
		assert.Equal(t, "update", u2.Op)

		// An upsert that went the update way, redelivered after a later write: not applied again,
		// and no change to publish (the later write's change describes the record).
		_, err = r.Upsert(ctx, map[string]any{"id": "w1", "owner": "cy"}, store.TxID("m3"))
		require.NoError(t, err)
		_, err = r.Modify(ctx, "w1", inc, store.TxID("m4"))
		require.NoError(t, err)
		up, err := r.Upsert(ctx, map[string]any{"id": "w1", "owner": "cy"}, store.TxID("m3"))
		require.NoError(t, err)
		assert.True(t, up.Duplicate)
		assert.Empty(t, up.ID, "superseded: nothing to publish")

		got, err := r.Get(ctx, "w1")
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"id": "w1", "owner": "cy", "n": float64(3)}, got)

		d1, err := r.Delete(ctx, "w1", store.TxID("m5"))
		require.NoError(t, err)
		d2, err := r.Delete(ctx, "w1", store.TxID("m5"))
		require.NoError(t, err, "a redelivered delete does not fail")
		assert.True(t, d2.Duplicate)
		assert.False(t, d1.Duplicate)
		_, err = r.Delete(ctx, "w1")
		assert.ErrorIs(t, err, store.ErrNotFound, "without a TxID a missing record is still an error")

		mu.Lock()
		defer mu.Unlock()
		var ops []string
		for _, e := range events {
			ops = append(ops, e.Op)
		}
		assert.Equal(t, []string{"insert", "update", "update", "update", "delete"}, ops, "duplicates emit no events")
	})
}

// Concurrent redeliveries of the same increment apply it once.
func TestTxIDConcurrentRedeliveries(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		r, err := db.CreateResource(ctx, store.Definition{Name: "c", Attributes: ordered(t, `{"n":"number|integer"}`)})
		require.NoError(t, err)
		_, err = r.Insert(ctx, map[string]any{"id": "c", "n": 0})
		require.NoError(t, err)
		var wg sync.WaitGroup
		for msg := 0; msg < 10; msg++ {
			for copyN := 0; copyN < 3; copyN++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := r.Modify(ctx, "c", func(rec store.Record) error { rec["n"] = rec["n"].(float64) + 1; return nil }, store.TxID(fmt.Sprint("msg", msg)))
					assert.NoError(t, err)
				}()
			}
		}
		wg.Wait()
		got, err := r.Get(ctx, "c")
		require.NoError(t, err)
		assert.Equal(t, float64(10), got["n"], "10 messages, each delivered 3 times, applied once each")
	})
}

func TestReplaceInsertManyAndPartitionReads(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{AsyncPartitions: true})
		require.NoError(t, err)
		r, err := db.CreateResource(ctx, store.Definition{
			Name: "people", Timestamps: true,
			Attributes: ordered(t, `{"name":"string|required","city":"string|optional","age":"number|optional"}`),
			Partitions: ordered(t, `{"byCity":{"fields":{"city":"string"}}}`),
		})
		require.NoError(t, err)

		changes, err := r.InsertMany(ctx, []map[string]any{
			{"id": "p1", "name": "Ada", "city": "London", "age": 36},
			{"id": "p2", "city": "Paris"}, // name is required
			{"id": "p3", "name": "Grace", "city": "NYC"},
		})
		var rowErr *store.RowError
		require.ErrorAs(t, err, &rowErr)
		assert.Equal(t, 1, rowErr.Index)
		var verr *schema.ValidationError
		assert.ErrorAs(t, err, &verr)
		assert.Equal(t, "p1", changes[0].Key)
		assert.Empty(t, changes[1].Key)
		assert.Equal(t, "p3", changes[2].Key)

		created, err := r.Get(ctx, "p1")
		require.NoError(t, err)
		ch, err := r.Replace(ctx, map[string]any{"id": "p1", "name": "Ada L.", "city": "Paris"})
		require.NoError(t, err)
		assert.Equal(t, "update", ch.Op)
		got, err := r.Get(ctx, "p1")
		require.NoError(t, err)
		assert.NotContains(t, got, "age", "replace removes fields it does not set")
		assert.Equal(t, created["createdAt"], got["createdAt"], "createdAt is kept")
		assert.Equal(t, "Ada L.", got["name"])
		ch, err = r.Replace(ctx, map[string]any{"id": "p4", "name": "New", "city": "Paris"})
		require.NoError(t, err)
		assert.Equal(t, "insert", ch.Op, "a missing record is created")
		_, err = r.Replace(ctx, map[string]any{"name": "no id"})
		assert.ErrorAs(t, err, &verr)

		require.NoError(t, db.Flush(ctx))
		ids, err := r.ListIDsByPartition(ctx, "byCity", map[string]any{"city": "Paris"})
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"p1", "p4"}, ids, "references moved on replace (written in the background)")
		rec, err := r.GetFromPartition(ctx, "byCity", map[string]any{"city": "Paris"}, "p1")
		require.NoError(t, err)
		assert.Equal(t, "Ada L.", rec["name"])
		_, err = r.GetFromPartition(ctx, "byCity", map[string]any{"city": "London"}, "p1")
		assert.ErrorIs(t, err, store.ErrNotFound, "no longer in that partition")
		_, err = r.GetFromPartition(ctx, "byCity", map[string]any{}, "p1")
		var perr *store.PartitionError
		assert.ErrorAs(t, err, &perr)
		_, err = r.GetFromPartition(ctx, "nope", map[string]any{"city": "Paris"}, "p1")
		assert.ErrorAs(t, err, &perr)
	})
}

func TestBinaryContent(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		r, err := db.CreateResource(ctx, store.Definition{Name: "files", Attributes: ordered(t, `{"name":"string","size":"number|optional"}`)})
		require.NoError(t, err)
		_, err = r.Insert(ctx, map[string]any{"id": "f1", "name": "logo.png"})
		require.NoError(t, err)
		has, err := r.HasContent(ctx, "f1")
		require.NoError(t, err)
		assert.False(t, has)

		png := []byte("\x89PNG\r\n\x1a\n\x00\x00binary{}")
		_, err = r.SetContent(ctx, "f1", png, "image/png")
		require.NoError(t, err)
		body, ct, err := r.Content(ctx, "f1")
		require.NoError(t, err)
		assert.Equal(t, png, body)
		assert.Equal(t, "image/png", ct)
		has, err = r.HasContent(ctx, "f1")
		require.NoError(t, err)
		assert.True(t, has)

		_, err = r.Update(ctx, "f1", map[string]any{"size": 16})
		require.NoError(t, err)
		body, _, err = r.Content(ctx, "f1")
		require.NoError(t, err)
		assert.Equal(t, png, body, "a field update keeps the content")
		got, err := r.Get(ctx, "f1")
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"id": "f1", "name": "logo.png", "size": float64(16)}, got)

		// A JSON document as content stays content (its type says so).
		_, err = r.SetContent(ctx, "f1", []byte(`{"name":"not a field"}`), "application/vnd.api+json")
		require.NoError(t, err)
		got, err = r.Get(ctx, "f1")
		require.NoError(t, err)
		assert.Equal(t, "logo.png", got["name"])

		_, err = r.DeleteContent(ctx, "f1")
		require.NoError(t, err)
		body, _, err = r.Content(ctx, "f1")
		require.NoError(t, err)
		assert.Nil(t, body)
		// Plain again: conditional updates are guarded by the revision in the body again.
		incrementConcurrentlyField(t, r, "f1", "size", 4, 5)
		got, err = r.Get(ctx, "f1")
		require.NoError(t, err)
		assert.Equal(t, float64(36), got["size"])

		_, err = r.SetContent(ctx, "nope", png, "")
		assert.ErrorIs(t, err, store.ErrNotFound)
		_, err = r.SetContent(ctx, "f1", png, "application/json")
		assert.ErrorIs(t, err, store.ErrContentConflict)

		// A record that keeps fields in its body cannot take content.
		ov, err := db.CreateResource(ctx, store.Definition{Name: "notes", Behavior: "body-only", Attributes: ordered(t, `{"text":"string"}`)})
		require.NoError(t, err)
		_, err = ov.Insert(ctx, map[string]any{"id": "n1", "text": "hello"})
		require.NoError(t, err)
		_, err = ov.SetContent(ctx, "n1", png, "image/png")
		assert.ErrorIs(t, err, store.ErrContentConflict)
		got, err = ov.Get(ctx, "n1")
		require.NoError(t, err)
		assert.Equal(t, "hello", got["text"], "unchanged")
	})
}

// incrementConcurrentlyField adds 1 to a numeric field from several goroutines.
func incrementConcurrentlyField(t *testing.T, r *store.Resource, id, field string, writers, each int) {
	t.Helper()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := r.Modify(context.Background(), id, func(rec store.Record) error {
					rec[field] = rec[field].(float64) + 1
					return nil
				})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
}

// Binary content is shared with s3db.js both ways.
func TestInteropContent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "content")
	run := interopRunner(t)
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	r, err := db.CreateResource(ctx, store.Definition{Name: "files", Attributes: ordered(t, `{"name":"string","size":"number|optional"}`)})
	require.NoError(t, err)
	_, err = r.Insert(ctx, map[string]any{"id": "go1", "name": "from go"})
	require.NoError(t, err)
	goBytes := []byte{0, 1, 2, 255, 'g', 'o'}
	_, err = r.SetContent(ctx, "go1", goBytes, "application/x-go")
	require.NoError(t, err)
	jsBytes := []byte{9, 8, 7, 0, 'j', 's'}

	res, err := run(ctx, conn, []map[string]any{
		{"op": "content", "resource": "files", "id": "go1"},
		{"op": "get", "resource": "files", "id": "go1"},
		{"op": "insert", "resource": "files", "record": map[string]any{"id": "js1", "name": "from js", "size": 6}},
		{"op": "setContent", "resource": "files", "id": "js1", "base64": base64.StdEncoding.EncodeToString(jsBytes), "contentType": "application/x-js"},
	})
	require.NoError(t, err)
	for _, x := range res {
		require.True(t, x.OK, "%s: %s", x.Op, x.Error)
	}
	var c struct {
		Base64      string `json:"base64"`
		ContentType string `json:"contentType"`
	}
	require.NoError(t, json.Unmarshal(res[0].Result, &c))
	assert.Equal(t, base64.StdEncoding.EncodeToString(goBytes), c.Base64, "s3db.js reads Go's content")
	assert.Equal(t, "application/x-go", c.ContentType)
	assert.JSONEq(t, `{"id":"go1","name":"from go"}`, string(res[1].Result), "s3db.js reads the fields beside it")

	body, ct, err := r.Content(ctx, "js1")
	require.NoError(t, err)
	assert.Equal(t, jsBytes, body, "Go reads s3db.js's content")
	assert.Equal(t, "application/x-js", ct)
	got, err := r.Get(ctx, "js1")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": "js1", "name": "from js", "size": float64(6)}, got)
	_, err = r.Update(ctx, "js1", map[string]any{"size": 7})
	require.NoError(t, err)
	res, err = run(ctx, conn, []map[string]any{
		{"op": "content", "resource": "files", "id": "js1"},
		{"op": "get", "resource": "files", "id": "js1"},
	})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(res[0].Result, &c))
	assert.Equal(t, base64.StdEncoding.EncodeToString(jsBytes), c.Base64, "a Go update keeps s3db.js's content")
	assert.JSONEq(t, `{"id":"js1","name":"from js","size":7}`, string(res[1].Result))
}
