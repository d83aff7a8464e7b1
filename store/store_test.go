package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// backends runs fn against every backend: versitygw (a fresh bucket) and a local directory.
func backends(t *testing.T, fn func(t *testing.T, conn string)) {
	t.Run("versitygw", func(t *testing.T) {
		e := testenv.S3(t)
		fn(t, e.ConnectionString(testenv.NewBucket(t), "db"))
	})
	t.Run("local", func(t *testing.T) {
		fn(t, "file://"+t.TempDir())
	})
}

func ordered(t testing.TB, js string) codec.Ordered {
	t.Helper()
	var o codec.Ordered
	require.NoError(t, json.Unmarshal([]byte(js), &o))
	return o
}

func TestCRUDAndPartitions(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		users, err := db.CreateResource(ctx, store.Definition{
			Name:       "users",
			Attributes: ordered(t, `{"name":"string|required","region":"string","age":"number|integer|optional","token":"secret|optional"}`),
			Behavior:   "body-overflow",
			Timestamps: true,
			Partitions: ordered(t, `{"byRegion":{"fields":{"region":"string"}}}`),
		})
		require.NoError(t, err)

		rec, err := recordOf(users.Insert(ctx, map[string]any{"id": "u1", "name": " Ada ", "region": "us", "age": "36", "token": "hunter2"}))
		require.NoError(t, err)
		assert.Equal(t, "Ada", rec["name"])
		assert.Equal(t, 36.0, rec["age"])

		got, err := users.Get(ctx, "u1")
		require.NoError(t, err)
		assert.Equal(t, "hunter2", got["token"], "secrets decrypt on read")
		assert.Equal(t, "u1", got["id"])

		_, err = users.Insert(ctx, map[string]any{"id": "u1", "name": "Again", "region": "eu"})
		require.ErrorIs(t, err, store.ErrAlreadyExists)
		got, _ = users.Get(ctx, "u1")
		assert.Equal(t, "Ada", got["name"], "a refused insert changes nothing")

		_, err = users.Insert(ctx, map[string]any{"id": "u2", "name": "Bob", "region": "usa"})
		require.NoError(t, err)
		ids, err := users.ListIDsByPartition(ctx, "byRegion", map[string]any{"region": "us"})
		require.NoError(t, err)
		assert.Equal(t, []string{"u1"}, ids, "us does not match usa")

		_, err = users.Update(ctx, "u1", map[string]any{"region": "eu"})
		require.NoError(t, err)
		ids, _ = users.ListIDsByPartition(ctx, "byRegion", map[string]any{"region": "us"})
		assert.Empty(t, ids, "the old reference is gone")
		ids, _ = users.ListIDsByPartition(ctx, "byRegion", map[string]any{"region": "eu"})
		assert.Equal(t, []string{"u1"}, ids)

		n, err := users.Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, n)

		_, err = users.Delete(ctx, "u1")
		require.NoError(t, err)
		_, err = users.Get(ctx, "u1")
		require.ErrorIs(t, err, store.ErrNotFound)
		ids, _ = users.ListIDsByPartition(ctx, "byRegion", map[string]any{"region": "eu"})
		assert.Empty(t, ids)

		// A second process sees the resource and its data.
		db2, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		assert.Equal(t, []string{"users"}, db2.Resources())
		u2, err := db2.Resource("users")
		require.NoError(t, err)
		got, err = u2.Get(ctx, "u2")
		require.NoError(t, err)
		assert.Equal(t, "Bob", got["name"])
	})
}

// 16 writers × 50 read-modify-write increments of one field end at exactly 800.
func TestNoLostUpdates(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		counters, err := db.CreateResource(ctx, store.Definition{Name: "counters", Attributes: ordered(t, `{"n":"number|integer"}`)})
		require.NoError(t, err)
		_, err = counters.Insert(ctx, map[string]any{"id": "c", "n": 0})
		require.NoError(t, err)
		const writers, each = 16, 50
		incrementConcurrently(t, counters, "c", writers, each)
		got, err := counters.Get(ctx, "c")
		require.NoError(t, err)
		assert.Equal(t, float64(writers*each), got["n"])
	})
}

