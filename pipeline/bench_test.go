package pipeline_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline"
	"github.com/s3db-go/s3db/pipeline/amqp"
)

// BenchmarkWorker_amqp measures the whole path (RabbitMQ, worker, store, change published to RabbitMQ)
// for inserts of distinct records at concurrency 16, into versitygw and into the local-directory store:
//
//	go test -run '^$' -bench Worker_amqp -benchtime 2000x ./pipeline/
func BenchmarkWorker_amqp(b *testing.B) {
	for _, backend := range []string{"local", "versitygw"} {
		b.Run(backend, func(b *testing.B) {
			url := testenv.AMQPURL(b)
			conn := "file://" + b.TempDir()
			if backend == "versitygw" {
				conn = testenv.S3(b).ConnectionString(testenv.NewBucket(b), "bench")
			}
			q := testenv.AMQPQueues(b, url, "in", "changes", "dlq")
			cfg := usersConfig(b, conn, fmt.Sprintf(`[{transport: amqp, queue: %s, concurrency: 16}]`, q[0]),
				fmt.Sprintf("changes: {transport: amqp, topic: %s}\ndead_letter: {topic: %s}\namqp: {url: %q}", q[1], q[2], url))
			w, err := pipeline.NewWorker(context.Background(), cfg, pipeline.Options{})
			if err != nil {
				b.Fatal(err)
			}
			runWorker(b, w)
			var changes received
			changes.consume(b, url, q[1])
			pub, err := amqp.NewPublisher(url, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer pub.Close()
			msgs := make([]*message.Message, b.N)
			for i := range msgs {
				msgs[i] = message.NewMessage(watermill.NewUUID(), fmt.Appendf(nil, `{"resource":"users","action":"insert","data":{"id":"b%d","name":"n"}}`, i))
			}
			b.ResetTimer()
			start := time.Now()
			if err := pub.Publish(q[0], msgs...); err != nil {
				b.Fatal(err)
			}
			for len(changes.snapshot()) < b.N {
				if time.Since(start) > 5*time.Minute {
					b.Fatalf("%d of %d changes", len(changes.snapshot()), b.N)
				}
				time.Sleep(time.Millisecond)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
		})
	}
}
