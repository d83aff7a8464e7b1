package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store/objstore"
)

// Binary content
//
// s3db.js can attach binary content to a record (setContent): the content becomes the object's
// body, beside the fields in metadata. This package reads and writes such records the same way,
// so both libraries see each other's content. The price is in the guarantees: S3's ETag is the
// MD5 of the body, so for a record with content it covers the content only. Changing the content
// is guarded (If-Match), but two concurrent field updates of a record with content cannot be told
// apart by ETag: the later one wins, as in s3db.js. Keep content in a resource of its own when its
// records' fields are updated concurrently. A record with content must keep all its fields in
// metadata (the body is taken): an update that would overflow is an ErrContentConflict.

// ErrContentConflict: binary content and fields both need the object's body.
var ErrContentConflict = errors.New("binary content and body fields cannot share a record")

// SetContent stores content as the record's body (s3db.js's setContent); contentType "" means
// application/octet-stream. The fields stay as they are. The record must exist and keep all its
// fields in metadata.
func (r *Resource) SetContent(ctx context.Context, id string, content []byte, contentType string) (Change, error) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if isJSONType(contentType) {
		return Change{}, fmt.Errorf("set content of %s %q: content type %q is what records' own bodies use; give binary content another type: %w", r.def.Name, id, contentType, ErrContentConflict)
	}
	return r.replaceBody(ctx, id, "set content of", func(cur stored) ([]byte, string, error) {
		if cur.overflow {
			return nil, "", fmt.Errorf("%w: some of its fields live in the body (behavior %s); binary content would overwrite them", ErrContentConflict, r.def.Behavior)
		}
		return content, contentType, nil
	})
}

// DeleteContent removes a record's binary content; the fields stay. A record without content is
// left as it is.
func (r *Resource) DeleteContent(ctx context.Context, id string) (Change, error) {
	return r.replaceBody(ctx, id, "delete content of", func(cur stored) ([]byte, string, error) {
		return nil, "", nil
	})
}

// replaceBody writes a record's body (content, or none) under its current metadata, guarded by
// If-Match, retrying when the record changes in between.
func (r *Resource) replaceBody(ctx context.Context, id, what string, body func(stored) ([]byte, string, error)) (Change, error) {
	backoff := 5 * time.Millisecond
	for attempt := 0; ; attempt++ {
		cur, obj, err := r.get(ctx, id)
		if err != nil {
			return Change{}, err
		}
		content, contentType, err := body(cur)
		if err != nil {
			return Change{}, fmt.Errorf("%s %s %q: %w", what, r.def.Name, id, err)
		}
		if content == nil && !cur.content {
			return r.change("update", id, cur.rev, cur.fields, cur.fields), nil // nothing to delete
		}
		p := &prepared{id: id, record: cur.fields, headers: obj.Metadata, content: true,
			rev: revisionAfter(cur.rev, r.db.now(), codec.NewID(8))}
		p.split.Body, p.split.ContentType = content, contentType
		if content == nil {
			// Back to a plain record: the body carries the revision again.
			p.content = false
			p.split.Body = withRevision(nil, p.rev, nextPrev(cur.rev, cur.prev), metaDigest(obj.Metadata))
			p.split.ContentType = "application/json"
		}
		if _, err := r.commit(ctx, p, obj.ETag); err != nil {
			if errors.Is(err, errRaceLost) && attempt < 100 {
				if err := sleep(ctx, &backoff); err != nil {
					return Change{}, err
				}
				continue
			}
			return Change{}, fmt.Errorf("%s %s %q: %w", what, r.def.Name, id, err)
		}
		ch := r.change("update", id, p.rev, cur.fields, cur.fields)
		r.emit(ch)
		return ch, nil
	}
}

// landedContent settles an ambiguous write of a record with content: it is in place when the
// object has the write's metadata and body.
func (r *Resource) landedContent(p *prepared) func(ctx context.Context, id, rev string) (*stored, bool, error) {
	return func(ctx context.Context, id, _ string) (*stored, bool, error) {
		obj, err := r.db.objs.Get(ctx, r.dataKey(id))
		if objstore.IsNotFound(err) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		return nil, maps.Equal(obj.Metadata, p.headers) && bytes.Equal(obj.Body, p.split.Body), nil
	}
}

// Content reads a record's binary content and its type (s3db.js's content): nil when the record
// has none. A missing record is a *NotFoundError.
func (r *Resource) Content(ctx context.Context, id string) ([]byte, string, error) {
	cur, _, err := r.get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if !cur.content {
		return nil, "", nil
	}
	return cur.body, cur.contentType, nil
}

// HasContent reports whether a record has binary content (one HEAD request: a non-JSON body).
func (r *Resource) HasContent(ctx context.Context, id string) (bool, error) {
	info, err := r.db.objs.Head(ctx, r.dataKey(id))
	if objstore.IsNotFound(err) {
		return false, &NotFoundError{Resource: r.def.Name, ID: id}
	}
	if err != nil {
		return false, err
	}
	return info.Size > 0 && !isJSONType(info.ContentType), nil
}
