package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// App is the ingest command. Each Run is independent, so tests run it in-process.
type App struct {
	// Getenv reads the environment; nil means an empty one.
	Getenv func(string) string
	// Stdin is the input of "-".
	Stdin io.Reader
	// Stderr receives progress, the summary and errors.
	Stderr io.Writer
	// Options are the base store options (the passphrase comes from the command line).
	Options store.Options
	// PlainEvery is the interval of plain progress lines; 0 means 5 s.
	PlainEvery time.Duration
}

// Run executes one command line (without the program name) and returns the exit code.
func (a *App) Run(ctx context.Context, args []string) int {
	getenv := a.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cfg, err := parseConfig(args, getenv)
	if errors.Is(err, errHelp) {
		_, _ = io.WriteString(a.Stderr, usageText)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(a.Stderr, "ingest: %v\nusage: ingest --resource RES [flags] FILE|- (ingest -h for the flags)\n", err)
		return ExitUsage
	}
	r := &run{app: a, cfg: cfg, getenv: getenv}
	code, err := r.execute(ctx)
	if err != nil {
		var u *usageError
		if errors.As(err, &u) {
			code = ExitUsage
		}
		fmt.Fprintf(a.Stderr, "ingest: %s\n", scrub(err.Error(), cfg))
	}
	return code
}

// run is one execution.
type run struct {
	app    *App
	cfg    *config
	getenv func(string) string

	seq      *sequencer
	sink     sink
	src      source
	identity string

	// This run's counts.
	accepted, rejected, duplicates atomic.Int64

	failMu   sync.Mutex
	failure  error // the first failure that is not a row's fault
	failLine int64
	stopRead context.CancelFunc
}

func (r *run) progress() (int64, int64) {
	return r.accepted.Load() + r.rejected.Load() + r.duplicates.Load(), r.src.offset()
}

