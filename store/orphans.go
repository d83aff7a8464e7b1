package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// OrphanedPartition is a partition that names fields the resource no longer has (left behind by a
// schema change; s3db.js's findOrphaned).
type OrphanedPartition struct {
	Name          string
	MissingFields []string
}

// OrphanedPartitions lists the resource's partitions whose fields are not all attributes.
func (r *Resource) OrphanedPartitions() []OrphanedPartition {
	var out []OrphanedPartition
	for _, p := range r.def.Partitions {
		var missing []string
		for _, f := range partitionFieldNames(p.Value) {
			if !strings.HasPrefix(f, "_") && !hasAttribute(r.def.Attributes, f) {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			out = append(out, OrphanedPartition{Name: p.Name, MissingFields: missing})
		}
	}
	return out
}

// RemoveOrphanedPartitions drops the orphaned partitions from the resource's definition (a new
// version in s3db.json, written under the metadata lock) and returns what it removed. Their
// reference objects are left in the bucket, as s3db.js leaves them; delete them with the object
// store if the space matters.
func (db *Database) RemoveOrphanedPartitions(ctx context.Context, name string) ([]OrphanedPartition, *Resource, error) {
	r, err := db.Resource(name)
	if err != nil {
		return nil, nil, err
	}
	orphans := r.OrphanedPartitions()
	if len(orphans) == 0 {
		return nil, r, nil
	}
	def := r.Definition()
	drop := map[string]bool{}
	for _, o := range orphans {
		drop[o.Name] = true
	}
	kept := codec.Ordered{}
	for _, p := range def.Partitions {
		if !drop[p.Name] {
			kept = append(kept, p)
		}
	}
	def.Partitions = kept
	def.IDGenerator = r.idGenerator
	nr, err := db.CreateResource(ctx, def)
	if err != nil {
		return nil, nil, fmt.Errorf("remove orphaned partitions of %q: %w", name, err)
	}
	return orphans, nr, nil
}
