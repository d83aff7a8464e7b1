package consumers_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/consumers"
	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store"
)

// backends runs fn on the local-directory store and on versitygw (a fresh bucket).
func backends(t *testing.T, fn func(t *testing.T, db *store.Database)) {
	open := func(t *testing.T, conn string) *store.Database {
		ctx := context.Background()
		db, err := store.Open(ctx, conn, store.Options{})
		require.NoError(t, err)
		var attrs codec.Ordered
		require.NoError(t, json.Unmarshal([]byte(`{"name":"string|required","age":"number|optional","email":"email|optional"}`), &attrs))
		_, err = db.CreateResource(ctx, store.Definition{Name: "users", Attributes: attrs, Timestamps: true})
		require.NoError(t, err)
		return db
	}
	t.Run("local", func(t *testing.T) { fn(t, open(t, "file://"+t.TempDir())) })
	t.Run("versitygw", func(t *testing.T) {
		e := testenv.S3(t)
		fn(t, open(t, e.ConnectionString(testenv.NewBucket(t), "consumers")))
	})
}

func get(t *testing.T, db *store.Database, id string) store.Record {
	t.Helper()
	r, err := db.Resource("users")
	require.NoError(t, err)
	rec, err := r.Get(context.Background(), id)
	require.NoError(t, err)
	return rec
}

func count(t *testing.T, db *store.Database) int {
	t.Helper()
	r, err := db.Resource("users")
	require.NoError(t, err)
	n, err := r.Count(context.Background())
	require.NoError(t, err)
	return n
}

// TestConsumer_contract applies each action, then delivers the same message again: the second delivery
// succeeds, is a duplicate and changes nothing, even after another write of the record came between.
func TestConsumer_contract(t *testing.T) {
	backends(t, func(t *testing.T, db *store.Database) {
		ctx := context.Background()
		c := consumers.New(db, nil)
		apply := func(body, msgID string) consumers.Result {
			t.Helper()
			res, err := c.Handle(ctx, []byte(body), msgID)
			require.NoError(t, err, body)
			return res
		}

		// insert, and its redelivery
		ins := apply(`{"resource":"users","action":"insert","data":{"id":"u1","name":"Ada","age":36}}`, "m1")
		require.False(t, ins.Duplicate)
		assert.Equal(t, "insert", ins.Change.Op)
		assert.Equal(t, "u1", ins.Change.Key)
		assert.NotEmpty(t, ins.Change.ID)
		assert.Equal(t, consumers.KeyFromTransport, ins.KeySource)
		again := apply(`{"resource":"users","action":"insert","data":{"id":"u1","name":"Ada","age":36}}`, "m1")
		assert.True(t, again.Duplicate)
		assert.Equal(t, ins.Change.ID, again.Change.ID, "a duplicate of the latest write rebuilds its change id")

		// update (a partial merge), another update, then the first one redelivered: no regression
		up1 := apply(`{"resource":"users","action":"update","data":{"id":"u1","age":37}}`, "m2")
		assert.Equal(t, "update", up1.Change.Op)
		assert.Equal(t, "Ada", up1.Change.After["name"], "update merges")
		apply(`{"resource":"users","action":"update","data":{"id":"u1","age":38}}`, "m3")
		dup := apply(`{"resource":"users","action":"update","data":{"id":"u1","age":37}}`, "m2")
		assert.True(t, dup.Duplicate)
		assert.False(t, dup.Publish(), "a duplicate behind later writes has no change to publish")
		assert.EqualValues(t, 38, get(t, db, "u1")["age"])

		// upsert: insert, then update, each redelivered
		u2 := apply(`{"resource":"users","action":"upsert","data":{"id":"u2","name":"Bob"}}`, "m4")
		assert.Equal(t, "insert", u2.Change.Op)
		assert.True(t, apply(`{"resource":"users","action":"upsert","data":{"id":"u2","name":"Bob"}}`, "m4").Duplicate)
		u2b := apply(`{"resource":"users","action":"upsert","data":{"id":"u2","age":20}}`, "m5")
		assert.Equal(t, "update", u2b.Change.Op)
		assert.True(t, apply(`{"resource":"users","action":"upsert","data":{"id":"u2","age":20}}`, "m5").Duplicate)
		assert.Equal(t, "Bob", get(t, db, "u2")["name"])

		// insert without an id: the id derives from the key, so a redelivery meets the same record
		gen := apply(`{"resource":"users","action":"insert","data":{"name":"Cy"}}`, "m6")
		assert.Equal(t, consumers.DerivedID("users", "m6", 0), gen.Change.Key)
		assert.True(t, apply(`{"resource":"users","action":"insert","data":{"name":"Cy"}}`, "m6").Duplicate)
		assert.Equal(t, 3, count(t, db))

		// txId in the body wins over the transport id; $body wrapping is accepted
		tx := apply(`{"$body":{"resource":"users","action":"insert","txId":"t-1","data":{"id":"u4","name":"Di"}}}`, "m7")
		assert.Equal(t, consumers.KeyFromBody, tx.KeySource)
		assert.True(t, apply(`{"resource":"users","action":"insert","txId":"t-1","data":{"id":"u4","name":"Di"}}`, "m8").Duplicate)

		// delete, its redelivery, and a delete of a record that never existed
		del := apply(`{"resource":"users","action":"delete","data":{"id":"u4"}}`, "m9")
		assert.Equal(t, "delete", del.Change.Op)
		assert.Equal(t, "Di", del.Change.Before["name"])
		assert.True(t, apply(`{"resource":"users","action":"delete","data":{"id":"u4"}}`, "m9").Duplicate)
		assert.True(t, apply(`{"resource":"users","action":"delete","data":{"id":"nobody"}}`, "").Duplicate)
		assert.Equal(t, 3, count(t, db))

		// the body of s3db.js's SQS replicator (extra fields) is read as is
		apply(`{"resource":"users","action":"update","timestamp":"2026-01-01T00:00:00.000Z","source":"s3db-replicator",`+
			`"before":{"id":"u1","age":38},"data":{"id":"u1","age":39}}`, "m10")
		assert.EqualValues(t, 39, get(t, db, "u1")["age"])
	})
}

