package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store/objstore"
)

// Resource is one s3db resource: its records are objects resource=<name>/data/id=<id>.
// It is safe for concurrent use; every write is conditional (see Insert and Update).
type Resource struct {
	db        *Database
	def       Definition // normalized
	version   string
	schema    *schema.Schema
	validator *schema.Validator
	behavior  behaviors.Behavior
	hooks     Hooks

	idGenerator func(map[string]any) string
}

// compile builds a Resource from its s3db.json entry.
func (db *Database) compile(rm *resourceMeta) (*Resource, error) {
	def := rm.Def.Normalized()
	s, err := schema.New(def.Attributes, schema.Options{Version: rm.CurrentVersion, Registry: rm.Registry, Cipher: db.cipher, Now: db.now})
	if err != nil {
		return nil, err
	}
	v, err := schema.NewValidator(def.Attributes, schema.ValidatorOptions{
		Cipher:                   db.cipher,
		HashPassword:             func(p string) (string, error) { return codec.HashPassword(p, codec.DefaultBcryptCost) },
		HashPasswordArgon2:       codec.HashPasswordArgon2id,
		IsPasswordHash:           codec.IsPasswordHash,
		AllNestedObjectsOptional: boolOr(def.AllNestedObjectsOptional, true),
		Now:                      db.now,
	})
	if err != nil {
		return nil, err
	}
	b, err := behaviors.Lookup(def.Behavior)
	if err != nil {
		return nil, err
	}
	return &Resource{db: db, def: def, version: rm.CurrentVersion, schema: s, validator: v, behavior: b}, nil
}

// Name is the resource name.
func (r *Resource) Name() string { return r.def.Name }

// Definition is the resource's definition as stored (timestamps and their partitions included).
func (r *Resource) Definition() Definition { return r.def }

// Version is the current resource version ("v1").
func (r *Resource) Version() string { return r.version }

func (r *Resource) dataKey(id string) string { return "resource=" + r.def.Name + "/data/id=" + id }

func (r *Resource) dataPrefix() string { return "resource=" + r.def.Name + "/data/" }

// Record is a record as s3db.js's get returns it: user fields plus "id".
type Record = map[string]any

// Get reads a record.
func (r *Resource) Get(ctx context.Context, id string) (Record, error) {
	rec, _, err := r.get(ctx, id)
	if err == nil && len(rec.undecrypted) > 0 {
		err = &CryptoError{Resource: r.def.Name, ID: id, Fields: rec.undecrypted}
	}
	return rec.fields, err
}

// stored is a record as read, with the revision its body carries ("" for s3db.js writes).
type stored struct {
	fields      Record
	rev         string
	prev        string   // the random parts of earlier revisions
	undecrypted []string // secret attributes that did not decrypt
}

func (r *Resource) get(ctx context.Context, id string) (stored, *objstore.Object, error) {
	if err := codec.ValidateID(id); err != nil {
		return stored{}, nil, err
	}
	var obj *objstore.Object
	var st behaviors.Stored
	var lastDigest string
	for attempt := 1; ; attempt++ {
		var err error
		obj, err = r.db.objs.Get(ctx, r.dataKey(id))
		if objstore.IsNotFound(err) {
			return stored{}, nil, &NotFoundError{Resource: r.def.Name, ID: id}
		}
		if err != nil {
			return stored{}, nil, fmt.Errorf("get %s %q: %w", r.def.Name, id, err)
		}
		st = behaviors.Join(obj.Metadata, obj.Body)
		if st.MetaDigest == "" {
			break // written by s3db.js
		}
		d := metaDigest(obj.Metadata)
		if d == st.MetaDigest || d == lastDigest || attempt >= 5 {
			// A mismatch that repeats is not a torn read: something on the way changed the
			// headers (a proxy trimming values); the record is read as it is.
			break
		}
		lastDigest = d
	}
	rec, undecrypted := r.schema.UnmapChecked(st.Fields, st.Map)
	rec["id"] = id
	return stored{fields: rec, rev: st.Rev, prev: st.Prev, undecrypted: undecrypted}, obj, nil
}

