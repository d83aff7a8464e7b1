package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
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
	listeners listeners

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
	txMatch     bool     // (write path) the record is at the write being looked for
	mine        bool     // (write path) the record is the very write being committed
	content     bool     // the body is binary content (SetContent), not fields
	contentType string   // the object's Content-Type
	body        []byte   // the object's body
	overflow    bool     // some fields live in the body (body-overflow, body-only)
}

// isJSONType reports whether a Content-Type is JSON's (or absent: s3db.js writes none for
// metadata-only records).
func isJSONType(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return ct == "" || ct == "application/json" || ct == "binary/octet-stream"
}

func (r *Resource) get(ctx context.Context, id string) (stored, *objstore.Object, error) {
	if err := codec.ValidateID(id); err != nil {
		return stored{}, nil, err
	}
	var obj *objstore.Object
	var st behaviors.Stored
	var firstDigest string
	stable := true
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
		if d == st.MetaDigest {
			break
		}
		// The metadata is not the one written with this body: a torn read (another write is
		// replacing the object), read again after a pause. Accepting it would pair the fields of
		// one version with the revision history of another, and the next conditional write would
		// then drop a revision from the history (a write whose response was lost would be applied
		// twice). Only a mismatch that stays the same on every read is taken as it is: something on
		// the way changes the headers (a proxy trimming values).
		if attempt == 1 {
			firstDigest = d
		} else if d != firstDigest {
			stable = false
		}
		if attempt == 6 {
			if stable {
				break
			}
			return stored{}, nil, fmt.Errorf("get %s %q: %w: its metadata never matched its body in %d reads", r.def.Name, id, objstore.ErrTornRead, attempt)
		}
		select {
		case <-ctx.Done():
			return stored{}, nil, ctx.Err()
		case <-time.After(time.Duration(10<<(attempt-1)) * time.Millisecond):
		}
	}
	content := st.Content
	if !content && len(bytes.TrimSpace(obj.Body)) > 0 && !isJSONType(obj.ContentType) {
		// Binary content that happens to be a JSON object: its type says it is content.
		content, st = true, behaviors.Join(obj.Metadata, nil)
	}
	rec, undecrypted := r.schema.UnmapChecked(st.Fields, st.Map)
	rec["id"] = id
	return stored{fields: rec, rev: st.Rev, prev: st.Prev, undecrypted: undecrypted, content: content, overflow: st.Overflow || st.Map != nil, contentType: obj.ContentType, body: obj.Body}, obj, nil
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

// Count counts records (one listing request per 1,000), in constant memory.
func (r *Resource) Count(ctx context.Context) (int, error) {
	n := 0
	for _, err := range r.StreamIDs(ctx, IDsOptions{}) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
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
	// 16 workers take the next index: a goroutine per id would park one per record (a million for
	// GetAll of a large resource) before the first read returns.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(16, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(ids); i = int(next.Add(1) - 1) {
				out[i], errs[i] = r.Get(ctx, ids[i])
			}
		}()
	}
	wg.Wait()
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