// execute loads the input and returns the exit code (and the error to print, if any).
func (r *run) execute(ctx context.Context) (int, error) {
	cfg := r.cfg
	began := time.Now()

	// The input, and its fingerprint (its first 64 KiB).
	var (
		in     io.Reader
		seeker io.Seeker
		size   int64 = -1
		prefix []byte
	)
	if cfg.input == stdinName {
		br := bufio.NewReaderSize(r.app.Stdin, fingerprintBytes)
		prefix, _ = br.Peek(fingerprintBytes)
		prefix = append([]byte(nil), prefix...)
		in = br
	} else {
		f, err := os.Open(cfg.input)
		if err != nil {
			return ExitRejected, fmt.Errorf("open the input: %w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size, seeker = st.Size(), f
			prefix = make([]byte, min(size, fingerprintBytes))
			if _, err := f.ReadAt(prefix, 0); err != nil && !errors.Is(err, io.EOF) {
				return ExitRejected, fmt.Errorf("read the input: %w", err)
			}
		} else {
			br := bufio.NewReaderSize(f, fingerprintBytes)
			prefix, _ = br.Peek(fingerprintBytes)
			prefix = append([]byte(nil), prefix...)
			in = br
		}
		if in == nil {
			in = f
		}
	}
	fp := fingerprint(cfg.resource, prefix)

	// The checkpoint of an earlier run.
	var st *state
	if !cfg.restart {
		var err error
		if st, err = loadState(cfg.state); err != nil {
			return ExitUsage, err
		}
	}
	resumed := st != nil
	if st != nil {
		switch {
		case st.Resource != cfg.resource || st.Format != cfg.format:
			return ExitUsage, usagef("the state file %s is for resource %q (%s), not %q (%s): pass another --state, or --restart", cfg.state, st.Resource, st.Format, cfg.resource, cfg.format)
		case st.Fingerprint != fp:
			return ExitUsage, usagef("the state file %s was written for another input (its first 64 KiB differ): pass another --state, or --restart to start over", cfg.state)
		case cfg.inputID != "" && st.Identity != cfg.inputID:
			return ExitUsage, usagef("the state file %s was written with another --input-id: pass the same one, or --restart", cfg.state)
		case st.Complete:
			fmt.Fprintf(r.app.Stderr, "ingest: %s was loaded completely already (state %s): %d accepted, %d rejected, %d duplicates; --restart loads it again\n",
				cfg.input, cfg.state, st.Accepted, st.Rejected, st.Duplicates)
			if st.Rejected > 0 {
				fmt.Fprintf(r.app.Stderr, "ingest: %d rejected rows are in %s\n", st.Rejected, cfg.reject)
			}
			if st.Rejected > 0 {
				return ExitRejected, nil
			}
			return ExitOK, nil
		}
	} else {
		identity := cfg.inputID
		if identity == "" {
			identity = fp
		}
		st = &state{Version: stateVersion, Resource: cfg.resource, Format: cfg.format, Identity: identity, Fingerprint: fp}
	}
	start := *st

	// Where the rows go.
	var res *store.Resource
	if cfg.connection != "" {
		opts := r.app.Options
		opts.Passphrase = cfg.passphrase
		db, err := store.Open(ctx, cfg.connection, opts)
		if err != nil {
			return ExitRejected, fmt.Errorf("open the database %s: %w", redacted(cfg.connection), err)
		}
		if res, err = db.Resource(cfg.resource); err != nil {
			return ExitRejected, err
		}
	}

	// The reader, positioned after the checkpoint.
	if st.Offset > 0 {
		if seeker != nil {
			if _, err := seeker.Seek(st.Offset, io.SeekStart); err != nil {
				return ExitRejected, fmt.Errorf("seek the input to the checkpoint: %w", err)
			}
		} else if _, err := io.CopyN(io.Discard, in, st.Offset); err != nil {
			return ExitRejected, fmt.Errorf("skip the input to the checkpoint (byte %d): %w", st.Offset, err)
		}
	}
	switch cfg.format {
	case "jsonl":
		r.src = newJSONLSource(in, st.Offset, st.Line, cfg.maxRowBytes)
	case "csv":
		var typer columnTyper
		if res != nil {
			typer.attrs = res.Definition().Attributes
		}
		var header []string
		if st.Offset > 0 {
			header = st.Header
		}
		cs, err := newCSVSource(in, st.Offset, st.Line, header, typer, cfg.maxRowBytes)
		if err != nil {
			return ExitRejected, err
		}
		if header == nil {
			st.Header, st.Offset, st.Line = cs.header, cs.headerEnd(), 1
		}
		r.src = cs
	}

	// The reject file, cut back to the checkpoint, and the state written before the first row.
	rej, err := os.OpenFile(cfg.reject, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return ExitRejected, fmt.Errorf("open the reject file: %w", err)
	}
	defer rej.Close()
	if err := rej.Truncate(st.RejectBytes); err != nil {
		return ExitRejected, fmt.Errorf("cut the reject file back to the checkpoint: %w", err)
	}
	if _, err := rej.Seek(st.RejectBytes, io.SeekStart); err != nil {
		return ExitRejected, fmt.Errorf("open the reject file: %w", err)
	}
	r.identity = st.Identity
	r.seq = newSequencer(max(1024, 8*cfg.concurrency), *st, rej, cfg.state)
	if err := r.seq.checkpoint(false); err != nil {
		return ExitRejected, err
	}

	readCtx, stopRead := context.WithCancel(ctx)
	defer stopRead()
	r.stopRead = stopRead
	report := func(pos int64, o outcome, err error) {
		text := ""
		switch o {
		case accepted:
			r.accepted.Add(1)
		case duplicate:
			r.duplicates.Add(1)
		case rejected:
			r.rejected.Add(1)
			text = err.Error()
		}
		if werr := r.seq.done(pos, o, text); werr != nil {
			r.fail(-1, werr)
		}
	}
	if cfg.publish != "" {
		target, _ := parsePublishURL(cfg.publish)
		pub, topic, err := openPublisher(ctx, target, cfg.concurrency, r.getenv)
		if err != nil {
			return ExitRejected, err
		}
		r.sink = newPublishSink(pub, topic, cfg.resource, cfg.upsert, cfg.concurrency, report, r.fail)
	} else {
		r.sink = newStoreSink(res, cfg.upsert, cfg.concurrency, report, r.fail)
	}
	defer r.sink.close()

	// Checkpoints every second while the rows flow.
	stopTicks := make(chan struct{})
	var ticks sync.WaitGroup
	ticks.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stopTicks:
				return
			case <-t.C:
				if err := r.seq.checkpoint(false); err != nil {
					r.fail(-1, err)
				}
			}
		}
	})
	every := r.app.PlainEvery
	if every <= 0 {
		every = 5 * time.Second
	}
	label := "ingest " + cfg.resource
	prog := startProgress(cfg.progress, r.app.Stderr, label, size, st.Offset, r, every)

	eof, readErr := r.readLoop(readCtx)

	// Finish what is in flight whatever happened, then the last checkpoint.
	flushErr := r.sink.flush(context.WithoutCancel(ctx))
	close(stopTicks)
	ticks.Wait()
	prog.stop()
	failure := r.firstFailure()
	interrupted := ctx.Err() != nil
	complete := eof && readErr == nil && flushErr == nil && failure == nil && !interrupted
	if err := r.seq.checkpoint(complete); err != nil && failure == nil {
		failure = err
	}
	end := r.seq.snapshot()
	r.summary(&start, &end, time.Since(began), resumed, complete, interrupted)
	switch {
	case failure != nil:
		return ExitRejected, fmt.Errorf("stopped at line %d: %w; the checkpoint is at line %d: run the same command again to resume",
			r.failLine, failure, end.Line)
	case readErr != nil:
		return ExitRejected, fmt.Errorf("read the input after line %d: %w", end.Line, readErr)
	case flushErr != nil:
		return ExitRejected, flushErr
	case interrupted:
		fmt.Fprintf(r.app.Stderr, "ingest: interrupted; the checkpoint is at line %d: run the same command again to resume\n", end.Line)
		return ExitInterrupted, nil
	case end.Rejected > 0:
		return ExitRejected, nil
	}
	return ExitOK, nil
}

