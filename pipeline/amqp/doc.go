// Package amqp is the RabbitMQ transport of the pipeline, on amqp091-go (RabbitMQ's client, which
// watermill-amqp/v3 uses too): a Watermill Subscriber that hands out several unacknowledged deliveries at
// once, in queue order, and a Publisher with publisher confirms whose messages are in watermill-amqp's
// format and which sends and confirms concurrent publishes in groups.
//
// Why a Subscriber (and a Publisher, see there) of our own: watermill-amqp's subscriber hands out one delivery and waits for its
// acknowledgement before the next, so a queue is processed one message at a time, and several
// subscriptions on one queue (RabbitMQ's competing consumers) lose the order of messages about the same
// record. This subscriber uses one channel with a prefetch of N and forwards deliveries in the order
// RabbitMQ sends them; acknowledgements may come in any order (AMQP acks each delivery tag). Package
// pipeline then runs messages about different records concurrently and keeps each record's messages in
// order (pipeline.KeyedSubscriber).
//
// Queues are durable, messages persistent, and an inbound queue may name a dead-letter queue in its
// arguments (x-dead-letter-exchange "" and x-dead-letter-routing-key), where RabbitMQ puts what is
// rejected, expires or overflows. Both sides reconnect after a broker restart; deliveries that were
// unacknowledged when the connection broke are redelivered by RabbitMQ, which the consumers tolerate
// (their writes are idempotent).
package amqp
