// Package sqs is a Watermill Publisher and Subscriber for Amazon SQS, built on aws-sdk-go-v2's SQS client.
// It passes Watermill's conformance suite (pubsub/tests.TestPubSub) against fauxqs with the features of an
// SQS standard queue: at-least-once delivery, no ordering guarantee, messages kept until deleted, no
// consumer groups (a queue's consumers compete for its messages; fan-out is SNS's job).
//
// # Topics and queues
//
// A topic is a queue name, resolved with GetQueueUrl once and cached, or a queue URL ("https://…" or
// "http://…") used as it is. A missing queue is an error (ErrQueueNotFound) unless
// QueueConfig.CreateIfMissing is set; Subscriber.SubscribeInitialize always creates it. CreateQueue creates
// a queue, optionally with a dead-letter queue and a RedrivePolicy (DeadLetterPolicy), which is how poison
// messages leave the queue: SQS moves a message received MaxReceiveCount times to the dead-letter queue.
// A name ending in ".fifo" is a FIFO queue.
//
// # Messages on the wire
//
// SQS allows 10 message attributes; Watermill metadata has no limit. A published message therefore
// carries exactly one attribute, EnvelopeAttribute ("watermill"), whose JSON value holds the UUID, all the
// metadata, and the payload's encoding: the body is the payload when it is text SQS accepts, its base64
// otherwise (SQS bodies are restricted Unicode text; characters beyond the Basic Multilingual Plane, such
// as emoji, take base64 too, because fauxqs rejects them), and a placeholder for an empty payload (SQS
// rejects empty bodies). On receipt, attributes set by other producers become metadata too (Binary ones in base64),
// a message without the envelope gets its SQS MessageId as UUID, and the keys MetadataMessageID,
// MetadataReceiveCount, MetadataSentTimestamp and, on FIFO queues, MetadataMessageGroupID describe the
// delivery.
//
// # Publishing
//
// Publish is synchronous. Several messages go in SendMessageBatch requests of at most 10 messages and
// PublisherConfig.MaxBatchBytes (256 KiB by default: the limit every SQS-compatible service accepts; AWS
// now allows 1 MiB). SQS answers batches entry by entry, so a *PublishError lists the UUIDs that were not
// published, whether refused or never sent after an earlier batch failed, and a caller can retry exactly
// those. On a FIFO queue the MessageGroupId comes from PublisherConfig.MessageGroupID (the
// MetadataMessageGroupID key, else "default") and the MessageDeduplicationId from the UUID, so a retried
// Publish does not duplicate within SQS's five-minute window.
//
// # Subscribing
//
// Each Subscribe call runs its own machinery:
//
//   - SubscriberConfig.Receivers goroutines long-poll ReceiveMessage (WaitTime, 20 s by default), asking
//     for no more than the free room under MaxInFlight (at most 10). They wait for a full call's worth of
//     room unless nothing received is waiting for delivery, so a slow consumer does not turn into one
//     receive per message.
//   - MaxUnacked deliverers hand messages out on the channel and wait for Ack or Nack. The default, 1, is
//     Watermill's contract (the next message after Ack or Nack); a Router runs one handler per message
//     handed out, so MaxUnacked is the handler concurrency.
//   - Every message received gets a lease of VisibilityTimeout (passed to ReceiveMessage), and a heartbeat
//     renews the leases of all messages in flight (waiting or handed out) with ChangeMessageVisibilityBatch
//     every HeartbeatInterval. A handler may run far longer than the visibility timeout without SQS
//     delivering its message again, while a crashed process's messages come back after at most one
//     timeout.
//   - Ack deletes: acknowledged receipt handles are collected and deleted with DeleteMessageBatch, 10 per
//     request or after AckBatchInterval (100 ms; NoWait for one request per ack), at most four requests
//     at a time. An ack is thus cheap, at the price of a short window in which a crash makes SQS deliver an
//     acknowledged message again, which at-least-once delivery allows anyway.
//   - Nack sets the message's visibility to NackBackoff(receive count): capped exponential by default
//     (1 s, 2 s, 4 s … 5 min), ConstantBackoff(0) for immediate redelivery. On a FIFO queue, the messages of
//     the same group already received behind a nacked one are released too, so they cannot overtake it.
//
// Stopping (the Subscribe context is cancelled, or Close) is ordered so that nothing is lost and little is
// delayed: receivers stop (an idle long poll is cancelled at once; a poll younger than 250 ms may finish,
// because SQS may already have taken messages for it); messages received but not handed out are made
// visible again at once; the contexts of handed-out messages are cancelled and their handlers get
// CloseTimeout to Ack or Nack; pending deletes are flushed; then the channel closes. Close is idempotent and
// returns after all of that. A message whose Ack comes too late is not lost either: SQS delivers it again
// when its lease ends.
//
// One window remains, inherent to SQS: a receive whose answer is never read (a long poll cancelled by
// closing, or a request retried after a broken connection) may still have been given messages, and those
// stay invisible until their visibility timeout passes. fauxqs even keeps a cancelled long poll waiting on
// the server until its WaitTime ends, so the next message sent to that queue can disappear into it. Nothing
// is lost, only delayed: a short VisibilityTimeout bounds the delay, and the heartbeat makes a short timeout
// safe for slow handlers.
//
// # Configuration
//
// PublisherConfig and SubscriberConfig follow one pattern: the zero value of a field means its documented
// default, Validate reports invalid combinations (wrapped in ErrInvalidConfig), and NewPublisher and
// NewSubscriber apply defaults and validate. Where zero is a meaningful value it has a name: NoWait for
// short polling or for closing without waiting, ConstantBackoff(0) for immediate redelivery. An SQS client
// is passed in (API is the small interface of the calls used, satisfied by *sqs.Client), or built by
// NewClient from an endpoint, a region and credentials (any pair works against fauxqs). Logs go to a
// watermill.LoggerAdapter, e.g. watermill.NewSlogLogger.
//
// Note on NoWait: aws-sdk-go-v2 does not send a zero WaitTimeSeconds, so short polling takes the queue's
// ReceiveMessageWaitTimeSeconds, which is 0 unless the queue was configured otherwise.
package sqs
