package main

import (
	"sort"
	"strings"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store"
)

// runSchema prints a resource's definition as stored (timestamps and their partitions included).
func runSchema(r *runner, args []string) error {
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	return r.printSchema(res, "")
}

// printSchema prints a resource's definition; status ("created", "updated", "unchanged") is shown
// first when not empty.
func (r *runner) printSchema(res *store.Resource, status string) error {
	def := res.Definition()
	if r.out.json {
		obj := codec.Ordered{}
		if status != "" {
			obj = append(obj, codec.Member{Name: "status", Value: status})
		}
		partitions := def.Partitions
		if partitions == nil {
			partitions = codec.Ordered{}
		}
		obj = append(obj,
			codec.Member{Name: "name", Value: def.Name},
			codec.Member{Name: "version", Value: res.Version()},
			codec.Member{Name: "behavior", Value: def.Behavior},
			codec.Member{Name: "timestamps", Value: def.Timestamps},
			codec.Member{Name: "attributes", Value: def.Attributes},
			codec.Member{Name: "partitions", Value: partitions},
		)
		return r.out.jsonLine(obj)
	}
	head := [][]string{
		{"resource", def.Name},
		{"version", res.Version()},
		{"behavior", def.Behavior},
		{"timestamps", boolText(def.Timestamps)},
	}
	if status != "" {
		head = append([][]string{{"status", status}}, head...)
	}
	if err := r.out.table(nil, head); err != nil {
		return err
	}
	var attrs [][]string
	attributeRows("", def.Attributes, &attrs)
	if err := r.out.line(""); err != nil {
		return err
	}
	if err := r.out.table([]string{"ATTRIBUTE", "RULE"}, attrs); err != nil {
		return err
	}
	if len(def.Partitions) == 0 {
		return nil
	}
	var parts [][]string
	for _, p := range def.Partitions {
		parts = append(parts, []string{p.Name, partitionFields(p.Value)})
	}
	if err := r.out.line(""); err != nil {
		return err
	}
	return r.out.table([]string{"PARTITION", "FIELDS"}, parts)
}

// attributeRows lists attributes with dotted paths; a nested object shows its $$type (or "object")
// and then its own attributes.
func attributeRows(prefix string, attrs codec.Ordered, rows *[][]string) {
	for _, a := range attrs {
		if a.Name == "$$type" {
			continue
		}
		path := a.Name
		if prefix != "" {
			path = prefix + "." + a.Name
		}
		nested, ok := a.Value.(codec.Ordered)
		if !ok {
			*rows = append(*rows, []string{path, cell(a.Value)})
			continue
		}
		rule := "object"
		if t, ok := nested.Get("$$type"); ok {
			rule = cell(t)
		}
		*rows = append(*rows, []string{path, rule})
		attributeRows(path, nested, rows)
	}
}

// partitionFields shows {fields: {region: "string"}} as "region=string".
func partitionFields(def any) string {
	obj, _ := def.(codec.Ordered)
	fv, _ := obj.Get("fields")
	fields, _ := fv.(codec.Ordered)
	var out []string
	for _, f := range fields {
		out = append(out, f.Name+"="+cell(f.Value))
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
