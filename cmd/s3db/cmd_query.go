package main

import (
	"sort"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// queryBatch is how many records a query reads at once before filtering them.
const queryBatch = 64

// runQuery prints the records whose fields strictly equal the filter's values (s3db.js's query:
// dotted paths reach nested fields, "1" does not equal 1, a missing field equals nothing). When
// the filter names every field of a partition the partition's references narrow the candidates;
// the whole filter is then checked on every record read either way.
func runQuery(r *runner, args []string) error {
	f := r.flags
	if f.limit < 0 {
		return usagef(r.cmd, "--limit %d: want a positive number of records (or no --limit for all)", f.limit)
	}
	var filter map[string]any
	if f.filter != "" {
		var err error
		if filter, err = parseObject(f.filter); err != nil {
			return usagef(r.cmd, "--filter: %v", err)
		}
		for _, k := range sortedKeys(filter) {
			switch filter[k].(type) {
			case map[string]any, []any:
				return usagef(r.cmd, "--filter: the value of %q is %s, which strict equality never matches: filter on its fields with dotted paths (\"%s.field\")",
					k, jsonKind(filter[k]), k)
			}
		}
	}
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	var ids []string
	if p, values := choosePartition(res.Definition().Partitions, filter); p != "" {
		ids, err = res.ListIDsByPartition(r.ctx, p, values)
	} else {
		limit := 0
		if len(filter) == 0 {
			limit = f.limit
		}
		ids, err = res.ListIDs(r.ctx, limit)
	}
	if err != nil {
		return err
	}
	var found []store.Record
	for start := 0; start < len(ids) && (f.limit == 0 || len(found) < f.limit); start += queryBatch {
		recs, err := res.GetMany(r.ctx, ids[start:min(start+queryBatch, len(ids))])
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if f.limit > 0 && len(found) >= f.limit {
				break
			}
			if !matches(rec, filter) {
				continue
			}
			found = append(found, rec)
			if r.out.json {
				if err := r.out.jsonLine(orderRecord(rec, res.Definition().Attributes)); err != nil {
					return err
				}
			}
		}
	}
	if r.out.json {
		return nil
	}
	return r.out.records(found, res.Definition())
}

// choosePartition picks the partition whose fields the filter all names (with values a partition
// can hold): the one with most fields, then the first by name. "" when none fits.
func choosePartition(partitions codec.Ordered, filter map[string]any) (string, map[string]any) {
	type candidate struct {
		name   string
		values map[string]any
	}
	var fits []candidate
	for _, p := range partitions {
		fields := partitionFieldNames(p.Value)
		if len(fields) == 0 {
			continue
		}
		values := map[string]any{}
		for _, field := range fields {
			v, ok := filter[field]
			if !ok || !partitionable(v) {
				break
			}
			values[field] = v
		}
		if len(values) == len(fields) {
			fits = append(fits, candidate{p.Name, values})
		}
	}
	if len(fits) == 0 {
		return "", nil
	}
	sort.SliceStable(fits, func(i, j int) bool {
		if len(fits[i].values) != len(fits[j].values) {
			return len(fits[i].values) > len(fits[j].values)
		}
		return fits[i].name < fits[j].name
	})
	return fits[0].name, fits[0].values
}

// partitionable reports whether a filter value can appear in a partition reference.
func partitionable(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

// matches reports whether every filter path holds a strictly equal value.
func matches(rec store.Record, filter map[string]any) bool {
	for path, want := range filter {
		got, ok := lookupPath(rec, path)
		if !ok || !strictEqual(got, want) {
			return false
		}
	}
	return true
}

// lookupPath follows a dotted path through nested objects (and arrays, by index: "tags.0").
func lookupPath(rec map[string]any, path string) (any, bool) {
	var cur any = rec
	for _, seg := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[seg]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || !codec.IsArrayIndex(seg) || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// strictEqual is JavaScript's === for a JSON filter value (a string, number, boolean or null).
func strictEqual(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case string:
		g, ok := got.(string)
		return ok && g == w
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case float64:
		g, ok := codec.AsNumber(got)
		return ok && g == w
	}
	return false
}
