// Package settle lets a transport tell, through a message's context, when the ack or nack of that
// message has been sent. Why: RabbitMQ redelivers requeued messages in the order their nacks arrive,
// and Watermill's Nack only marks a message, so messages nacked one after the other can reach the
// broker in another order; pipeline's KeyedSubscriber nacks the next message of a record once the
// previous one is settled. A transport that does not tell (nil) gets its nacks at once.
package settle
