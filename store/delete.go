package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/s3db-go/s3db/store/objstore"
)

// Delete removes a record and its partition references. The delete is conditional on the version
// read (If-Match), so the Change's Before is exactly what was deleted; when the record changes in
// between, Delete reads it again and deletes the new version. A missing record is a
// *NotFoundError, except with TxID, where it is taken as a delete already done and returns a
// Change with Duplicate set.
func (r *Resource) Delete(ctx context.Context, id string, opts ...WriteOption) (Change, error) {
	o := collect(opts)
	backoff := 5 * time.Millisecond
	var pending *Change // a delete whose answer was lost: if the record is gone now, it was this one
	for attempt := 0; ; attempt++ {
		cur, obj, err := r.get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			switch {
			case pending != nil:
				return r.deleted(ctx, *pending)
			case o.txID != "":
				return Change{Resource: r.def.Name, Op: "delete", Key: id, Duplicate: true, Source: ChangeSource{Version: r.version}}, nil
			}
		}
		if err != nil {
			return Change{}, err
		}
		before := cur.fields
		if err := runHooks(ctx, "beforeDelete", r.hooks.BeforeDelete, before); err != nil {
			return Change{}, fmt.Errorf("delete %s %q: %w", r.def.Name, id, err)
		}
		ch := r.change("delete", id, deletedRevision(cur.rev, r.db.now()), before, nil)
		err = r.db.objs.Delete(ctx, r.dataKey(id), objstore.DeleteOptions{IfMatch: obj.ETag, SendOnce: true})
		switch {
		case err == nil:
			return r.deleted(ctx, ch)
		case objstore.IsUncertain(err):
			if attempt >= uncertainAttempts {
				return Change{}, fmt.Errorf("delete %s %q: %w", r.def.Name, id, err)
			}
			pending = &ch
		case objstore.IsRaceLost(err):
			pending = nil
			if attempt >= 100 {
				return Change{}, fmt.Errorf("delete %s %q: %w after %d attempts", r.def.Name, id, ErrConflict, attempt+1)
			}
		default:
			return Change{}, fmt.Errorf("delete %s %q: %w", r.def.Name, id, err)
		}
		if err := sleep(ctx, &backoff); err != nil {
			return Change{}, err
		}
	}
}

// deleted completes a delete: references, event, after hooks.
func (r *Resource) deleted(ctx context.Context, ch Change) (Change, error) {
	if err := r.references(ctx, ch.Before, nil); err != nil {
		return ch, err
	}
	r.emit(ch)
	return ch, runHooks(ctx, "afterDelete", r.hooks.AfterDelete, ch.Before)
}

// DeleteMany deletes records one by one (each with its partition references); missing ids are
// skipped. It stops at the first other error.
func (r *Resource) DeleteMany(ctx context.Context, ids []string) (deleted int, err error) {
	for _, id := range ids {
		switch _, err := r.Delete(ctx, id); {
		case err == nil:
			deleted++
		case errors.Is(err, ErrNotFound):
		default:
			return deleted, err
		}
	}
	return deleted, nil
}

// ErrParanoid refuses DeleteAll on a paranoid resource (s3db.js's default).
var ErrParanoid = errors.New("deleteAll() is a dangerous operation and requires paranoid: false option")

// DeleteAll deletes every record and partition reference of the resource, in batches of 1,000.
// Resources are paranoid unless defined with Paranoid false, as in s3db.js; then it refuses. It
// emits no change events (as s3db.js's deleteAll emits one summary event, not one per record).
func (r *Resource) DeleteAll(ctx context.Context) (int, error) {
	if boolOr(r.def.Paranoid, true) {
		return 0, fmt.Errorf("%s: %w (define the resource with Paranoid: false to allow it)", r.def.Name, ErrParanoid)
	}
	total := 0
	for _, prefix := range []string{r.dataPrefix(), "resource=" + r.def.Name + "/partition="} {
		for {
			page, err := r.db.objs.List(ctx, objstore.ListOptions{Prefix: prefix})
			if err != nil {
				return total, err
			}
			if len(page.Keys) == 0 {
				break
			}
			keys := make([]string, len(page.Keys))
			for i, k := range page.Keys {
				keys[i] = k.Key
			}
			if err := r.db.objs.DeleteMany(ctx, keys); err != nil {
				return total, err
			}
			if prefix == r.dataPrefix() {
				total += len(keys)
			}
		}
	}
	return total, nil
}
