// Package consumers turns inbound queue messages into store writes: the inbound message contract of
// DESIGN §3, idempotent under redelivery.
//
// A message body is JSON:
//
//	{"resource": "users", "action": "insert|update|upsert|delete", "data": {"id": "u1", "name": "Ada"}, "txId": "optional"}
//
// also accepted wrapped as {"$body": {...}} (s3db.js's queue consumer does the same). Every write is made
// with store.TxID(key), where key is the body's "txId" when present and otherwise the transport's message
// id (see [IdempotencyKey]): a redelivered message finds its write already applied and succeeds without
// applying it again.
//
// Errors are classified for the pipeline's retry and dead-letter policy: [IsPermanent] reports the ones
// no retry can fix (bad JSON, unknown resource or action, a validation error, an id taken by another
// message, a missing id); everything else (S3 errors, timeouts, exhausted conflict retries) is transient.
//
// The package knows nothing of Watermill: package pipeline calls [Consumer.Handle] from its handlers.
package consumers
