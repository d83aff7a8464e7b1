package main

import (
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// runList prints the resources: name, version, behavior, timestamps, attributes and partitions.
func runList(r *runner, _ []string) error {
	db, err := r.database()
	if err != nil {
		return err
	}
	var rows [][]string
	for _, name := range db.Resources() {
		res, err := db.Resource(name)
		if err != nil {
			return err
		}
		def := res.Definition()
		attrs, parts := def.Attributes.Names(), def.Partitions.Names()
		if r.out.json {
			err := r.out.jsonLine(codec.Ordered{
				{Name: "name", Value: name},
				{Name: "version", Value: res.Version()},
				{Name: "behavior", Value: def.Behavior},
				{Name: "timestamps", Value: def.Timestamps},
				{Name: "attributes", Value: strSlice(attrs)},
				{Name: "partitions", Value: strSlice(parts)},
			})
			if err != nil {
				return err
			}
			continue
		}
		rows = append(rows, []string{name, res.Version(), def.Behavior, boolText(def.Timestamps),
			strconv.Itoa(len(attrs)), dashIfEmpty(strings.Join(parts, ","))})
	}
	if r.out.json {
		return nil
	}
	if len(rows) == 0 {
		return r.out.line("(no resources: define one with s3db create-resource)")
	}
	return r.out.table([]string{"NAME", "VERSION", "BEHAVIOR", "TIMESTAMPS", "ATTRIBUTES", "PARTITIONS"}, rows)
}

// strSlice makes a JSON array that is [] rather than null when empty.
func strSlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
