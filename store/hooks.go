package store

import (
	"context"
	"fmt"
)

// Hook runs around a write. Before hooks may change the record (or the patch) and abort the write
// by returning an error; after hooks see the record as stored and cannot undo the write (an error
// from one is returned to the caller, the write stands). Update hooks run again when a conflicting
// write forces a retry, on the fresh record.
type Hook func(ctx context.Context, rec Record) error

// Hooks are the Go counterparts of s3db.js's beforeInsert/afterInsert, beforeUpdate/afterUpdate
// and beforeDelete/afterDelete hooks. They live in the process (s3db.json stores only a summary
// of s3db.js's hooks, never code).
type Hooks struct {
	BeforeInsert, AfterInsert []Hook
	BeforeUpdate, AfterUpdate []Hook
	BeforeDelete, AfterDelete []Hook
}

// SetHooks replaces the resource's hooks. Call it before the resource is shared between
// goroutines.
func (r *Resource) SetHooks(h Hooks) { r.hooks = h }

func runHooks(ctx context.Context, stage string, hooks []Hook, rec Record) error {
	for i, h := range hooks {
		if err := h(ctx, rec); err != nil {
			return fmt.Errorf("%s hook %d: %w", stage, i+1, err)
		}
	}
	return nil
}