// Two databases creating different resources at once both survive in s3db.json.
func TestConcurrentCreateResource(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := store.Open(ctx, conn, store.Options{})
				if err == nil {
					_, err = db.CreateResource(ctx, store.Definition{Name: fmt.Sprintf("r%d", i), Attributes: ordered(t, `{"a":"string"}`)})
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		assert.Len(t, db.Resources(), 8)
	})
}

// Bad input gets a typed error and leaves the bucket unchanged.
func TestBadInputChangesNothing(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		_, err = db.Resource("nope")
		require.ErrorIs(t, err, store.ErrUnknownResource)

		strict, err := db.CreateResource(ctx, store.Definition{Name: "strict", Behavior: "enforce-limits",
			Attributes: ordered(t, `{"name":"string|min:2","bio":"string|optional","email":"email|optional"}`)})
		require.NoError(t, err)

		_, err = strict.Insert(ctx, map[string]any{"id": "a", "name": "A"})
		var ve *schema.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "name", ve.Errors[0].Field)
		assert.Equal(t, "stringMin", ve.Errors[0].Rule)

		_, err = strict.Insert(ctx, map[string]any{"id": "b", "name": "Bob", "email": "not-an-email"})
		require.ErrorIs(t, err, store.ErrValidation)

		_, err = strict.Insert(ctx, map[string]any{"id": "c", "name": "Big", "bio": strings.Repeat("x", 3000)})
		require.ErrorIs(t, err, store.ErrMetadataLimit)

		_, err = strict.Insert(ctx, map[string]any{"id": "bad/id", "name": "Bob"})
		require.ErrorIs(t, err, codec.ErrInvalidID)

		n, err := strict.Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "nothing was written")
	})
}

// A corrupt s3db.json is reported and left alone (s3db.js would overwrite it with a blank file).
func TestCorruptMetadata(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	objs, err := objstore.Open(ctx, "file://"+dir)
	require.NoError(t, err)
	_, err = objs.Put(ctx, "s3db.json", []byte(`{"version": "1", "resources": {"a": garbage`), objstore.PutOptions{})
	require.NoError(t, err)
	_, err = store.New(ctx, objs, store.Options{})
	var ce *store.CorruptMetadataError
	require.True(t, errors.As(err, &ce), "got %v", err)
	obj, err := objs.Get(ctx, "s3db.json")
	require.NoError(t, err)
	assert.Contains(t, string(obj.Body), "garbage", "unchanged")
}

func TestHooksAndBulkDeletes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "file://"+t.TempDir(), store.Options{})
	require.NoError(t, err)
	paranoid, err := db.CreateResource(ctx, store.Definition{Name: "keep", Attributes: ordered(t, `{"a":"string"}`)})
	require.NoError(t, err)
	_, err = paranoid.DeleteAll(ctx)
	require.ErrorIs(t, err, store.ErrParanoid)

	no := false
	r, err := db.CreateResource(ctx, store.Definition{Name: "tmp", Attributes: ordered(t, `{"a":"string","b":"string|optional"}`),
		Paranoid: &no, Partitions: ordered(t, `{"byA":{"fields":{"a":"string"}}}`)})
	require.NoError(t, err)
	var after []string
	r.SetHooks(store.Hooks{
		BeforeInsert: []store.Hook{func(_ context.Context, rec store.Record) error {
			if rec["a"] == "forbidden" {
				return errors.New("no")
			}
			rec["b"] = "set by hook"
			return nil
		}},
		AfterDelete: []store.Hook{func(_ context.Context, rec store.Record) error {
			after = append(after, rec["id"].(string))
			return nil
		}},
	})
	rec, err := recordOf(r.Insert(ctx, map[string]any{"id": "x", "a": "ok"}))
	require.NoError(t, err)
	assert.Equal(t, "set by hook", rec["b"])
	_, err = r.Insert(ctx, map[string]any{"id": "y", "a": "forbidden"})
	require.Error(t, err)
	ok, err := r.Exists(ctx, "y")
	require.NoError(t, err)
	assert.False(t, ok, "a before hook's error stops the write")

	for _, id := range []string{"p", "q"} {
		_, err := r.Insert(ctx, map[string]any{"id": id, "a": "v"})
		require.NoError(t, err)
	}
	n, err := r.DeleteMany(ctx, []string{"p", "missing"})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{"p"}, after)

	n, err = r.DeleteAll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	count, _ := r.Count(ctx)
	assert.Zero(t, count)
	refs, err := db.Objects().List(ctx, objstore.ListOptions{Prefix: "resource=tmp/partition="})
	require.NoError(t, err)
	assert.Empty(t, refs.Keys, "references are gone too")
}

