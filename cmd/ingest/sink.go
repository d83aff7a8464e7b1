package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// row is a row ready to go: its id and TxID are set.
type row struct {
	pos  int64
	id   string
	tx   string
	data map[string]any
}

// reportFunc receives the outcome of the row at pos; err is the reason of a reject. A sink calls
// it from any goroutine.
type reportFunc func(pos int64, o outcome, err error)

// failFunc receives a failure that is not one row's fault (the store or the broker is failing):
// the run stops reading, finishes what is in flight and keeps its checkpoint before that row.
type failFunc func(pos int64, err error)

// sink takes rows and reports what became of them.
type sink interface {
	// send hands a row over; it blocks while the sink has as many rows in flight as it takes
	// (backpressure).
	send(ctx context.Context, r row) error
	// flush waits until every row sent has been reported.
	flush(ctx context.Context) error
	close() error
}

// storeSink writes rows with a store.Writer.
type storeSink struct {
	w      *store.Writer
	report reportFunc
	fail   failFunc

	mu    sync.Mutex
	posOf map[int64]int64 // the writer's position of a row -> the row's position in the input
	sent  int64           // rows given to the writer (send is called from one goroutine)
}

func newStoreSink(res *store.Resource, upsert bool, concurrency int, report reportFunc, fail failFunc) *storeSink {
	s := &storeSink{report: report, fail: fail, posOf: map[int64]int64{}}
	mode := store.ModeInsert
	if upsert {
		mode = store.ModeUpsert
	}
	s.w = res.NewWriter(store.WriterOptions{Mode: mode, Concurrency: concurrency, OnResult: s.result})
	return s
}

func (s *storeSink) send(ctx context.Context, r row) error {
	// The writer numbers rows in the order Write is called, from 0: record the mapping before the
	// result can arrive.
	s.mu.Lock()
	s.posOf[s.sent] = r.pos
	s.mu.Unlock()
	wpos, err := s.w.Write(ctx, store.Row{Data: r.data, TxID: r.tx})
	if err != nil {
		s.mu.Lock()
		delete(s.posOf, s.sent)
		s.mu.Unlock()
		return err
	}
	if wpos != s.sent {
		return fmt.Errorf("internal error: the writer numbered row %d as %d", s.sent, wpos)
	}
	s.sent++
	return nil
}

func (s *storeSink) result(res store.WriteResult) {
	s.mu.Lock()
	pos := s.posOf[res.Pos]
	delete(s.posOf, res.Pos)
	s.mu.Unlock()
	switch {
	case res.Err == nil && res.Change.Duplicate:
		s.report(pos, duplicate, nil)
	case res.Err == nil:
		s.report(pos, accepted, nil)
	case rowFault(res.Err):
		s.report(pos, rejected, res.Err)
	default:
		s.fail(pos, res.Err)
	}
}

// rowFault says whether a write failed because of the row (it is rejected and the run goes on),
// rather than because the store failed (the run stops, to be resumed).
func rowFault(err error) bool {
	var pe *store.PartitionError
	return errors.Is(err, store.ErrValidation) || errors.Is(err, store.ErrMetadataLimit) ||
		errors.Is(err, store.ErrAlreadyExists) || errors.Is(err, codec.ErrInvalidID) || errors.As(err, &pe)
}

func (s *storeSink) flush(ctx context.Context) error { return s.w.Flush(ctx) }

func (s *storeSink) close() error { return s.w.Close(context.Background()) }
