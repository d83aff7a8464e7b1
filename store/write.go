package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store/objstore"
)

// WriteOption adjusts one write (Insert, Update, Modify, Upsert, Replace, Delete).
type WriteOption func(*writeOptions)

type writeOptions struct {
	txID string
}

func collect(opts []WriteOption) writeOptions {
	var o writeOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// TxID makes a write idempotent under key (a queue message id, a transaction id): the write
// records a revision token derived from key, and a second write with the same key on the same
// record finds it and is not applied again. It then returns a Change with Duplicate set (and no
// error), so a redelivered message neither fails nor applies twice. The record remembers the
// tokens of its last 32 writes, so a duplicate is recognised while fewer than 32 other writes of
// that record came between; an s3db.js write of the record forgets them.
func TxID(key string) WriteOption {
	return func(o *writeOptions) { o.txID = key }
}

// token is the random part of this write's revision (8 characters), or, with a TxID, "t", the
// operation's initial (i, u) and 12 hex digits of a hash of the TxID: an Upsert that inserted and
// its redelivery that meets the record have the same write in common (see sameWrite), and the op
// of a duplicate can be told from it.
func (o writeOptions) token(resource, id, op string) string {
	if o.txID == "" {
		return codec.NewID(8)
	}
	sum := sha256.Sum256([]byte(resource + "\x00" + id + "\x00" + o.txID))
	return "t" + op[:1] + hex.EncodeToString(sum[:6])
}

// prepared is a record ready to be written.
type prepared struct {
	id      string
	record  Record // as stored, decoded (what Get will return)
	split   behaviors.Split
	headers map[string]string
	rev     string
	content bool // the body is binary content and carries no revision
}

// prepare validates, maps and splits a record (without its id) and stamps the body with the
// revision after prev's (see revision.go), whose random part is token. op is insert or update.
func (r *Resource) prepare(ctx context.Context, id string, data map[string]any, op string, prev stored, token string) (*prepared, error) {
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
	rev := revisionAfter(prev.rev, r.db.now(), token)
	if prev.content {
		// The body is the record's binary content: it stays, so the fields must all fit in the
		// metadata, and the revision cannot be kept (see SetContent).
		if len(bytes.TrimSpace(split.Body)) > 0 {
			return nil, fmt.Errorf("%w: the record does not fit in metadata and its body holds binary content; delete the content first or use a separate resource for it", ErrContentConflict)
		}
		split.Body, split.ContentType = prev.body, prev.contentType
		return &prepared{id: id, record: rec, split: split, headers: headers, rev: rev, content: true}, nil
	}
	split.Body = withRevision(split.Body, rev, nextPrev(prev.rev, prev.prev), metaDigest(headers))
	split.ContentType = "application/json"
	return &prepared{id: id, record: rec, split: split, headers: headers, rev: rev}, nil
}

// errRaceLost: another write got to the record first; read it again and retry.
var errRaceLost = errors.New("another write got there first")

// uncertainAttempts bounds how often a write whose outcome stayed unknown is sent again.
const uncertainAttempts = 8

// commit writes p: create-only when etag is "", else If-Match etag. The request is sent without the
// SDK's retries, and every ambiguous outcome is settled at once by reading the record back: a 412
// or a lost response may be this very write having landed (a retry meeting itself). Checking right
// away matters: the record remembers its last 32 revisions, and a check made after the SDK's
// backoff, under many writers, can come too late to find this one. It returns the record as read
// back when it had to look (landed via the revision history), errRaceLost when another write got
// there first, or an error.
func (r *Resource) commit(ctx context.Context, p *prepared, etag string) (*stored, error) {
	opts := objstore.PutOptions{Metadata: p.headers, ContentType: p.split.ContentType, SendOnce: true}
	if etag == "" {
		opts.IfNoneMatch = true
	} else {
		opts.IfMatch = etag
	}
	backoff := 10 * time.Millisecond
	sentBefore := false // an earlier attempt may have landed (its answer was lost)
	for attempt := 1; ; attempt++ {
		_, err := r.db.objs.Put(ctx, r.dataKey(p.id), p.split.Body, opts)
		switch {
		case err == nil:
			return nil, nil
		case objstore.IsRaceLost(err), objstore.IsUncertain(err):
			landed := r.landed
			if p.content {
				landed = r.landedContent(p)
			}
			cur, ok, lerr := landed(ctx, p.id, p.rev)
			if lerr != nil {
				return nil, fmt.Errorf("%w; reading the record back to see whether the write happened failed: %w", err, lerr)
			}
			if ok {
				// A 412 to a request sent once with no lost attempt before it cannot be this
				// write: the record holds an earlier write with the same TxID (a duplicate). Else
				// it is this write when the revision is this write's to the letter.
				if cur != nil {
					cur.mine = (sentBefore || objstore.IsUncertain(err)) && cur.rev == p.rev
				}
				return cur, nil
			}
			if objstore.IsRaceLost(err) {
				return nil, fmt.Errorf("%w: %w", errRaceLost, err)
			}
			if attempt >= uncertainAttempts {
				return nil, err
			}
			sentBefore = true
			r.db.log.Warn("write failed without an answer and did not happen; sending it again", "resource", r.def.Name, "id", p.id, "err", err)
			if err := sleep(ctx, &backoff); err != nil {
				return nil, err
			}
		case objstore.IsNotFound(err) && etag != "":
			return nil, &NotFoundError{Resource: r.def.Name, ID: p.id}
		default:
			return nil, err
		}
	}
}

// landed reports whether the write with revision rev is in the record: the stored record is it,
// or remembers its token among its last revisions. The random (or TxID) part of revisions makes
// this exact. It returns the record as read.
func (r *Resource) landed(ctx context.Context, id, rev string) (*stored, bool, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		cur, _, err := r.get(ctx, id)
		if err == nil {
			return &cur, wrote(cur.rev, cur.prev, rev), nil
		}
		if errors.Is(err, ErrNotFound) {
			return nil, false, nil
		}
		lastErr = err
		r.db.log.Warn("read back after an ambiguous write failed; trying again", "resource", r.def.Name, "id", id, "err", err)
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
	return nil, false, lastErr
}

// sleep waits about *backoff (with jitter) and doubles it, up to 200 ms.
func sleep(ctx context.Context, backoff *time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(*backoff/2 + rand.N(*backoff)):
	}
	*backoff = min(2**backoff, 200*time.Millisecond)
	return nil
}

