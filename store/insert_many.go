package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// RowError is the failure of one record of InsertMany, by its position in the input.
type RowError struct {
	Index int
	Err   error
}

func (e *RowError) Error() string { return fmt.Sprintf("record %d: %v", e.Index, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// insertManyConcurrency is how many inserts InsertMany runs at once (s3db.js: 10).
const insertManyConcurrency = 10

// InsertMany inserts records concurrently. changes[i] is the Change of records[i] (zero when it
// failed); err joins a *RowError for every record that failed, so one bad record does not stop the
// others. For large or streamed inputs use a Writer (bounded memory, backpressure).
func (r *Resource) InsertMany(ctx context.Context, records []map[string]any, opts ...WriteOption) (changes []Change, err error) {
	changes = make([]Change, len(records))
	errs := make([]error, len(records))
	sem := make(chan struct{}, insertManyConcurrency)
	var wg sync.WaitGroup
	for i, rec := range records {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			ch, err := r.Insert(ctx, rec, opts...)
			if err != nil {
				errs[i] = &RowError{Index: i, Err: err}
				return
			}
			changes[i] = ch
		}()
	}
	wg.Wait()
	return changes, errors.Join(errs...)
}
