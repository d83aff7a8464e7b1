package store

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// queryBatch is how many records a query reads at once before filtering them.
const queryBatch = 64

// Query returns up to limit records (all with limit <= 0) whose fields strictly equal the filter's
// values, in key order: s3db.js's query semantics (dotted paths reach nested fields and array
// items, "1" does not equal 1, a missing field equals nothing, null equals only null). When the
// filter names every field of a partition, that partition's references narrow the candidates;
// the whole filter is then checked on every record read (s3db.js skips the partition fields,
// which returns wrong records when a partition rule trims values).
func (r *Resource) Query(ctx context.Context, filter map[string]any, limit int) ([]Record, error) {
	var ids []string
	var err error
	if p, values := choosePartition(r.def.Partitions, filter); p != "" {
		ids, err = r.ListIDsByPartition(ctx, p, values)
	} else {
		listLimit := 0
		if len(filter) == 0 {
			listLimit = limit
		}
		ids, err = r.ListIDs(ctx, listLimit)
	}
	if err != nil {
		return nil, err
	}
	var found []Record
	for start := 0; start < len(ids) && (limit <= 0 || len(found) < limit); start += queryBatch {
		recs, err := r.GetMany(ctx, ids[start:min(start+queryBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if limit > 0 && len(found) >= limit {
				break
			}
			if Matches(rec, filter) {
				found = append(found, rec)
			}
		}
	}
	return found, nil
}

// PartitionFields lists the fields of a partition, in definition order; ok is false for an
// unknown partition.
func (r *Resource) PartitionFields(name string) (fields []string, ok bool) {
	def, ok := r.def.Partitions.Get(name)
	if !ok {
		return nil, false
	}
	return partitionFieldNames(def), true
}

// partitionFieldNames lists the fields of a partition definition {fields: {…}}.
func partitionFieldNames(def any) []string {
	obj, _ := def.(codec.Ordered)
	fv, _ := obj.Get("fields")
	fields, _ := fv.(codec.Ordered)
	return fields.Names()
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

// Matches reports whether every filter path holds a strictly equal value.
func Matches(rec Record, filter map[string]any) bool {
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