// finish completes a write that is in place: partition references, the change event and the
// after hooks. cur is the record as read back when the write was recognised in the revision
// history (nil when the write's own response said so).
func (r *Resource) finish(ctx context.Context, op string, p *prepared, before Record, cur *stored, after []Hook, afterStage string) (Change, error) {
	if cur != nil && !cur.mine {
		// Recognised by its TxID token: an earlier write with the same TxID (a redelivered
		// message). Nothing was written now.
		return r.duplicate(ctx, op, p.id, cur), nil
	}
	if err := r.references(ctx, before, p.record); err != nil {
		return Change{}, err
	}
	ch := r.change(op, p.id, p.rev, before, p.record)
	r.emit(ch)
	return ch, runHooks(ctx, afterStage, after, p.record)
}

// duplicate is the Change of a write found already applied (same TxID). When the record is still
// at that write's revision the change is rebuilt from it (same ID as the first time, Before
// unknown); when later writes followed, only Resource, Op and Key are set: the later changes
// describe the record. The partition references of the current record are written again, in case
// the first attempt stopped before it wrote them.
func (r *Resource) duplicate(ctx context.Context, op, id string, cur *stored) Change {
	if cur != nil && cur.txMatch {
		op = tokenOp(revisionToken(cur.rev), op)
	}
	ch := Change{Resource: r.def.Name, Op: op, Key: id, Duplicate: true, Source: ChangeSource{Version: r.version}}
	if cur == nil {
		return ch
	}
	if err := r.references(ctx, nil, cur.fields); err != nil {
		r.db.log.Warn("rewriting partition references of a duplicate write failed", "resource", r.def.Name, "id", id, "err", err)
	}
	if cur.txMatch {
		ch = r.change(op, id, cur.rev, nil, cur.fields)
		ch.Duplicate = true
	}
	return ch
}

