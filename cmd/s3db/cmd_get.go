package main

// runGet prints one record.
func runGet(r *runner, args []string) error {
	res, err := r.resource(args[0])
	if err != nil {
		return err
	}
	rec, err := res.Get(r.ctx, args[1])
	if err != nil {
		return err
	}
	return r.out.record(rec, res.Definition())
}
