// Package behaviors implements the five s3db strategies for S3's 2 KB user-metadata limit:
// body-overflow, body-only, truncate-data, enforce-limits and user-managed. Each splits a mapped
// record (short keys, encoded values, see package schema) into user metadata and an object body the
// way s3db.js 21.6.2 does, byte for byte; Join reverses any of them.
//
// s3db.js counts sizes before the metadata text encoding (u:/b:/d:), so it can judge a record to fit
// and then have S3 reject it. Here every split is checked once more on the encoded headers and, where
// the JavaScript split would not fit, adjusted (more fields to the body) or refused before anything
// is written. For records where s3db.js succeeds the output is identical.
package behaviors