// Exists reports whether a record exists (one HEAD request).
func (r *Resource) Exists(ctx context.Context, id string) (bool, error) {
	if err := codec.ValidateID(id); err != nil {
		return false, err
	}
	_, err := r.db.objs.Head(ctx, r.dataKey(id))
	if objstore.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// prepared is a record ready to be written.
type prepared struct {
	id      string
	record  Record // as stored, decoded (what Get will return)
	split   behaviors.Split
	headers map[string]string
	rev     string
}

// prepare validates, maps and splits a record (without its id) and stamps the body with the next
// revision after prevRev (see revision.go). op is insert or update.
func (r *Resource) prepare(ctx context.Context, id string, data map[string]any, op string, prev stored) (*prepared, error) {
	clean, err := r.validator.Validate(ctx, data)
	if err != nil {
		return nil, err
	}
	mapped, err := r.schema.Map(clean)
	if err != nil {
		return nil, err
	}
	cfg := behaviors.Config{Version: r.version, Timestamps: r.def.Timestamps, MapJSON: r.schema.MapJSON()}
	var split behaviors.Split
	if op == "update" {
		cfg.ID = id
		split, err = r.behavior.Update(mapped, cfg)
	} else {
		split, err = r.behavior.Insert(mapped, cfg)
	}
	if err != nil {
		return nil, err
	}
	headers := split.Headers()
	st := behaviors.Join(headers, split.Body)
	rec := r.schema.Unmap(st.Fields, st.Map)
	rec["id"] = id
	rev := nextRevision(prev.rev, r.db.now())
	split.Body = withRevision(split.Body, rev, nextPrev(prev.rev, prev.prev), metaDigest(headers))
	split.ContentType = "application/json"
	return &prepared{id: id, record: rec, split: split, headers: headers, rev: rev}, nil
}

// Insert creates a record; data["id"] is used when present, else an id is generated. The write is
// create-only (If-None-Match: *): an existing id is an *AlreadyExistsError and nothing changes.
// Partition references are written after the record.
func (r *Resource) Insert(ctx context.Context, data map[string]any) (Record, error) {
	id, fields, err := r.splitID(data)
	if err != nil {
		return nil, err
	}
	if id == "" && r.idGenerator != nil {
		id = r.idGenerator(fields)
		if err := codec.ValidateID(id); id != "" && err != nil {
			return nil, fmt.Errorf("insert %s: the id generator returned %q: %w", r.def.Name, id, err)
		}
	}
	if id == "" {
		id = codec.NewID(r.def.IDSize)
	}
	if r.def.Timestamps {
		now := codec.FormatISO(r.db.now())
		fields["createdAt"], fields["updatedAt"] = now, now
	}
	if err := runHooks(ctx, "beforeInsert", r.hooks.BeforeInsert, fields); err != nil {
		return nil, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	delete(fields, "id")
	p, err := r.prepare(ctx, id, fields, "insert", stored{})
	if err != nil {
		return nil, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	_, err = r.db.objs.Put(ctx, r.dataKey(id), p.split.Body, objstore.PutOptions{Metadata: p.headers, ContentType: p.split.ContentType, IfNoneMatch: true})
	if objstore.IsRaceLost(err) && !r.landed(ctx, id, p.rev) {
		return nil, &AlreadyExistsError{Resource: r.def.Name, ID: id}
	}
	if objstore.IsRaceLost(err) {
		err = nil // our own write: its response was lost and the SDK's retry met it
	}
	if err != nil {
		return nil, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	if err := r.writeReferences(ctx, nil, p.record); err != nil {
		return p.record, err
	}
	r.emit(r.change("insert", id, p.rev, nil, p.record))
	return p.record, runHooks(ctx, "afterInsert", r.hooks.AfterInsert, p.record)
}

func (r *Resource) splitID(data map[string]any) (string, map[string]any, error) {
	fields := make(map[string]any, len(data))
	for k, v := range data {
		if k != "id" {
			fields[k] = v
		}
	}
	var id string
	switch v := data["id"].(type) {
	case nil:
	case string:
		id = v
	default:
		id = codec.JSString(v)
	}
	if id != "" {
		if err := codec.ValidateID(id); err != nil {
			return "", nil, err
		}
	}
	return id, fields, nil
}

// landed reports whether our write with revision rev happened: the stored record is it, or
// remembers it among its last revisions. The random part of revisions makes this exact.
func (r *Resource) landed(ctx context.Context, id, rev string) bool {
	for attempt := 0; attempt < 5; attempt++ {
		cur, _, err := r.get(ctx, id)
		if err == nil {
			return wrote(cur.rev, cur.prev, rev)
		}
		if errors.Is(err, ErrNotFound) {
			return false
		}
		r.db.log.Warn("read back after a conflicting write failed; trying again", "resource", r.def.Name, "id", id, "err", err)
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return false
}

// UpdateFunc changes a record in place; returning an error aborts the update.
type UpdateFunc func(rec Record) error

// Update merges patch into a record: dotted keys set nested paths, plain-object values are merged
// one level deep, everything else replaces (s3db.js's rules). The read-modify-write is guarded by
// If-Match on the ETag read, and retried with fresh data when another writer got there first, so
// concurrent updates are never lost.
func (r *Resource) Update(ctx context.Context, id string, patch map[string]any) (Record, error) {
	return r.Modify(ctx, id, func(rec Record) error {
		mergePatch(rec, patch)
		return nil
	})
}

// Modify applies fn to the current record and writes the result conditionally, retrying on
// conflicts (fn may run more than once, each time on fresh data).
func (r *Resource) Modify(ctx context.Context, id string, fn UpdateFunc) (Record, error) {
	backoff := 5 * time.Millisecond
	for attempt := 0; ; attempt++ {
		cur, obj, err := r.get(ctx, id)
		if err != nil {
			return nil, err
		}
		before := cur.fields
		next := make(Record, len(before))
		for k, v := range before {
			next[k] = codec.Clone(v)
		}
		if err := fn(next); err != nil {
			return nil, err
		}
		delete(next, "id")
		if r.def.Timestamps {
			next["updatedAt"] = codec.FormatISO(r.db.now())
		}
		if err := runHooks(ctx, "beforeUpdate", r.hooks.BeforeUpdate, next); err != nil {
			return nil, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		delete(next, "id")
		p, err := r.prepare(ctx, id, next, "update", cur)
		if err != nil {
			return nil, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		_, err = r.db.objs.Put(ctx, r.dataKey(id), p.split.Body, objstore.PutOptions{Metadata: p.headers, ContentType: p.split.ContentType, IfMatch: obj.ETag})
		// A 412 can also be our own write: it landed, its response was lost and the SDK's retry
		// met it. Applying fn again would then apply the change twice.
		if err == nil || objstore.IsRaceLost(err) && r.landed(ctx, id, p.rev) {
			if err := r.writeReferences(ctx, before, p.record); err != nil {
				return p.record, err
			}
			r.emit(r.change("update", id, p.rev, before, p.record))
			return p.record, runHooks(ctx, "afterUpdate", r.hooks.AfterUpdate, p.record)
		}
		if objstore.IsNotFound(err) {
			return nil, &NotFoundError{Resource: r.def.Name, ID: id}
		}
		if !objstore.IsRaceLost(err) {
			return nil, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		if attempt >= 100 {
			return nil, fmt.Errorf("update %s %q: %w after %d attempts", r.def.Name, id, ErrConflict, attempt+1)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff/2 + rand.N(backoff)):
		}
		backoff = min(2*backoff, 200*time.Millisecond)
	}
}

// Upsert inserts the record, or updates it when the id exists.
func (r *Resource) Upsert(ctx context.Context, data map[string]any) (Record, error) {
	rec, err := r.Insert(ctx, data)
	if !errors.Is(err, ErrAlreadyExists) {
		return rec, err
	}
	id, fields, _ := r.splitID(data)
	return r.Update(ctx, id, fields)
}

// Delete removes a record and its partition references. A missing record is a *NotFoundError.
func (r *Resource) Delete(ctx context.Context, id string) error {
	cur, obj, err := r.get(ctx, id)
	if err != nil {
		return err
	}
	before := cur.fields
	if err := runHooks(ctx, "beforeDelete", r.hooks.BeforeDelete, before); err != nil {
		return fmt.Errorf("delete %s %q: %w", r.def.Name, id, err)
	}
	if err := r.db.objs.Delete(ctx, r.dataKey(id), objstore.DeleteOptions{IfMatch: obj.ETag}); err != nil {
		if objstore.IsRaceLost(err) {
			return fmt.Errorf("delete %s %q: %w: it changed while being deleted; read it again", r.def.Name, id, ErrConflict)
		}
		if objstore.IsNotFound(err) {
			return &NotFoundError{Resource: r.def.Name, ID: id}
		}
		return fmt.Errorf("delete %s %q: %w", r.def.Name, id, err)
	}
	if err := r.writeReferences(ctx, before, nil); err != nil {
		return err
	}
	r.emit(r.change("delete", id, deletedRevision(cur.rev, r.db.now()), before, nil))
	return runHooks(ctx, "afterDelete", r.hooks.AfterDelete, before)
}

// DeleteMany deletes records one by one (each with its partition references); missing ids are
// skipped. It stops at the first other error.
func (r *Resource) DeleteMany(ctx context.Context, ids []string) (deleted int, err error) {
	for _, id := range ids {
		switch err := r.Delete(ctx, id); {
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
// Resources are paranoid unless defined with Paranoid false, as in s3db.js; then it refuses.
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

// GetAll reads every record.
func (r *Resource) GetAll(ctx context.Context) ([]Record, error) { return r.List(ctx, 0) }

// ListIDs returns record ids in key order; limit <= 0 means all.
func (r *Resource) ListIDs(ctx context.Context, limit int) ([]string, error) {
	return r.listIDs(ctx, r.dataPrefix(), limit)
}

func (r *Resource) listIDs(ctx context.Context, prefix string, limit int) ([]string, error) {
	return r.listIDsWhere(ctx, prefix, limit, nil)
}

// listIDsWhere lists ids under prefix whose keys pass keep (nil keeps all).
func (r *Resource) listIDsWhere(ctx context.Context, prefix string, limit int, keep func(key string) bool) ([]string, error) {
	var ids []string
	token := ""
	for {
		opts := objstore.ListOptions{Prefix: prefix, ContinuationToken: token}
		if limit > 0 && keep == nil { // ask for no more keys than are wanted: S3 lists and sends less
			opts.MaxKeys = min(limit-len(ids), objstore.MaxListKeys)
		}
		page, err := r.db.objs.List(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", r.def.Name, err)
		}
		for _, k := range page.Keys {
			if keep != nil && !keep(k.Key) {
				continue
			}
			if id, ok := idOfKey(k.Key); ok {
				ids = append(ids, id)
				if limit > 0 && len(ids) >= limit {
					return ids, nil
				}
			}
		}
		if !page.Truncated {
			return ids, nil
		}
		token = page.NextToken
	}
}

// idOfKey is the text after "id=" in the first segment that starts with it.
func idOfKey(key string) (string, bool) {
	for _, seg := range strings.Split(key, "/") {
		if id, ok := strings.CutPrefix(seg, "id="); ok {
			return id, true
		}
	}
	return "", false
}

// Count counts records (one listing request per 1,000).
func (r *Resource) Count(ctx context.Context) (int, error) {
	ids, err := r.ListIDs(ctx, 0)
	return len(ids), err
}

// List reads up to limit records (all with limit <= 0) in key order, fetching concurrently.
func (r *Resource) List(ctx context.Context, limit int) ([]Record, error) {
	ids, err := r.ListIDs(ctx, limit)
	if err != nil {
		return nil, err
	}
	return r.GetMany(ctx, ids)
}

// GetMany reads records by id, 16 at a time, in the order given; missing ids are skipped. Records
// whose secrets did not decrypt are returned too, with a *CryptoError.
func (r *Resource) GetMany(ctx context.Context, ids []string) ([]Record, error) {
	out := make([]Record, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, 16)
	done := make(chan struct{})
	for i, id := range ids {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem; done <- struct{}{} }()
			out[i], errs[i] = r.Get(ctx, id)
		}()
	}
	for range ids {
		<-done
	}
	recs := out[:0]
	var cryptoErr error
	for i, rec := range out {
		switch {
		case errs[i] == nil, errors.Is(errs[i], ErrNotFound):
		case errors.Is(errs[i], ErrCrypto):
			if cryptoErr == nil {
				cryptoErr = errs[i] // the records are still returned, as s3db.js lists them
			}
		default:
			return nil, errs[i]
		}
		if rec != nil {
			recs = append(recs, rec)
		}
	}
	return recs, cryptoErr
}

// mergePatch applies an update the way s3db.js merges: dotted keys set nested paths, an object
// value is merged one level deep into an existing object, anything else replaces.
func mergePatch(rec Record, patch map[string]any) {
	for k, v := range patch {
		if k == "id" {
			continue
		}
		if strings.Contains(k, ".") {
			parts := strings.Split(k, ".")
			cur := rec
			for _, p := range parts[:len(parts)-1] {
				next, ok := cur[p].(map[string]any)
				if !ok {
					next = map[string]any{}
					cur[p] = next
				}
				cur = next
			}
			cur[parts[len(parts)-1]] = v
			continue
		}
		if nv, ok := v.(map[string]any); ok {
			if old, ok := rec[k].(map[string]any); ok {
				merged := maps.Clone(old)
				maps.Copy(merged, nv)
				rec[k] = merged
				continue
			}
		}
		rec[k] = v
	}
}
