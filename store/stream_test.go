package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// probeStore is a real object store (versitygw) that delays the requests on record keys and counts
// how many are under way, to observe what the streams keep in flight.
type probeStore struct {
	objstore.Store
	putDelay, getDelay time.Duration
	failGet            string // a key whose Get fails

	puts, gets       atomic.Int64 // under way now
	maxPuts, maxGets atomic.Int64
	getsStarted      atomic.Int64
}

func isRecordKey(key string) bool { return strings.Contains(key, "/data/id=") }

func raise(max *atomic.Int64, v int64) {
	for {
		m := max.Load()
		if v <= m || max.CompareAndSwap(m, v) {
			return
		}
	}
}

func (p *probeStore) Put(ctx context.Context, key string, body []byte, opts objstore.PutOptions) (string, error) {
	if isRecordKey(key) {
		raise(&p.maxPuts, p.puts.Add(1))
		defer p.puts.Add(-1)
		time.Sleep(p.putDelay)
	}
	return p.Store.Put(ctx, key, body, opts)
}

func (p *probeStore) Get(ctx context.Context, key string) (*objstore.Object, error) {
	if isRecordKey(key) {
		p.getsStarted.Add(1)
		raise(&p.maxGets, p.gets.Add(1))
		defer p.gets.Add(-1)
		time.Sleep(p.getDelay)
		if key == p.failGet {
			return nil, errors.New("injected read failure")
		}
	}
	return p.Store.Get(ctx, key)
}

// streamResource opens a fresh database on versitygw through a probeStore and defines "items"
// (partitioned by kind).
func streamResource(t *testing.T, probe *probeStore) *store.Resource {
	t.Helper()
	ctx := context.Background()
	e := testenv.S3(t)
	objs, err := objstore.Open(ctx, e.ConnectionString(testenv.NewBucket(t), "db"))
	require.NoError(t, err)
	probe.Store = objs
	db, err := store.New(ctx, probe, store.Options{})
	require.NoError(t, err)
	res, err := db.CreateResource(ctx, store.Definition{
		Name:       "items",
		Attributes: ordered(t, `{"name":"string|required","kind":"string|optional","n":"number|optional"}`),
		Partitions: ordered(t, `{"byKind":{"fields":{"kind":"string"}}}`),
	})
	require.NoError(t, err)
	return res
}

