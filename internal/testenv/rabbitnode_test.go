package testenv_test

import (
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// A durable queue's persistent message survives a kill -9 of the private node and its restart.
func TestPrivateRabbitSurvivesRestart(t *testing.T) {
	n := testenv.PrivateRabbit(t)
	conn, err := amqp.Dial(n.URL())
	require.NoError(t, err)
	ch, err := conn.Channel()
	require.NoError(t, err)
	_, err = ch.QueueDeclare("q", true, false, false, false, nil)
	require.NoError(t, err)
	// RabbitMQ 3.10 records a queue declaration in Mnesia, whose log reaches the disk in the
	// background: a kill -9 within milliseconds of declare-ok lost the queue once in CI ("no queue
	// 'q'"). The workers' queues are declared long before the e2e tests kill the broker; give this
	// one the same head start. The message itself must survive through its publisher confirm alone.
	time.Sleep(time.Second)
	require.NoError(t, ch.Confirm(false))
	confirms := ch.NotifyPublish(make(chan amqp.Confirmation, 1))
	require.NoError(t, ch.Publish("", "q", false, false, amqp.Publishing{DeliveryMode: amqp.Persistent, Body: []byte("kept")}))
	require.True(t, (<-confirms).Ack)
	n.Restart(100 * time.Millisecond)
	conn, err = amqp.Dial(n.URL())
	require.NoError(t, err)
	defer conn.Close()
	ch, err = conn.Channel()
	require.NoError(t, err)
	msg, ok, err := ch.Get("q", true)
	require.NoError(t, err)
	require.True(t, ok, "the message survived the restart")
	require.Equal(t, "kept", string(msg.Body))
}
