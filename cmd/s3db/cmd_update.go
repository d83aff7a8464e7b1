package main

import "github.com/s3db-go/s3db/codec"

// runUpdate merges -d into a record and prints the result.
func runUpdate(r *runner, args []string) error {
	patch, err := r.requireData()
	if err != nil {
		return err
	}
	if id, ok := patch["id"]; ok && codec.JSString(id) != args[1] {
		return usagef(r.cmd, "-d: id %q differs from the ID argument %q: a record's id cannot change", codec.JSString(id), args[1])
	}
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	rec, err := recordOf(res.Update(r.ctx, args[1], patch))
	if err != nil {
		return err
	}
	return r.out.record(rec, res.Definition())
}

// runUpsert inserts -d, or updates the record with its id, and prints the result.
func runUpsert(r *runner, args []string) error {
	data, err := r.requireData()
	if err != nil {
		return err
	}
	if id := data["id"]; id == nil || id == "" {
		return usagef(r.cmd, "-d: upsert needs the record's id (as s3db.js's upsert): -d '{\"id\":\"u1\",...}'; use insert to generate one")
	}
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	rec, err := recordOf(res.Upsert(r.ctx, data))
	if err != nil {
		return err
	}
	return r.out.record(rec, res.Definition())
}

// requireData parses the mandatory -d flag.
func (r *runner) requireData() (map[string]any, error) {
	if !r.flags.dataSet {
		return nil, usagef(r.cmd, "-d is required: the fields as JSON, e.g. -d '{\"name\":\"Ada\"}'")
	}
	data, err := parseObject(r.flags.data)
	if err != nil {
		return nil, usagef(r.cmd, "-d: %v", err)
	}
	return data, nil
}
