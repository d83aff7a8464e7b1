package objstore

import (
	"context"
	"time"
)

// Store is the object-store seam of s3db: the few S3 operations that records, s3db.json and partition
// references need. Two backends implement it: [S3] (any S3-compatible service) and [Dir] (a local
// directory, the embedded default). Both pass the same acceptance suite (package objtest).
//
// Keys are the keys s3db.js uses (for example "resource=users/data/id=u1"), relative to the store's
// prefix. A key must be non-empty valid UTF-8 of at most [MaxKeyBytes] bytes; otherwise the operation
// fails with [ErrInvalidKey] before any I/O.
//
// Consistency: every backend offers strong read-after-write consistency for single keys (as S3 has since
// 2020), and conditional puts are atomic: of any number of concurrent writers holding the same ETag in
// PutOptions.IfMatch, exactly one succeeds. Implementations are safe for concurrent use.
//
// Errors wrap one of the sentinels of this package ([ErrNotFound], [ErrPreconditionFailed],
// [ErrConflict], [ErrMetadataTooLarge], [ErrNoSuchBucket], [ErrAccessDenied], [ErrInvalidKey]) when the
// failure is one of those, together with the backend's own error, so both errors.Is and errors.As work.
// A cancelled context surfaces as an error matching ctx.Err().
type Store interface {
	// Put writes body and its metadata at key, replacing any object there, and returns the new ETag
	// (quoted hex MD5 of body, as S3 returns it for single-part uploads). With opts.IfNoneMatch it fails
	// with ErrPreconditionFailed when the key exists; with opts.IfMatch it fails with
	// ErrPreconditionFailed when the current ETag differs and with ErrNotFound when the key does not
	// exist (S3 answers 404 there too). Metadata over [MaxMetadataBytes] fails with ErrMetadataTooLarge.
	// A failed Put leaves the object as it was. Put without conditions is idempotent.
	Put(ctx context.Context, key string, body []byte, opts PutOptions) (etag string, err error)

	// Get returns the object at key with its whole body, or ErrNotFound (which also matches
	// fs.ErrNotExist). The body and ETag returned belong to the same version.
	//
	// NOTE: the ETag covers the body only. Two versions with the same body (for example the empty body
	// of records kept wholly in metadata) have the same ETag, so If-Match cannot tell them apart: a
	// read-modify-write must make every version's body unique to be safe from lost updates.
	Get(ctx context.Context, key string) (*Object, error)

	// Head returns what Get returns except the body, or ErrNotFound.
	Head(ctx context.Context, key string) (*ObjectInfo, error)

	// Delete removes the object at key. Deleting a missing key is not an error (S3 semantics), with or
	// without opts.IfMatch (servers differ there: AWS may answer 404, versitygw 204; the object is gone
	// either way, which is what a retried delete needs). With opts.IfMatch, another current ETag is
	// ErrPreconditionFailed and the object stays.
	Delete(ctx context.Context, key string, opts DeleteOptions) error

	// DeleteMany removes the objects at keys, missing ones included without error, in batches of
	// [MaxDeleteBatch] (one S3 DeleteObjects request each). It is not atomic: on error, some keys may be
	// gone. It returns the first failure with the number of keys that failed.
	DeleteMany(ctx context.Context, keys []string) error

	// List returns one page of the keys under opts.Prefix in byte order (UTF-8 binary order, as S3).
	// Pass the page's NextToken as opts.ContinuationToken to get the next page; Truncated says whether
	// there is one. A listing is not a snapshot: keys written while paging may or may not appear.
	List(ctx context.Context, opts ListOptions) (*ListPage, error)

	// Copy copies the object at src to dst server-side and returns dst's new ETag. Without
	// opts.ReplaceMetadata the metadata and content type travel with the object; with it, dst gets
	// exactly opts.Metadata and opts.ContentType (S3 MetadataDirective REPLACE). A missing src is
	// ErrNotFound.
	Copy(ctx context.Context, src, dst string, opts CopyOptions) (etag string, err error)
}

