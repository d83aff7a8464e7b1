// Package store is the s3db document store: a Database (one bucket and key prefix, its
// s3db.json) and its Resources (records as S3 objects), byte-compatible with s3db.js 21.6.2.
//
// Every write is conditional (If-None-Match on insert, If-Match on update and delete, retried with
// fresh data), returns a Change for change-data-capture, and can be made idempotent under
// redelivery with TxID; see write.go and revision.go for why records carry a revision in their
// body. Bulk work goes through the streams: StreamIDs, StreamRecords and Writer (bounded memory,
// backpressure). The object-store seam (package objstore) has an S3 and a local-directory backend.
package store