// TestConsumer_errors checks the classification: permanent errors go to the dead-letter queue at once,
// transient ones are retried.
func TestConsumer_errors(t *testing.T) {
	backends(t, func(t *testing.T, db *store.Database) {
		ctx := context.Background()
		c := consumers.New(db, nil)
		_, err := c.Handle(ctx, []byte(`{"resource":"users","action":"insert","data":{"id":"taken","name":"A"}}`), "first")
		require.NoError(t, err)

		for _, tt := range []struct {
			name, body, reason string
			permanent          bool
		}{
			{"bad JSON", `{"resource":`, "bad JSON", true},
			{"trailing garbage", `{"resource":"users","action":"insert","data":{}} x`, "bad JSON", true},
			{"no resource", `{"action":"insert","data":{"name":"x"}}`, "missing resource", true},
			{"unknown resource", `{"resource":"ghosts","action":"insert","data":{"name":"x"}}`, "unknown resource", true},
			{"unknown action", `{"resource":"users","action":"merge","data":{"id":"x"}}`, "unknown action", true},
			{"data not an object", `{"resource":"users","action":"insert","data":[1]}`, "bad data", true},
			{"validation", `{"resource":"users","action":"insert","data":{"id":"v1","age":3}}`, "validation", true},
			{"invalid id", `{"resource":"users","action":"insert","data":{"id":"a/b","name":"x"}}`, "invalid id", true},
			{"id taken by another message", `{"resource":"users","action":"insert","data":{"id":"taken","name":"B"}}`, "already exists", true},
			{"update without id", `{"resource":"users","action":"update","data":{"name":"x"}}`, "missing id", true},
			{"delete without id", `{"resource":"users","action":"delete","data":{}}`, "missing id", true},
			{"counter action", `{"resource":"users","action":"add","data":{"id":"w","field":"age","value":1}}`, "counter action", true},
			{"update of a missing record", `{"resource":"users","action":"update","data":{"id":"later","name":"x"}}`, "transient", false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := c.Handle(ctx, []byte(tt.body), "msg-"+tt.name)
				require.Error(t, err)
				assert.Equal(t, tt.permanent, consumers.IsPermanent(err), "%v", err)
				assert.Equal(t, tt.reason, consumers.Reason(err))
			})
		}
		_, err = c.Handle(ctx, []byte(`{"resource":"users","action":"sub","data":{"id":"w"}}`), "c")
		assert.ErrorIs(t, err, consumers.ErrCounterActions)
		assert.Equal(t, 1, count(t, db), "no failed message wrote anything")
	})
}

func TestOrderingKey(t *testing.T) {
	for body, want := range map[string]string{
		`{"resource":"users","action":"update","data":{"id":"u1"}}`:        "users/u1",
		`{"$body":{"resource":"users","action":"delete","data":{"id":7}}}`: "users/7",
		`{"resource":"users","action":"insert","data":{"name":"no id"}}`:   "",
		`not json`: "",
	} {
		assert.Equal(t, want, consumers.OrderingKey([]byte(body)), body)
	}
}

func TestDerivedID(t *testing.T) {
	a := consumers.DerivedID("users", "k", 0)
	assert.Len(t, a, codec.DefaultIDSize)
	assert.NoError(t, codec.ValidateID(a))
	assert.Equal(t, a, consumers.DerivedID("users", "k", 0))
	assert.NotEqual(t, a, consumers.DerivedID("users", "k2", 0))
	assert.NotEqual(t, a, consumers.DerivedID("orders", "k", 0))
	assert.Len(t, consumers.DerivedID("users", "k", 40), 40)
}