// A write without "_rev" (as s3db.js makes) does not make the revision go back.
func TestRevisionMonotonicAcrossForeignWrites(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var revs []uint64
	db, err := store.Open(ctx, "file://"+t.TempDir(), store.Options{
		Now:      func() time.Time { return clock },
		OnChange: func(c store.Change) { revs = append(revs, c.Rev) },
	})
	require.NoError(t, err)
	r, err := db.CreateResource(ctx, store.Definition{Name: "t", Attributes: ordered(t, `{"a":"string"}`)})
	require.NoError(t, err)
	_, err = r.Insert(ctx, map[string]any{"id": "x", "a": "1"})
	require.NoError(t, err)
	for i := 0; i < 5; i++ { // many writes within one millisecond
		_, err = r.Update(ctx, "x", map[string]any{"a": fmt.Sprint(i)})
		require.NoError(t, err)
	}
	obj, err := db.Objects().Get(ctx, "resource=t/data/id=x")
	require.NoError(t, err)
	_, err = db.Objects().Put(ctx, "resource=t/data/id=x", nil, objstore.PutOptions{Metadata: obj.Metadata}) // a JS-style write
	require.NoError(t, err)
	clock = clock.Add(time.Second)
	_, err = r.Update(ctx, "x", map[string]any{"a": "after"})
	require.NoError(t, err)
	for i := 1; i < len(revs); i++ {
		assert.Less(t, revs[i-1], revs[i], "revision %d", i)
	}
}

func TestPageIDGeneratorAndPartitionCheck(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		_, err = db.CreateResource(ctx, store.Definition{Name: "bad", Attributes: ordered(t, `{"a":"string"}`),
			Partitions: ordered(t, `{"byB":{"fields":{"b":"string"}}}`)})
		var pe *store.PartitionError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, err.Error(), `"b"`)
		assert.Empty(t, db.Resources(), "nothing was written")

		seq := 0
		r, err := db.CreateResource(ctx, store.Definition{Name: "items", Attributes: ordered(t, `{"a":"number"}`),
			IDGenerator: func(map[string]any) string { seq++; return fmt.Sprintf("item-%03d", seq) }})
		require.NoError(t, err)
		for i := 0; i < 25; i++ {
			_, err := r.Insert(ctx, map[string]any{"a": i})
			require.NoError(t, err)
		}
		var all []string
		cur := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			p, err := r.Page(ctx, 10, cur)
			require.NoError(t, err)
			for _, rec := range p.Items {
				all = append(all, rec["id"].(string))
			}
			if p.NextCursor == "" {
				break
			}
			cur = p.NextCursor
		}
		require.Len(t, all, 25)
		assert.Equal(t, "item-001", all[0])
		assert.Equal(t, "item-025", all[24])
		_, err = r.Page(ctx, 10, "bm90IGEgY3Vyc29y")
		require.Error(t, err)
	})
}

