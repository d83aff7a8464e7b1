package amqp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/pipeline/amqp"
)

// BenchmarkPublish measures confirmed publishes from 32 goroutines, each publishing one message per
// call and waiting for its confirm, as the worker's handlers publish change events:
//
//   - group-commit: this package's Publisher (with its default linger);
//   - group-commit-no-linger: the same with WithLinger(0): groups only of what is queued when the
//     previous group has been written;
//   - per-call: the baseline, one shared confirm-mode channel on which each call publishes and waits
//     for its own confirm (what the Publisher did before it grouped).
//
// "flat-out" publishes as fast as the confirms allow; "paced" gives each goroutine 20 ms of other work
// per message (about the worker's rate: 1,600 msg/s), where publishes reach the broker one by one
// unless grouped. It reports msg/s and the CPU per message of this process and, when RabbitMQ runs on
// this machine, of the broker (beam.smp):
//
//	go test -run '^$' -bench Publish -benchtime 5000x ./pipeline/amqp/
func BenchmarkPublish(b *testing.B) {
	for _, load := range []struct {
		name string
		work time.Duration
	}{{"flat-out", 0}, {"paced", 20 * time.Millisecond}} {
		for _, variant := range []string{"per-call", "group-commit-no-linger", "group-commit"} {
			b.Run(load.name+"/"+variant, func(b *testing.B) {
				const goroutines = 32
				rabbit := testenv.AMQPURL(b)
				queue := testenv.AMQPQueues(b, rabbit, "q")[0]
				if err := amqp.DeclareQueues(rabbit, queue); err != nil {
					b.Fatal(err)
				}
				publish := newPerCallPublisher(b, rabbit)
				if variant != "per-call" {
					opts := []amqp.PublisherOption{amqp.WithPublishers(goroutines)}
					if variant == "group-commit-no-linger" {
						opts = append(opts, amqp.WithLinger(0))
					}
					pub, err := amqp.NewPublisher(rabbit, nil, opts...)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { pub.Close() })
					publish = pub.Publish
				}
				body := []byte(strings.Repeat("x", 400))
				var next sync.Mutex
				n := 0
				broker := brokerCPU(rabbit)
				self := selfCPU()
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for range goroutines {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							next.Lock()
							i := n
							n++
							next.Unlock()
							if i >= b.N {
								return
							}
							if load.work > 0 {
								time.Sleep(load.work/2 + rand.N(load.work)) // uneven, like store writes
							}
							msg := message.NewMessage(strconv.Itoa(i), body)
							msg.Metadata.Set("s3db_resource", "events")
							msg.Metadata.Set("s3db_op", "insert")
							if err := publish(queue, msg); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msg/s")
				b.ReportMetric(float64(selfCPU()-self)/float64(time.Microsecond)/float64(b.N), "client-cpu-µs/msg")
				if broker >= 0 {
					b.ReportMetric(float64(brokerCPU(rabbit)-broker)/float64(time.Microsecond)/float64(b.N), "broker-cpu-µs/msg")
				}
			})
		}
	}
}

// newPerCallPublisher is the baseline of BenchmarkPublish: publish and wait for the confirm, per call.
func newPerCallPublisher(b *testing.B, url string) func(string, ...*message.Message) error {
	conn, err := amqp091.Dial(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	return func(topic string, msgs ...*message.Message) error {
		for _, m := range msgs {
			pub := amqp091.Publishing{DeliveryMode: amqp091.Persistent, MessageId: m.UUID, ContentType: "application/json",
				Body: m.Payload, Headers: amqp091.Table{}}
			for k, v := range m.Metadata {
				pub.Headers[k] = v
			}
			mu.Lock()
			dc, err := ch.PublishWithDeferredConfirmWithContext(context.Background(), "", topic, false, false, pub)
			mu.Unlock()
			if err != nil {
				return err
			}
			if ok, err := dc.WaitContext(context.Background()); err != nil || !ok {
				return fmt.Errorf("not confirmed: %v", err)
			}
		}
		return nil
	}
}

// selfCPU is this process's user + system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// brokerCPU is the CPU time of the RabbitMQ the tests use when it runs on this machine (the process
// listening on its port: private test nodes are beam.smp processes too), or -1.
func brokerCPU(url string) time.Duration {
	u, err := neturl.Parse(url)
	if err != nil || u.Port() == "" {
		return -1
	}
	out, err := exec.Command("ss", "-Hltnp", "sport = :"+u.Port()).Output()
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`pid=(\d+)`).FindSubmatch(out)
	if m == nil {
		return -1
	}
	stat, err := os.ReadFile(filepath.Join("/proc", string(m[1]), "stat"))
	if err != nil {
		return -1
	}
	// Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // clock ticks of 1/100 s
}
