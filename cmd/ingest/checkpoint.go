package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// state is the checkpoint file: where a resumed run starts, and the totals so far.
type state struct {
	Version  int    `json:"version"`
	Resource string `json:"resource"`
	Format   string `json:"format"`
	Identity string `json:"identity"` // of the input, for the ids of rows without one
	// Fingerprint identifies the input (its first 64 KiB): a state file is not used with another.
	Fingerprint string `json:"fingerprint"`
	// Offset and Line are just after the last row of the contiguous run of rows that are done
	// (accepted, rejected or duplicates): a resumed run starts reading there.
	Offset int64 `json:"offset"`
	Line   int64 `json:"line"`
	// RejectBytes is the size of the reject file holding the rejects of those rows; a resumed run
	// cuts the file back to it (later entries are written again by the resumed run).
	RejectBytes int64    `json:"rejectBytes"`
	Header      []string `json:"header,omitempty"` // CSV
	Accepted    int64    `json:"accepted"`
	Rejected    int64    `json:"rejected"`
	Duplicates  int64    `json:"duplicates"`
	Complete    bool     `json:"complete"`
}

const stateVersion = 1

// loadState reads the state file; a missing file is (nil, nil).
func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the state file: %w", err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil || st.Version != stateVersion {
		return nil, fmt.Errorf("the state file %s is not one of ingest's (%v): remove it or pass --restart", path, err)
	}
	return &st, nil
}

// save writes the state atomically (a temporary file renamed over the old one), synced to disk.
func (st *state) save(path string) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write the state file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write the state file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write the state file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write the state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write the state file: %w", err)
	}
	return nil
}

// outcome is what became of a row.
type outcome int

const (
	accepted outcome = iota + 1
	duplicate
	rejected
)

// slot is a row between being read and being part of the done run.
type slot struct {
	line, endLine, end int64
	raw                []byte
	rawJSON            bool
	outcome            outcome
	err                string
}

// sequencer follows the rows in flight and moves the checkpoint forward over the contiguous run of
// rows that are done. Rejects are written to the reject file in row order as the run grows, so the
// file always holds exactly the rejects of the rows before the checkpoint (plus, after a crash, some
// that a resumed run cuts off). At most window rows are between the checkpoint and the reader:
// reserve blocks beyond that, which bounds memory when one row is slow.
type sequencer struct {
	tokens chan struct{}

	mu      sync.Mutex
	ring    []slot
	low     int64 // first position not done
	next    int64 // next position to hand out
	st      state // the checkpoint as the done run makes it
	rejects *bufio.Writer
	rejFile *os.File
	path    string
	lastErr string // the error text of the last reject (summary)
}

func newSequencer(window int, st state, rejFile *os.File, path string) *sequencer {
	return &sequencer{
		tokens:  make(chan struct{}, window),
		ring:    make([]slot, window),
		st:      st,
		rejFile: rejFile,
		rejects: bufio.NewWriterSize(rejFile, 64<<10),
		path:    path,
	}
}

// reserve takes the next position for a row read at line, ending at end, with text raw.
func (s *sequencer) reserve(ctx context.Context, it *item) (int64, error) {
	select {
	case s.tokens <- struct{}{}:
	case <-ctx.Done():
		return -1, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pos := s.next
	s.next++
	s.ring[pos%int64(len(s.ring))] = slot{line: it.line, endLine: it.endLine, end: it.end, raw: it.raw, rawJSON: it.rawJSON}
	return pos, nil
}

// done records the outcome of the row at pos (errText for rejects) and moves the checkpoint over
// every row now done in sequence.
func (s *sequencer) done(pos int64, o outcome, errText string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := &s.ring[pos%int64(len(s.ring))]
	sl.outcome, sl.err = o, errText
	var werr error
	for s.low < s.next {
		sl := &s.ring[s.low%int64(len(s.ring))]
		if sl.outcome == 0 {
			break
		}
		switch sl.outcome {
		case accepted:
			s.st.Accepted++
		case duplicate:
			s.st.Duplicates++
		case rejected:
			s.st.Rejected++
			s.lastErr = sl.err
			if err := s.writeReject(sl); err != nil && werr == nil {
				werr = err
			}
		}
		s.st.Offset, s.st.Line = sl.end, sl.endLine
		*sl = slot{}
		s.low++
		<-s.tokens
	}
	return werr
}

// writeReject appends {"line":N,"error":"...","row":...} to the reject file: row is the JSON
// object of a JSONL row, else its text as a JSON string.
func (s *sequencer) writeReject(sl *slot) error {
	var row any = string(sl.raw)
	if sl.rawJSON && json.Valid(sl.raw) {
		row = json.RawMessage(sl.raw)
	}
	b, err := json.Marshal(rejectEntry{Line: sl.line, Error: sl.err, Row: row})
	if err != nil {
		return fmt.Errorf("write the reject file: %w", err)
	}
	s.st.RejectBytes += int64(len(b) + 1)
	if _, err := s.rejects.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write the reject file: %w", err)
	}
	return nil
}

// rejectEntry is one line of the reject file.
type rejectEntry struct {
	Line  int64  `json:"line"`
	Error string `json:"error"`
	Row   any    `json:"row"`
}

// checkpoint makes the reject file durable, then writes the state file.
func (s *sequencer) checkpoint(complete bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.rejects.Flush(); err != nil {
		return fmt.Errorf("write the reject file: %w", err)
	}
	if err := s.rejFile.Sync(); err != nil {
		return fmt.Errorf("sync the reject file: %w", err)
	}
	s.st.Complete = complete && s.low == s.next
	return s.st.save(s.path)
}

// snapshot is the checkpoint state now.
func (s *sequencer) snapshot() state {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// pending is the number of rows read and not yet done.
func (s *sequencer) pending() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next - s.low
}

// lineOf is the line of the row at pos, while it is in flight.
func (s *sequencer) lineOf(pos int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ring[pos%int64(len(s.ring))].line
}