// Limits shared by every backend (those of AWS S3).
const (
	// MaxMetadataBytes is the limit of user metadata per object: the sum of the UTF-8 byte lengths of
	// every name (without "x-amz-meta-") and value. s3db's behaviors are all about this number.
	MaxMetadataBytes = 2048
	// MaxKeyBytes is the longest key S3 accepts, prefix included.
	MaxKeyBytes = 1024
	// MaxDeleteBatch is the most keys one S3 DeleteObjects request may carry.
	MaxDeleteBatch = 1000
	// MaxListKeys is the largest page List returns; ListOptions.MaxKeys is capped to it.
	MaxListKeys = 1000
)

// PutOptions are the optional parts of a Put.
type PutOptions struct {
	// Metadata is the user metadata. Names are lower-cased (S3 does so on the wire); values should be
	// ASCII (s3db's metadata encoding guarantees it), since HTTP headers cannot carry other bytes
	// faithfully.
	Metadata map[string]string
	// ContentType is stored and returned as is; empty means none (S3 then reports
	// "application/octet-stream" or nothing, depending on the service; Dir reports "").
	ContentType string
	// IfMatch makes the put conditional on the current ETag (quoted or not).
	IfMatch string
	// IfNoneMatch makes the put fail when the key exists (If-None-Match: *): create-only.
	IfNoneMatch bool
	// SendOnce turns off the backend's own retries: a failure whose request may have been applied
	// (ErrUncertain) comes back at once. A conditional write retried blindly after its response was
	// lost meets itself (412) some time later; the caller had better check what happened right away,
	// while the object still shows it. Backends without that ambiguity (Dir) ignore it.
	SendOnce bool
}

// DeleteOptions are the optional parts of a Delete.
type DeleteOptions struct {
	// IfMatch makes the delete conditional on the current ETag.
	IfMatch string
	// SendOnce: as PutOptions.SendOnce.
	SendOnce bool
}

// CopyOptions are the optional parts of a Copy.
type CopyOptions struct {
	// ReplaceMetadata replaces the metadata and content type with Metadata and ContentType instead of
	// copying them from the source.
	ReplaceMetadata bool
	Metadata        map[string]string
	ContentType     string
}

// ListOptions select a page of a listing.
type ListOptions struct {
	// Prefix keeps only keys that start with it (relative to the store's prefix).
	Prefix string
	// StartAfter starts the listing after this key (exclusive). Ignored with ContinuationToken.
	StartAfter string
	// ContinuationToken is the NextToken of the previous page; opaque and backend-specific.
	ContinuationToken string
	// MaxKeys bounds the page (keys plus common prefixes); 0 or more than MaxListKeys means MaxListKeys.
	MaxKeys int
	// Delimiter, when set (normally "/"), groups keys that contain it after Prefix into
	// ListPage.CommonPrefixes, as S3 does.
	Delimiter string
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string            // relative to the store's prefix
	Size         int64             // body length in bytes
	ETag         string            // quoted, as S3 returns it
	LastModified time.Time         // S3: second precision on Head/Get
	ContentType  string            // as written (see PutOptions.ContentType)
	Metadata     map[string]string // lower-case names; never nil
}

// Object is an object with its body; s3db records are small, so the body is read whole.
type Object struct {
	ObjectInfo
	Body []byte
}

// ListedKey is one entry of a listing.
type ListedKey struct {
	Key          string // relative to the store's prefix
	Size         int64
	ETag         string
	LastModified time.Time
}

// ListPage is one page of a listing.
type ListPage struct {
	Keys []ListedKey
	// CommonPrefixes are the groups made by ListOptions.Delimiter, relative to the store's prefix.
	CommonPrefixes []string
	// Truncated says that more keys follow; pass NextToken to get them.
	Truncated bool
	NextToken string
}
