// Package schema compiles s3db resource definitions: it validates records the way s3db.js 21.6.2
// does (fastest-validator rules plus the s3db custom types), keeps the persisted attribute→key
// registry (schemaRegistry with burned indexes), and maps a validated record to the short-keyed,
// type-encoded form stored in S3 metadata, and back.
//
// The mapping is the part that must be byte-compatible with s3db.js: keys come from the registry
// (never from attribute order alone, see docs/compatibility.md), and each attribute's value is
// encoded by the rule that s3db.js picks from its definition string.
package schema
