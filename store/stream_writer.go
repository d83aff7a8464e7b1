package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ErrWriterClosed is returned by Writer.Write after Close.
var ErrWriterClosed = errors.New("store: writer is closed")

// WriteMode is what a Writer does with each row.
type WriteMode int

const (
	// ModeInsert inserts each row (create-only: an existing id fails the row with ErrAlreadyExists).
	ModeInsert WriteMode = iota
	// ModeUpsert inserts each row, or merges it into the record with its id.
	ModeUpsert
)

func (m WriteMode) String() string {
	if m == ModeUpsert {
		return "upsert"
	}
	return "insert"
}

// WriterOptions configure a Writer (the equivalent of s3db.js's ResourceWriter).
type WriterOptions struct {
	// Mode is insert (the default) or upsert.
	Mode WriteMode
	// Concurrency bounds the rows being written at once; Write blocks while that many are in
	// flight. 0 means 10 (s3db.js's insertMany).
	Concurrency int
	// OnResult, when set, receives the outcome of every row once its write is over. Calls are
	// serialized (never two at once) but come in completion order, not in row order: use
	// WriteResult.Pos. A slow OnResult slows the writer down (the row's slot is held until it
	// returns), which is the backpressure a consumer of results wants.
	OnResult func(WriteResult)
}

// Row is one record to write.
type Row struct {
	Data map[string]any
	// TxID, when set, makes the write idempotent (see the TxID write option): writing the row again,
	// after a crash or in a resumed run, is reported as a duplicate instead of applied twice.
	TxID string
}

// WriteResult is the outcome of one row.
type WriteResult struct {
	// Pos is the row's position: the number of rows given to Write before it (from 0).
	Pos int64
	// Row is the row as given to Write.
	Row Row
	// Change is the write's change (Change.Duplicate when the TxID had already been applied).
	Change Change
	// Err is the row's failure, nil on success; the writer goes on with the next rows.
	Err error
}

// WriterStats count the rows whose writes are over.
type WriterStats struct {
	Written    int64 // applied now
	Duplicates int64 // found already applied (same TxID)
	Failed     int64
}

// Writer writes rows to a resource concurrently, with a bounded number in flight: Write blocks
// while Concurrency rows are being written, so a fast producer cannot pile up rows in memory.
// Every row's outcome reaches OnResult with the row's position; one row failing does not stop the
// others. Write, Flush and Close may be called from several goroutines. Close the writer when done:
// it keeps up to Concurrency goroutines until then.
type Writer struct {
	r    *Resource
	opts WriterOptions

	slots chan struct{} // one per row in flight
	next  atomic.Int64

	// Rows go to long-lived workers (started as needed, up to Concurrency): a goroutine per row would
	// grow a fresh stack through the S3 client's deep calls every time.
	jobs    chan writeJob
	state   sync.RWMutex // held shared while a row is handed over; Close takes it to close jobs
	closed  bool
	workers int

	mu sync.Mutex // serializes OnResult; guards workers

	written, duplicates, failed atomic.Int64
}

// NewWriter returns a Writer on the resource.
func (r *Resource) NewWriter(opts WriterOptions) *Writer {
	if opts.Concurrency <= 0 {
		opts.Concurrency = insertManyConcurrency
	}
	return &Writer{r: r, opts: opts, slots: make(chan struct{}, opts.Concurrency), jobs: make(chan writeJob)}
}

// writeJob is a row handed to a worker.
type writeJob struct {
	ctx context.Context
	pos int64
	row Row
}

// Write starts writing row and returns its position, once a slot is free: it blocks while
// Concurrency rows are in flight. ctx bounds the wait and the write itself. The row's outcome goes
// to OnResult (and the counters of Stats), not to the returned error, which only says that the row
// was not started (ctx ended while waiting, or the writer is closed). Write does not copy
// row.Data: leave it alone until the row's result arrives.
func (w *Writer) Write(ctx context.Context, row Row) (int64, error) {
	select {
	case w.slots <- struct{}{}:
	case <-ctx.Done():
		return -1, ctx.Err()
	}
	w.state.RLock()
	defer w.state.RUnlock()
	if w.closed {
		<-w.slots
		return -1, ErrWriterClosed
	}
	pos := w.next.Add(1) - 1
	j := writeJob{ctx: ctx, pos: pos, row: row}
	select {
	case w.jobs <- j: // an idle worker
	default:
		if w.startWorker() {
			go w.work(j)
		} else {
			w.jobs <- j // every worker is started; the slot says one is finishing
		}
	}
	return pos, nil
}

// startWorker counts a new worker in, unless Concurrency are running.
func (w *Writer) startWorker() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.workers >= w.opts.Concurrency {
		return false
	}
	w.workers++
	return true
}

// work writes rows, first then those of jobs, until Close.
func (w *Writer) work(first writeJob) {
	for j, ok := first, true; ok; j, ok = <-w.jobs {
		w.deliver(w.write(j.ctx, j.pos, j.row))
		<-w.slots // after the result is delivered
	}
}

func (w *Writer) write(ctx context.Context, pos int64, row Row) WriteResult {
	var opts []WriteOption
	if row.TxID != "" {
		opts = append(opts, TxID(row.TxID))
	}
	var ch Change
	var err error
	if w.opts.Mode == ModeUpsert {
		ch, err = w.r.Upsert(ctx, row.Data, opts...)
	} else {
		ch, err = w.r.Insert(ctx, row.Data, opts...)
	}
	return WriteResult{Pos: pos, Row: row, Change: ch, Err: err}
}

func (w *Writer) deliver(res WriteResult) {
	switch {
	case res.Err != nil:
		w.failed.Add(1)
	case res.Change.Duplicate:
		w.duplicates.Add(1)
	default:
		w.written.Add(1)
	}
	if w.opts.OnResult == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.opts.OnResult(res)
}

// InFlight is the number of rows being written now.
func (w *Writer) InFlight() int { return len(w.slots) }

// Stats counts the rows whose writes are over.
func (w *Writer) Stats() WriterStats {
	return WriterStats{Written: w.written.Load(), Duplicates: w.duplicates.Load(), Failed: w.failed.Load()}
}

// Flush waits until every row given to Write so far is written and its result delivered, and
// the partition references written in the background (Options.AsyncPartitions) are done, or ctx
// ends.
func (w *Writer) Flush(ctx context.Context) error {
	// Holding every slot means no row is in flight; they are given back at once.
	taken := 0
	defer func() {
		for range taken {
			<-w.slots
		}
	}()
	for range cap(w.slots) {
		select {
		case w.slots <- struct{}{}:
			taken++
		case <-ctx.Done():
			return fmt.Errorf("flush writer of %s: %w", w.r.def.Name, ctx.Err())
		}
	}
	return w.r.db.Flush(ctx)
}

// Close refuses further rows (Write returns ErrWriterClosed), flushes, and ends the writer's
// goroutines. It may be called more than once.
func (w *Writer) Close(ctx context.Context) error {
	w.state.Lock()
	if !w.closed {
		w.closed = true
		close(w.jobs) // workers finish their row, then end
	}
	w.state.Unlock()
	return w.Flush(ctx)
}
