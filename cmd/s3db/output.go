package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// output writes results: one JSON object per line (JavaScript's JSON.stringify text) with --json,
// else aligned tables.
type output struct {
	w    io.Writer
	json bool
}

// jsonLine writes v as one line of JSON.
func (o *output) jsonLine(v any) error {
	b, err := codec.MarshalJS(v)
	if err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	_, err = o.w.Write(append(b, '\n'))
	return err
}

// table writes a header (omitted when nil) and rows, aligned in columns.
func (o *output) table(header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(o.w, 0, 0, 2, ' ', 0)
	if header != nil {
		fmt.Fprintln(tw, strings.Join(header, "\t"))
	}
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// line writes one line of text.
func (o *output) line(format string, args ...any) error {
	_, err := fmt.Fprintf(o.w, format+"\n", args...)
	return err
}

// record writes one record: a JSON line, or a FIELD VALUE table with nested fields as dotted paths.
func (o *output) record(rec store.Record, def store.Definition) error {
	ord := orderRecord(rec, def.Attributes)
	if o.json {
		return o.jsonLine(ord)
	}
	var rows [][]string
	flatten("", idFirst(ord), func(path string, v any) {
		rows = append(rows, []string{path, cell(v)})
	})
	return o.table([]string{"FIELD", "VALUE"}, rows)
}

// records writes records: JSON lines, or a table with a column per top-level field (id first).
func (o *output) records(recs []store.Record, def store.Definition) error {
	if o.json {
		for _, rec := range recs {
			if err := o.jsonLine(orderRecord(rec, def.Attributes)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(recs) == 0 {
		return o.line("(no records)")
	}
	var cols []string
	seen := map[string]bool{}
	ordered := make([]codec.Ordered, len(recs))
	for i, rec := range recs {
		ordered[i] = idFirst(orderRecord(rec, def.Attributes))
		for _, m := range ordered[i] {
			if !seen[m.Name] {
				seen[m.Name] = true
				cols = append(cols, m.Name)
			}
		}
	}
	rows := make([][]string, len(recs))
	for i, rec := range ordered {
		row := make([]string, len(cols))
		for j, c := range cols {
			if v, ok := rec.Get(c); ok {
				row[j] = cell(v)
			}
		}
		rows[i] = row
	}
	return o.table(cols, rows)
}

// orderRecord returns a record with its fields in the order s3db.js's get gives them: the user
// fields in attribute order (nested objects too), fields without an attribute after them sorted,
// and id last.
func orderRecord(rec map[string]any, attrs codec.Ordered) codec.Ordered {
	out := make(codec.Ordered, 0, len(rec))
	done := map[string]bool{"id": true}
	for _, a := range attrs {
		v, ok := rec[a.Name]
		if !ok || done[a.Name] {
			continue
		}
		done[a.Name] = true
		out = append(out, codec.Member{Name: a.Name, Value: orderValue(v, a.Value)})
	}
	var extra []string
	for k := range rec {
		if !done[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		out = append(out, codec.Member{Name: k, Value: orderValue(rec[k], nil)})
	}
	if id, ok := rec["id"]; ok {
		out = append(out, codec.Member{Name: "id", Value: id})
	}
	return out
}

// orderValue orders a nested object by its attribute definition (an object of rules); other values
// are returned as they are.
func orderValue(v any, def any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	attrs, _ := def.(codec.Ordered)
	return orderRecord(m, attrs)
}

// idFirst moves id to the front, for tables.
func idFirst(rec codec.Ordered) codec.Ordered {
	out := make(codec.Ordered, 0, len(rec))
	if id, ok := rec.Get("id"); ok {
		out = append(out, codec.Member{Name: "id", Value: id})
	}
	for _, m := range rec {
		if m.Name != "id" {
			out = append(out, m)
		}
	}
	return out
}

// flatten calls fn for every leaf of an object, nested objects as dotted paths.
func flatten(prefix string, obj codec.Ordered, fn func(path string, v any)) {
	for _, m := range obj {
		path := m.Name
		if prefix != "" {
			path = prefix + "." + m.Name
		}
		if nested, ok := m.Value.(codec.Ordered); ok && len(nested) > 0 {
			flatten(path, nested, fn)
			continue
		}
		fn(path, m.Value)
	}
}

// cell is a value as a table shows it: strings as they are (control characters escaped, so a
// value stays on its line and in its column), everything else as JSON.
func cell(v any) string {
	if s, ok := v.(string); ok && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	b, err := codec.MarshalJS(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
