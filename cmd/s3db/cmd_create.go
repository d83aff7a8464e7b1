package main

import (
	"errors"
	"strings"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store"
)

// runCreateResource defines a resource (or a new version of it) and prints its definition, with
// whether it was created, updated or left unchanged.
func runCreateResource(r *runner, args []string) error {
	f := r.flags
	if f.attributes == "" {
		return usagef(r.cmd, "--attributes is required: the attributes as JSON, e.g. --attributes '{\"name\":\"string|required\"}'")
	}
	attrs, err := parseOrderedObject(f.attributes)
	if err != nil {
		return usagef(r.cmd, "--attributes: %v", err)
	}
	if f.behavior != "" {
		if _, err := behaviors.Lookup(f.behavior); err != nil {
			return usagef(r.cmd, "--behavior %q: want one of %s", f.behavior, strings.Join(behaviors.Names(), ", "))
		}
	}
	def := store.Definition{Name: args[0], Attributes: attrs, Behavior: f.behavior, Timestamps: f.timestamps}
	if f.partitions != "" {
		v, err := codec.ParseOrdered([]byte(f.partitions))
		if err != nil {
			return usagef(r.cmd, "--partitions: %v", describeJSONError(f.partitions, err))
		}
		if def.Partitions, err = store.ParsePartitions(v, attrs); err != nil {
			return usagef(r.cmd, "--partitions: %v", err)
		}
	}
	db, err := r.database()
	if err != nil {
		return err
	}
	before := ""
	if old, err := db.Resource(def.Name); err == nil {
		before = old.Version()
	}
	res, err := db.CreateResource(r.ctx, def)
	if errors.Is(err, schema.ErrDefinition) {
		return usagef(r.cmd, "--attributes: %v", err)
	}
	if err != nil {
		return err
	}
	status := "created"
	switch before {
	case "":
	case res.Version():
		status = "unchanged"
	default:
		status = "updated"
	}
	return r.printSchema(res, status)
}
