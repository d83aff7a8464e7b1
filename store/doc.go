// Package store is the s3db document store: a Database (one bucket and key prefix, its
// s3db.json) and its Resources (records as S3 objects), byte-compatible with s3db.js 21.6.2.
//
// Work in progress: resource definitions and their version hashes are here; the Database, the
// Resource operations and the object-store backends are being built (see the README's status).
package store
