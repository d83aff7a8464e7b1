package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/s3db-go/s3db/store"
)

// runInsert inserts the record of -d, or every JSON line of stdin (blank lines are skipped). Lines
// are inserted as they are read, so a failure names its line and how many came before it.
func runInsert(r *runner, args []string) error {
	if r.flags.dataSet {
		data, err := parseObject(r.flags.data)
		if err != nil {
			return usagef(r.cmd, "-d: %v", err)
		}
		res, err := r.resource(args[0])
		if err != nil {
			return err
		}
		rec, err := recordOf(res.Insert(r.ctx, data))
		if err != nil {
			return err
		}
		return r.out.record(rec, res.Definition())
	}
	return r.insertLines(args[0])
}

// insertLines inserts JSON lines from stdin: printed as they are inserted with --json, else as one
// table at the end (also when a line fails, so the inserted ones are shown).
func (r *runner) insertLines(name string) error {
	var (
		res      *store.Resource
		inserted []store.Record
		lineNo   int
	)
	in := bufio.NewReader(r.stdin)
	for {
		line, readErr := in.ReadString('\n')
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return r.finishLines(res, inserted, fmt.Errorf("read stdin after line %d: %w", lineNo, readErr))
		}
		if line != "" {
			lineNo++
		}
		if text := strings.TrimSpace(line); text != "" {
			err := r.insertLine(name, &res, text, &inserted)
			if err != nil {
				return r.finishLines(res, inserted, fmt.Errorf("stdin line %d: %w (%d record(s) before it were inserted)", lineNo, err, len(inserted)))
			}
		}
		if readErr != nil {
			break
		}
	}
	if res == nil {
		return usagef(r.cmd, "no record: pass -d JSON, or JSON objects on stdin, one per line")
	}
	return r.finishLines(res, inserted, nil)
}

func (r *runner) insertLine(name string, res **store.Resource, text string, inserted *[]store.Record) error {
	data, err := parseObject(text)
	if err != nil {
		return err
	}
	if *res == nil {
		if *res, err = r.resource(name); err != nil {
			return err
		}
	}
	rec, err := recordOf((*res).Insert(r.ctx, data))
	if err != nil {
		return err
	}
	*inserted = append(*inserted, rec)
	if r.out.json {
		return r.out.jsonLine(orderRecord(rec, (*res).Definition().Attributes))
	}
	return nil
}

// finishLines prints the table of inserted records (table mode) and returns err.
func (r *runner) finishLines(res *store.Resource, inserted []store.Record, err error) error {
	if r.out.json || len(inserted) == 0 {
		return err
	}
	if perr := r.out.records(inserted, res.Definition()); perr != nil && err == nil {
		return perr
	}
	return err
}

// recordOf is the record a write left.
func recordOf(ch store.Change, err error) (store.Record, error) { return ch.After, err }
