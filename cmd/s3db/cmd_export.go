package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// exportConcurrency is how many records export fetches at once.
const exportConcurrency = 32

func exportCommand() *command {
	return &command{
		name: "export", args: []string{"RES"},
		synopsis: "[--format jsonl|csv] [--partition P --values k=v,...] [--output FILE]",
		summary:  "Write every record of a resource (or of a partition) as JSON lines or CSV, in key order.",
		details: `  --format F         jsonl (default): one JSON object per line, as s3db get --json prints it;
                     csv: a header (id, then the attributes in definition order) and one row per
                     record; arrays and objects are JSON text, absent values empty cells
                     (the form cmd/ingest reads back)
  --partition P      export through partition P; --values k=v,... selects its field values
  --output FILE      write to FILE instead of stdout
Records are streamed (32 fetched at once, in key order): memory stays small whatever the size.
A record that cannot be read is reported on stderr and the export goes on (exit 1 at the end).`,
		flags: func(fs *flag.FlagSet, f *commandFlags) {
			fs.StringVar(&f.format, "format", "jsonl", "")
			fs.StringVar(&f.partition, "partition", "", "")
			fs.StringVar(&f.values, "values", "", "")
			fs.StringVar(&f.output, "output", "", "")
		},
		run: runExport,
	}
}

func runExport(r *runner, args []string) error {
	f := r.flags
	if f.format != "jsonl" && f.format != "csv" {
		return usagef(r.cmd, "--format %q: want jsonl or csv", f.format)
	}
	values, err := r.partitionValues()
	if err != nil {
		return err
	}
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	if f.partition != "" {
		if err := r.checkPartition(res, f.partition, values); err != nil {
			return err
		}
	}
	out := r.out.w
	var file *os.File
	if f.output != "" {
		if file, err = os.Create(f.output); err != nil {
			return fmt.Errorf("create %s: %w", f.output, err)
		}
		defer file.Close()
		out = file
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	enc := newRecordEncoder(f.format, bw, res.Definition())
	opts := store.ReadOptions{
		IDs:         store.IDsOptions{Partition: f.partition, Values: values},
		Concurrency: exportConcurrency,
		Buffer:      2 * exportConcurrency, // room for the records behind a slow one (key order)
		Ordered:     true,
	}
	var (
		failed   int
		firstErr error
	)
	for rec, err := range res.StreamRecords(r.ctx, opts) {
		var re *store.RecordError
		switch {
		case err == nil:
		case errors.As(err, &re) && errors.Is(err, store.ErrNotFound):
			continue // deleted after it was listed
		case errors.As(err, &re) && rec != nil: // secrets that did not decrypt: written as stored
			if firstErr == nil {
				firstErr = err
			}
			failed++
		case errors.As(err, &re):
			if firstErr == nil {
				firstErr = err
			}
			failed++
			continue
		default:
			_ = bw.Flush()
			return fmt.Errorf("export %s: %w", res.Name(), err)
		}
		if err := enc.write(rec); err != nil {
			return err
		}
	}
	if err := enc.flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.output, err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("export %s: %d record(s) could not be read completely, the first: %w", res.Name(), failed, firstErr)
	}
	return nil
}

// recordEncoder writes records in one export format.
type recordEncoder struct {
	jsonl bool
	w     io.Writer
	csv   *csv.Writer
	def   store.Definition
	cols  []string
	row   []string

	headerDone bool
}

func newRecordEncoder(format string, w io.Writer, def store.Definition) *recordEncoder {
	e := &recordEncoder{jsonl: format == "jsonl", w: w, def: def}
	if !e.jsonl {
		e.csv = csv.NewWriter(w)
		e.cols = append([]string{"id"}, def.Attributes.Names()...)
		e.row = make([]string, len(e.cols))
	}
	return e
}

func (e *recordEncoder) write(rec store.Record) error {
	if e.jsonl {
		b, err := codec.MarshalJS(orderRecord(rec, e.def.Attributes))
		if err != nil {
			return fmt.Errorf("encode record %v: %w", rec["id"], err)
		}
		_, err = e.w.Write(append(b, '\n'))
		return err
	}
	if err := e.header(); err != nil {
		return err
	}
	for i, c := range e.cols {
		e.row[i] = csvCell(rec[c])
	}
	return e.csv.Write(e.row)
}

// header writes the CSV header, once (also when there are no records).
func (e *recordEncoder) header() error {
	if e.headerDone {
		return nil
	}
	e.headerDone = true
	return e.csv.Write(e.cols)
}

func (e *recordEncoder) flush() error {
	if e.csv == nil {
		return nil
	}
	if err := e.header(); err != nil {
		return err
	}
	e.csv.Flush()
	return e.csv.Error()
}

// csvCell is a value as a CSV cell: strings as they are, absent and null empty, numbers and
// booleans as JavaScript prints them, arrays and objects as JSON text.
func csvCell(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	}
	b, err := codec.MarshalJS(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