// Insert creates a record; data["id"] is used when present, else an id is generated. The write is
// create-only (If-None-Match: *): an existing id is an *AlreadyExistsError and nothing changes
// (with TxID, an insert that already happened returns its Change with Duplicate set instead).
// Partition references are written after the record.
func (r *Resource) Insert(ctx context.Context, data map[string]any, opts ...WriteOption) (Change, error) {
	o := collect(opts)
	id, fields, err := r.splitID(data)
	if err != nil {
		return Change{}, err
	}
	if id == "" && r.idGenerator != nil {
		id = r.idGenerator(fields)
		if err := codec.ValidateID(id); id != "" && err != nil {
			return Change{}, fmt.Errorf("insert %s: the id generator returned %q: %w", r.def.Name, id, err)
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
		return Change{}, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	delete(fields, "id")
	p, err := r.prepare(ctx, id, fields, "insert", stored{}, o.token(r.def.Name, id, "insert"))
	if err != nil {
		return Change{}, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	cur, err := r.commit(ctx, p, "")
	if errors.Is(err, errRaceLost) {
		return Change{}, &AlreadyExistsError{Resource: r.def.Name, ID: id}
	}
	if err != nil {
		return Change{}, fmt.Errorf("insert %s %q: %w", r.def.Name, id, err)
	}
	r.markTx(cur, p.rev)
	return r.finish(ctx, "insert", p, nil, cur, r.hooks.AfterInsert, "afterInsert")
}

// markTx notes on a record read back whether it is still at the write whose token rev carries.
func (r *Resource) markTx(cur *stored, rev string) {
	if cur != nil {
		cur.txMatch = sameWrite(revisionToken(cur.rev), revisionToken(rev))
	}
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

// UpdateFunc changes a record in place; returning an error aborts the update.
type UpdateFunc func(rec Record) error

// Update merges patch into a record: dotted keys set nested paths, plain-object values are merged
// one level deep, everything else replaces (s3db.js's rules). The read-modify-write is guarded by
// If-Match on the ETag read, and retried with fresh data when another writer got there first, so
// concurrent updates are never lost.
func (r *Resource) Update(ctx context.Context, id string, patch map[string]any, opts ...WriteOption) (Change, error) {
	return r.Modify(ctx, id, func(rec Record) error {
		mergePatch(rec, patch)
		return nil
	}, opts...)
}

// Modify applies fn to the current record and writes the result conditionally, retrying on
// conflicts (fn may run more than once, each time on fresh data).
func (r *Resource) Modify(ctx context.Context, id string, fn UpdateFunc, opts ...WriteOption) (Change, error) {
	return r.rewrite(ctx, id, opts, func(cur Record) (Record, error) {
		next := make(Record, len(cur))
		for k, v := range cur {
			next[k] = codec.Clone(v)
		}
		if err := fn(next); err != nil {
			return nil, err
		}
		return next, nil
	})
}

// Replace writes data as the whole record (data["id"] is required): fields it lacks are removed,
// unlike Update. A missing record is created. createdAt is kept when the resource has timestamps
// and data does not set it.
func (r *Resource) Replace(ctx context.Context, data map[string]any, opts ...WriteOption) (Change, error) {
	id, fields, err := r.splitID(data)
	if err != nil {
		return Change{}, err
	}
	if id == "" {
		return Change{}, fmt.Errorf("replace %s: %w", r.def.Name, &schema.ValidationError{Errors: []*schema.FieldError{{
			Field: "id", Rule: "required", Message: "The 'id' field is required.", Suggestion: "replace needs the id of the record to overwrite",
		}}})
	}
	ch, err := r.rewrite(ctx, id, opts, func(cur Record) (Record, error) {
		next := make(Record, len(fields)+2)
		for k, v := range fields {
			next[k] = codec.Clone(v)
		}
		if _, ok := next["createdAt"]; !ok && r.def.Timestamps && cur["createdAt"] != nil {
			next["createdAt"] = cur["createdAt"]
		}
		return next, nil
	})
	if errors.Is(err, ErrNotFound) {
		ch, err = r.Insert(ctx, data, opts...)
		if errors.Is(err, ErrAlreadyExists) { // created meanwhile: replace that one
			return r.Replace(ctx, data, opts...)
		}
	}
	return ch, err
}

// rewrite is the read-modify-write loop of Update, Modify and Replace: build makes the next record
// from the current one.
func (r *Resource) rewrite(ctx context.Context, id string, opts []WriteOption, build func(cur Record) (Record, error)) (Change, error) {
	o := collect(opts)
	token := o.token(r.def.Name, id, "update")
	backoff := 5 * time.Millisecond
	for attempt := 0; ; attempt++ {
		cur, obj, err := r.get(ctx, id)
		if err != nil {
			return Change{}, err
		}
		if o.txID != "" && wrote(cur.rev, cur.prev, "0:"+token) {
			cur.txMatch = sameWrite(revisionToken(cur.rev), token)
			return r.duplicate(ctx, "update", id, &cur), nil
		}
		before := cur.fields
		next, err := build(before)
		if err != nil {
			return Change{}, err
		}
		delete(next, "id")
		if r.def.Timestamps {
			next["updatedAt"] = codec.FormatISO(r.db.now())
		}
		if err := runHooks(ctx, "beforeUpdate", r.hooks.BeforeUpdate, next); err != nil {
			return Change{}, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		delete(next, "id")
		p, err := r.prepare(ctx, id, next, "update", cur, token)
		if err != nil {
			return Change{}, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		back, err := r.commit(ctx, p, obj.ETag)
		if err == nil {
			r.markTx(back, p.rev)
			return r.finish(ctx, "update", p, before, back, r.hooks.AfterUpdate, "afterUpdate")
		}
		if !errors.Is(err, errRaceLost) {
			if errors.Is(err, ErrNotFound) {
				return Change{}, err
			}
			return Change{}, fmt.Errorf("update %s %q: %w", r.def.Name, id, err)
		}
		if attempt >= 100 {
			return Change{}, fmt.Errorf("update %s %q: %w after %d attempts", r.def.Name, id, ErrConflict, attempt+1)
		}
		if err := sleep(ctx, &backoff); err != nil {
			return Change{}, err
		}
		if o.txID == "" {
			token = codec.NewID(8) // a fresh token per attempt keeps every ETag unique
		}
	}
}

// Upsert inserts the record, or updates it (a merge, as Update) when the id exists. data may be
// partial for an existing record: an insert that fails validation is tried as an update, and the
// validation error is returned only when there is nothing to update.
func (r *Resource) Upsert(ctx context.Context, data map[string]any, opts ...WriteOption) (Change, error) {
	ch, err := r.Insert(ctx, data, opts...)
	var verr *schema.ValidationError
	if !errors.Is(err, ErrAlreadyExists) && !errors.As(err, &verr) {
		return ch, err
	}
	id, fields, _ := r.splitID(data)
	if id == "" {
		return ch, err
	}
	uch, uerr := r.Update(ctx, id, fields, opts...)
	if verr != nil && errors.Is(uerr, ErrNotFound) {
		return ch, err
	}
	return uch, uerr
}
