// Package objstore is the object-store seam of s3db-go: the one interface, [Store], through which the
// store reads and writes S3 objects, and its two backends.
//
//   - [S3] talks to AWS S3 or any S3-compatible service (MinIO, versitygw, LocalStack) with
//     aws-sdk-go-v2: path style for custom endpoints, pooled connections, the SDK's retries with
//     backoff for 5xx and throttling (never for 412/409), If-Match and If-None-Match: * on PutObject.
//   - [Dir] keeps objects in a local directory (file:///path): the embedded default, with the same
//     semantics (atomic replacement, atomic conditional writes, the 2 KB metadata limit, byte-ordered
//     paginated listings, MD5 ETags).
//
// Both pass one acceptance suite, package objtest, which is what "the same semantics" means.
//
// # Opening a store
//
// [Open] takes an s3db connection string (see [ParseConnectionString]) and picks the backend by scheme:
//
//	s3://KEY:SECRET@bucket/prefix?region=eu-west-1
//	http://KEY:SECRET@127.0.0.1:7070/bucket/prefix
//	file:///var/lib/s3db
//
// A Config prints with its secret redacted, and no error of this package contains a secret.
//
// # Keys
//
// Keys are relative to the store's prefix and are joined to it as s3db.js 21.6.2 joins them, with
// Node's POSIX path.join (so "a//b" and "a/./b" under prefix "p" are both "p/a/b"); without a prefix
// a key is used byte for byte. Listings return keys relative to the prefix, in byte order.
//
// # Errors
//
// Failures are *[Error] values that wrap a sentinel ([ErrNotFound], [ErrPreconditionFailed],
// [ErrConflict], [ErrMetadataTooLarge], [ErrNoSuchBucket], [ErrAccessDenied], [ErrInvalidKey]) and the
// backend's own error, with a suggestion of what to do. Test them with errors.Is or the predicates
// ([IsNotFound], [IsRaceLost], …). ErrNotFound also matches fs.ErrNotExist.
//
// # Concurrency
//
// Updates are read-modify-write loops: Get, change, Put with IfMatch set to the ETag read, and on
// [IsRaceLost] start again from Get. Inserts use IfNoneMatch. The ETag is the MD5 of the body only, so
// the loop is safe only if every version it writes has a distinct body; see [Store.Get].
package objstore
