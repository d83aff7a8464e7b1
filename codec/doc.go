// Package codec holds the pure encoders and decoders of the s3db on-S3 format, byte-compatible with
// s3db.js 21.6.2: base36 metadata keys, base62 numbers and decimals, the per-type value encodings
// (datetime, ip4/ip6, embeddings, arrays, uuid, money, geo, …), the client-level u:/b:/d: metadata
// text encoding with its dictionary, secret encryption (PBKDF2-SHA256 + AES-256-GCM), ids, JavaScript
// number and JSON text, and UTF-8 byte sizes.
//
// Nothing here does I/O or keeps package-level mutable state; every function is safe for concurrent use.
// The format is specified in docs/compatibility.md and, upstream, in s3db-format.md of the project's
// shared reference.
package codec