func TestWriter_backpressure(t *testing.T) {
	probe := &probeStore{putDelay: 150 * time.Millisecond}
	res := streamResource(t, probe)
	ctx := context.Background()
	const limit, rows = 3, 9
	var delivered atomic.Int64
	w := res.NewWriter(store.WriterOptions{Concurrency: limit, OnResult: func(r store.WriteResult) {
		assert.NoError(t, r.Err)
		delivered.Add(1)
	}})
	var started []time.Duration // when each Write returned, from the first
	begin := time.Now()
	for i := range rows {
		pos, err := w.Write(ctx, store.Row{Data: map[string]any{"id": fmt.Sprintf("r%02d", i), "name": "x"}})
		require.NoError(t, err)
		assert.Equal(t, int64(i), pos)
		started = append(started, time.Since(begin))
		assert.LessOrEqual(t, w.InFlight(), limit)
	}
	require.NoError(t, w.Close(ctx))
	assert.Equal(t, int64(rows), delivered.Load(), "every row's result is delivered by Close")
	assert.Equal(t, int64(limit), probe.maxPuts.Load(), "exactly Concurrency record writes were under way at once")
	// Row i can start only when row i-limit is done: waves of limit rows, one put delay apart.
	for i, d := range started {
		wave := time.Duration(i / limit)
		assert.GreaterOrEqual(t, d, wave*probe.putDelay-20*time.Millisecond, "row %d started before a slot was free", i)
		if i < limit {
			assert.Less(t, d, 100*time.Millisecond, "row %d had a free slot", i)
		}
	}
	assert.Equal(t, store.WriterStats{Written: rows}, w.Stats())
	_, err := w.Write(ctx, store.Row{Data: map[string]any{"name": "late"}})
	assert.ErrorIs(t, err, store.ErrWriterClosed)

	// A blocked Write gives up when its context ends.
	slow := res.NewWriter(store.WriterOptions{Concurrency: 1})
	_, err = slow.Write(ctx, store.Row{Data: map[string]any{"name": "a"}})
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = slow.Write(short, store.Row{Data: map[string]any{"name": "b"}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, slow.Close(ctx))
}

func TestWriter_row_errors_and_duplicates(t *testing.T) {
	res := streamResource(t, &probeStore{})
	ctx := context.Background()
	var mu sync.Mutex
	results := map[int64]store.WriteResult{}
	collect := func(r store.WriteResult) {
		mu.Lock()
		defer mu.Unlock()
		results[r.Pos] = r
	}
	rows := []store.Row{
		{Data: map[string]any{"id": "a", "name": "A"}, TxID: "tx-a"},
		{Data: map[string]any{"id": "b"}, TxID: "tx-b"}, // name is required
		{Data: map[string]any{"id": "c", "name": "C"}, TxID: "tx-c"},
		{Data: map[string]any{"id": "bad/id", "name": "D"}},
		{Data: map[string]any{"id": "a", "name": "other"}}, // a exists, no TxID
	}
	w := res.NewWriter(store.WriterOptions{Concurrency: 4, OnResult: collect})
	for _, row := range rows {
		_, err := w.Write(ctx, row)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close(ctx))
	require.Len(t, results, len(rows))
	assert.ErrorIs(t, results[1].Err, store.ErrValidation)
	assert.Equal(t, "b", results[1].Row.Data["id"], "the result carries its row")
	assert.NoError(t, results[2].Err)
	assert.Error(t, results[3].Err)
	// Rows 0 and 4 have the same id: whichever came second failed.
	if results[0].Err == nil {
		assert.ErrorIs(t, results[4].Err, store.ErrAlreadyExists)
	} else {
		assert.ErrorIs(t, results[0].Err, store.ErrAlreadyExists)
		assert.NoError(t, results[4].Err)
	}
	assert.Equal(t, int64(3), w.Stats().Failed)

	// The rows with a TxID again, in upsert mode: the applied ones are duplicates, b still fails.
	results = map[int64]store.WriteResult{}
	again := res.NewWriter(store.WriterOptions{Mode: store.ModeUpsert, Concurrency: 2, OnResult: collect})
	for _, row := range rows[:3] {
		_, err := again.Write(ctx, row)
		require.NoError(t, err)
	}
	require.NoError(t, again.Close(ctx))
	assert.True(t, results[2].Change.Duplicate, "c was written with tx-c already")
	assert.ErrorIs(t, results[1].Err, store.ErrValidation)
	got, err := res.Get(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, "C", got["name"])
	n, err := res.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestStreamIDs_pages_and_partitions(t *testing.T) {
	res := streamResource(t, &probeStore{})
	ctx := context.Background()
	var want, wantB []string
	w := res.NewWriter(store.WriterOptions{Concurrency: 8})
	for i := range 25 {
		id := fmt.Sprintf("i%03d", i)
		kind := "a"
		if i%3 == 0 {
			kind = "b"
			wantB = append(wantB, id)
		}
		want = append(want, id)
		_, err := w.Write(ctx, store.Row{Data: map[string]any{"id": id, "name": "n", "kind": kind}})
		require.NoError(t, err)
	}
	require.NoError(t, w.Close(ctx))
	assert.Equal(t, store.WriterStats{Written: 25}, w.Stats())

	collectIDs := func(opts store.IDsOptions) ([]string, error) {
		var ids []string
		for id, err := range res.StreamIDs(ctx, opts) {
			if err != nil {
				return ids, err
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	ids, err := collectIDs(store.IDsOptions{PageSize: 7})
	require.NoError(t, err)
	assert.Equal(t, want, ids, "every id, in key order, across pages")
	ids, err = collectIDs(store.IDsOptions{Partition: "byKind", Values: map[string]any{"kind": "b"}, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, wantB, ids)
	_, err = collectIDs(store.IDsOptions{Partition: "byColour"})
	var pe *store.PartitionError
	assert.ErrorAs(t, err, &pe)

	// Stopping early stops the listing.
	var first []string
	for id, err := range res.StreamIDs(ctx, store.IDsOptions{PageSize: 5}) {
		require.NoError(t, err)
		if first = append(first, id); len(first) == 3 {
			break
		}
	}
	assert.Equal(t, want[:3], first)
}

func TestStreamRecords_bounded_ordered_and_errors(t *testing.T) {
	probe := &probeStore{}
	res := streamResource(t, probe)
	ctx := context.Background()
	var want []string
	w := res.NewWriter(store.WriterOptions{Concurrency: 8})
	for i := range 40 {
		id := fmt.Sprintf("r%03d", i)
		want = append(want, id)
		_, err := w.Write(ctx, store.Row{Data: map[string]any{"id": id, "name": "n", "n": i}})
		require.NoError(t, err)
	}
	require.NoError(t, w.Close(ctx))
	probe.getDelay = 10 * time.Millisecond
	probe.failGet = "resource=items/data/id=r017"

	for _, ordered := range []bool{true, false} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			probe.maxGets.Store(0)
			probe.getsStarted.Store(0)
			const conc, buf = 4, 2
			var got []string
			var failed []string
			yielded := int64(0)
			for rec, err := range res.StreamRecords(ctx, store.ReadOptions{Concurrency: conc, Buffer: buf, Ordered: ordered}) {
				// Records held: fetched or being fetched, not yet consumed (this one included).
				assert.LessOrEqual(t, probe.getsStarted.Load()-yielded, int64(conc+buf), "memory is bounded")
				yielded++
				time.Sleep(3 * time.Millisecond) // a consumer slower than one fetch
				var re *store.RecordError
				if errors.As(err, &re) {
					failed = append(failed, re.ID)
					assert.Nil(t, rec)
					continue
				}
				require.NoError(t, err)
				got = append(got, rec["id"].(string))
				assert.Equal(t, "n", rec["name"])
			}
			assert.Equal(t, []string{"r017"}, failed, "the failed record is reported, by id")
			wantOK := slices.DeleteFunc(slices.Clone(want), func(s string) bool { return s == "r017" })
			if !ordered {
				slices.Sort(got)
			}
			assert.Equal(t, wantOK, got)
			assert.LessOrEqual(t, probe.maxGets.Load(), int64(conc))
			assert.Greater(t, probe.maxGets.Load(), int64(1), "fetches overlap")
		})
	}

	// Breaking out of the loop returns promptly and leaves no fetch running.
	n := 0
	for _, err := range res.StreamRecords(ctx, store.ReadOptions{Concurrency: 4}) {
		if err == nil {
			n++
		}
		if n == 5 {
			break
		}
	}
	assert.Equal(t, int64(0), probe.gets.Load(), "no fetch is left running")

	// A cancelled context ends the stream with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var last error
	for _, err := range res.StreamRecords(cctx, store.ReadOptions{}) {
		last = err
	}
	assert.ErrorIs(t, last, context.Canceled)
}
