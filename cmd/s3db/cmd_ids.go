package main

import "github.com/s3db-go/s3db/codec"

// runIDs prints every record id in key order: one per line, or {"id":…} lines with --json.
func runIDs(r *runner, args []string) error {
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	ids, err := res.ListIDs(r.ctx, 0)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if r.out.json {
			err = r.out.jsonLine(codec.Ordered{{Name: "id", Value: id}})
		} else {
			err = r.out.line("%s", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
