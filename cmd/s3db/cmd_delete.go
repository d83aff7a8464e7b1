package main

import "github.com/s3db-go/s3db/codec"

// runDelete deletes one record and reports it.
func runDelete(r *runner, args []string) error {
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	if _, err := res.Delete(r.ctx, args[1]); err != nil {
		return err
	}
	if r.out.json {
		return r.out.jsonLine(codec.Ordered{{Name: "resource", Value: args[0]}, {Name: "id", Value: args[1]}, {Name: "deleted", Value: true}})
	}
	return r.out.line("deleted %s %s", args[0], args[1])
}
