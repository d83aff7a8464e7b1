package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
)

// ReadOptions configure a record stream (the equivalent of s3db.js's ResourceReader).
type ReadOptions struct {
	// IDs select the records (all of them, or a partition's).
	IDs IDsOptions
	// Concurrency is the number of records fetched at once; 0 means 16.
	Concurrency int
	// Buffer is the number of fetched records that may wait for the consumer beyond Concurrency;
	// 0 means Concurrency. At most Concurrency+Buffer records are held at any time, fetched or
	// being fetched, so memory is bounded whatever the resource's size.
	Buffer int
	// Ordered yields records in key order (the order of the ids), a slow fetch holding back the
	// ones after it; otherwise records come as their fetches complete.
	Ordered bool
}

func (o *ReadOptions) setDefaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Buffer <= 0 {
		o.Buffer = o.Concurrency
	}
}

// RecordError is the failure to read one record of a stream. The stream goes on after it.
type RecordError struct {
	ID  string
	Err error
}

func (e *RecordError) Error() string { return fmt.Sprintf("record %q: %v", e.ID, e.Err) }
func (e *RecordError) Unwrap() error { return e.Err }

// StreamRecords yields the resource's records (or a partition's, see ReadOptions.IDs), fetched
// Concurrency at a time. Each pair is one of:
//   - a record and nil;
//   - a record and a *RecordError matching ErrCrypto: its secrets did not decrypt (it holds their
//     ciphertext, as s3db.js shows it);
//   - nil and a *RecordError: that record could not be read (ErrNotFound when it was deleted after
//     it was listed); the stream goes on;
//   - nil and another error: the listing failed or ctx ended; the stream ends.
//
// Stopping the loop early cancels the fetches under way and returns once they are done.
func (r *Resource) StreamRecords(ctx context.Context, opts ReadOptions) iter.Seq2[Record, error] {
	return r.ReadRecords(ctx, r.StreamIDs(ctx, opts.IDs), opts)
}

// ReadRecords is StreamRecords over ids from any source (opts.IDs is not used). A failure of ids
// ends the stream with that error, after the records fetched before it.
func (r *Resource) ReadRecords(ctx context.Context, ids iter.Seq2[string, error], opts ReadOptions) iter.Seq2[Record, error] {
	opts.setDefaults()
	return func(yield func(Record, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		held := opts.Concurrency + opts.Buffer
		rd := &recordReader{
			r:       r,
			slots:   make(chan struct{}, held),
			jobs:    make(chan *fetch),
			results: make(chan *fetch, held+1), // +1: the end marker
			ordered: opts.Ordered,
		}
		var workers, all sync.WaitGroup
		for range opts.Concurrency {
			workers.Go(func() { rd.work(ctx) })
		}
		all.Go(func() {
			endErr := rd.produce(ctx, ids) // closes jobs: the workers finish what they have
			workers.Wait()
			if endErr != nil {
				rd.results <- &fetch{err: endErr} // never blocks: results has room for it
			}
			close(rd.results)
		})
		defer func() {
			cancel()
			all.Wait() // cancelled, every goroutine ends promptly
		}()
		for f := range rd.results {
			if f.done != nil {
				<-f.done
			}
			ok := yield(f.rec, f.err)
			if f.id == "" || !ok {
				return // a failure of the ids or of ctx ends the stream
			}
			<-rd.slots // released after the consumer had it: at most held records exist
		}
	}
}

// recordReader is one run of ReadRecords.
type recordReader struct {
	r       *Resource
	slots   chan struct{} // one per record held (being fetched, fetched, being yielded)
	jobs    chan *fetch
	results chan *fetch // ordered: in id order as handed out; else as completed
	ordered bool
}

// fetch is one record being read; done (ordered mode) closes when rec and err are set.
type fetch struct {
	id   string
	rec  Record
	err  error
	done chan struct{}
}

// produce hands the ids out to the workers, taking a slot for each, and closes jobs at the end.
// It returns the failure of ids or of ctx, if any.
func (rd *recordReader) produce(ctx context.Context, ids iter.Seq2[string, error]) error {
	defer close(rd.jobs)
	for id, err := range ids {
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return err
		}
		select {
		case rd.slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		f := &fetch{id: id}
		if rd.ordered {
			f.done = make(chan struct{})
			rd.results <- f // never blocks: every entry of results holds a slot
		}
		select {
		case rd.jobs <- f:
		case <-ctx.Done():
			if rd.ordered {
				f.err = &RecordError{ID: id, Err: ctx.Err()}
				close(f.done)
			}
			return ctx.Err()
		}
	}
	return nil
}

// work reads the records of jobs.
func (rd *recordReader) work(ctx context.Context) {
	for f := range rd.jobs {
		rec, err := rd.r.Get(ctx, f.id)
		f.rec = rec
		if err != nil {
			f.err = &RecordError{ID: f.id, Err: err}
		}
		if errors.Is(err, ErrNotFound) {
			f.rec = nil
		}
		if rd.ordered {
			close(f.done)
		} else {
			rd.results <- f // never blocks: every entry of results holds a slot
		}
	}
}