// s3db.json written elsewhere can hold partitions on fields that no longer exist.
func TestOrphanedPartitions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	objs, err := objstore.Open(ctx, "file://"+dir)
	require.NoError(t, err)
	_, err = objs.Put(ctx, "s3db.json", []byte(`{"version":"1","s3dbVersion":"21.6.2","lastUpdated":"2026-01-01T00:00:00.000Z","resources":{"r":{
		"currentVersion":"v1","partitions":{"byA":{"fields":{"a":"string"}},"byGone":{"fields":{"gone":"string"}}},"createdBy":"user",
		"versions":{"v1":{"hash":"sha256:x","attributes":{"a":"string"},"behavior":"user-managed","timestamps":false,"partitions":{}}},
		"schemaRegistry":{"nextIndex":2,"mapping":{"a":0},"burned":[{"index":1,"attribute":"gone","burnedAt":"2026-01-01T00:00:00.000Z","reason":"removed"}]}}}}`),
		objstore.PutOptions{})
	require.NoError(t, err)
	db, err := store.New(ctx, objs, store.Options{})
	require.NoError(t, err)
	r, err := db.Resource("r")
	require.NoError(t, err)
	assert.Equal(t, []store.OrphanedPartition{{Name: "byGone", MissingFields: []string{"gone"}}}, r.OrphanedPartitions())
	removed, nr, err := db.RemoveOrphanedPartitions(ctx, "r")
	require.NoError(t, err)
	assert.Len(t, removed, 1)
	assert.Empty(t, nr.OrphanedPartitions())
	fields, ok := nr.PartitionFields("byA")
	assert.True(t, ok)
	assert.Equal(t, []string{"a"}, fields)
	db2, err := store.New(ctx, objs, store.Options{})
	require.NoError(t, err)
	r2, _ := db2.Resource("r")
	assert.Empty(t, r2.OrphanedPartitions(), "persisted")
}

// Reading with the wrong passphrase is a typed error naming the fields; nothing changes.
func TestWrongPassphrase(t *testing.T) {
	ctx := context.Background()
	conn := "file://" + t.TempDir()
	db, err := store.Open(ctx, conn, store.Options{Passphrase: "right"})
	require.NoError(t, err)
	r, err := db.CreateResource(ctx, store.Definition{Name: "s", Attributes: ordered(t, `{"name":"string","token":"secret"}`)})
	require.NoError(t, err)
	_, err = r.Insert(ctx, map[string]any{"id": "a", "name": "A", "token": "hunter2"})
	require.NoError(t, err)

	wrong, err := store.Open(ctx, conn, store.Options{Passphrase: "wrong"})
	require.NoError(t, err)
	wr, err := wrong.Resource("s")
	require.NoError(t, err)
	rec, err := wr.Get(ctx, "a")
	var ce *store.CryptoError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, []string{"token"}, ce.Fields)
	assert.Contains(t, err.Error(), "passphrase")
	assert.Equal(t, "A", rec["name"], "the rest of the record is readable")
	assert.NotEqual(t, "hunter2", rec["token"])
	recs, err := wr.List(ctx, 0)
	require.ErrorIs(t, err, store.ErrCrypto)
	assert.Len(t, recs, 1)

	fallback, err := store.Open(ctx, conn, store.Options{Passphrase: "wrong", FallbackPassphrases: []string{"right"}})
	require.NoError(t, err)
	fr, _ := fallback.Resource("s")
	rec, err = fr.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, "hunter2", rec["token"])

	again, err := r.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, "hunter2", again["token"], "unchanged")
}

// incrementConcurrently runs writers goroutines that each add 1 to field n of record id, each
// times, with read-modify-write updates, and fails the test on any error.
func incrementConcurrently(t *testing.T, r *store.Resource, id string, writers, each int) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := r.Modify(ctx, id, func(rec store.Record) error {
					rec["n"] = rec["n"].(float64) + 1
					return nil
				}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// recordOf is the record a write left, for tests that look at it.
func recordOf(ch store.Change, err error) (store.Record, error) { return ch.After, err }