// readLoop reads rows and hands them to the sink until the input ends (eof), ctx ends (an
// interruption or a failure) or reading fails.
func (r *run) readLoop(ctx context.Context) (eof bool, err error) {
	for ctx.Err() == nil {
		it, err := r.src.next()
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		pos, err := r.seq.reserve(ctx, &it)
		if err != nil {
			return false, nil
		}
		if it.err != nil {
			r.rejected.Add(1)
			if werr := r.seq.done(pos, rejected, it.err.Error()); werr != nil {
				return false, werr
			}
			continue
		}
		id, tx := identify(r.cfg.resource, r.identity, &it)
		if err := r.sink.send(context.WithoutCancel(ctx), row{pos: pos, id: id, tx: tx, data: it.data}); err != nil {
			r.fail(it.line, err)
			return false, nil
		}
	}
	return false, nil
}

// fail records the first failure that is not a row's fault and stops reading.
func (r *run) fail(pos int64, err error) {
	r.failMu.Lock()
	defer r.failMu.Unlock()
	if r.failure == nil {
		r.failure = err
		if pos >= 0 {
			r.failLine = r.seq.lineOf(pos)
		}
	}
	r.stopRead()
}

func (r *run) firstFailure() error {
	r.failMu.Lock()
	defer r.failMu.Unlock()
	return r.failure
}

// summary prints the totals: this run's, and the whole input's when the run resumed another.
func (r *run) summary(start, end *state, elapsed time.Duration, resumed, complete, interrupted bool) {
	w := r.app.Stderr
	acc, rej, dup := end.Accepted-start.Accepted, end.Rejected-start.Rejected, end.Duplicates-start.Duplicates
	rate := 0.0
	if elapsed > 0 {
		rate = float64(acc+rej+dup) / elapsed.Seconds()
	}
	verb := "written to"
	if r.cfg.publish != "" {
		verb = "published for"
	}
	fmt.Fprintf(w, "ingest: %s: %d rows accepted (%s %s), %d rejected, %d duplicates skipped (written by an earlier run); %s, %.0f rows/s\n",
		r.cfg.input, acc, verb, r.cfg.resource, rej, dup, elapsed.Round(time.Millisecond), rate)
	if resumed {
		fmt.Fprintf(w, "ingest: resumed after line %d; whole input so far: %d accepted, %d rejected, %d duplicates\n",
			start.Line, end.Accepted, end.Rejected, end.Duplicates)
	}
	if end.Rejected > 0 {
		fmt.Fprintf(w, "ingest: %d rejected rows are in %s (one JSON line each: line, error, row)\n", end.Rejected, r.cfg.reject)
	}
	if !complete && !interrupted {
		fmt.Fprintf(w, "ingest: the input was not loaded completely: the checkpoint (%s) is at line %d\n", r.cfg.state, end.Line)
	}
}

// scrub masks the connection string's secret and the passphrase in msg.
func scrub(msg string, cfg *config) string {
	var secrets []string
	if cfg.passphrase != "" {
		secrets = append(secrets, cfg.passphrase)
	}
	for _, c := range []string{cfg.connection, cfg.publish} {
		if u, err := url.Parse(c); err == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && p != "" {
				secrets = append(secrets, u.User.String(), p, url.QueryEscape(p), url.PathEscape(p))
			}
		}
	}
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

func redacted(conn string) string {
	cfg, err := objstore.ParseConnectionString(conn)
	if err != nil {
		return "(unparsable connection string)"
	}
	return cfg.String()
}
