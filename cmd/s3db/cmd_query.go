package main

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
	found, err := res.Query(r.ctx, filter, f.limit)
	if err != nil {
		return err
	}
	if r.out.json {
		for _, rec := range found {
			if err := r.out.jsonLine(orderRecord(rec, res.Definition().Attributes)); err != nil {
				return err
			}
		}
		return nil
	}
	return r.out.records(found, res.Definition())
}
