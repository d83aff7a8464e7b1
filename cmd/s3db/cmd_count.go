package main

import (
	"slices"
	"sort"
	"strings"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// runCount counts all records, or those of a partition (with --values, those whose partition
// fields have those values).
func runCount(r *runner, args []string) error {
	f := r.flags
	values, err := r.partitionValues()
	if err != nil {
		return err
	}
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	var n int
	if f.partition == "" {
		n, err = res.Count(r.ctx)
	} else {
		if err := r.checkPartition(res, f.partition, values); err != nil {
			return err
		}
		var ids []string
		ids, err = res.ListIDsByPartition(r.ctx, f.partition, values)
		n = len(ids)
	}
	if err != nil {
		return err
	}
	if !r.out.json {
		return r.out.line("%d", n)
	}
	obj := codec.Ordered{{Name: "resource", Value: args[0]}}
	if f.partition != "" {
		obj = append(obj, codec.Member{Name: "partition", Value: f.partition})
		vals := codec.Ordered{}
		for _, k := range sortedKeys(values) {
			vals = append(vals, codec.Member{Name: k, Value: values[k]})
		}
		obj = append(obj, codec.Member{Name: "values", Value: vals})
	}
	return r.out.jsonLine(append(obj, codec.Member{Name: "count", Value: n}))
}

// checkPartition makes a wrong --partition or --values field a usage error that lists the right ones.
func (r *runner) checkPartition(res *store.Resource, name string, values map[string]any) error {
	parts := res.Definition().Partitions
	fields, ok := res.PartitionFields(name)
	if !ok {
		if len(parts) == 0 {
			return usagef(r.cmd, "--partition %q: resource %s has no partitions", name, res.Name())
		}
		return usagef(r.cmd, "--partition %q: resource %s has the partitions %s", name, res.Name(), strings.Join(parts.Names(), ", "))
	}
	for _, k := range sortedKeys(values) {
		if !slices.Contains(fields, k) {
			return usagef(r.cmd, "--values: %q is not a field of partition %s (its fields: %s)", k, name, strings.Join(fields, ", "))
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// partitionValues reads --values (k=v,…) for the --partition given with it.
func (r *runner) partitionValues() (map[string]any, error) {
	f := r.flags
	if f.values == "" {
		return nil, nil
	}
	if f.partition == "" {
		return nil, usagef(r.cmd, "--values needs --partition: say which partition the values are for")
	}
	values, err := parseValues(f.values)
	if err != nil {
		return nil, usagef(r.cmd, "--values: %v", err)
	}
	return values, nil
}
