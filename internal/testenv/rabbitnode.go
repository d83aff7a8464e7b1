package testenv

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// RabbitNode is a RabbitMQ broker of the test's own: a second node on this machine with its own
// ports and data directory, which the test may stop, kill and start again without disturbing the
// shared broker other tests use at the same time. Messages in durable queues survive its restarts,
// as on a real broker.
type RabbitNode struct {
	t          testing.TB
	dir        string
	name       string
	port, dist int
	cmd        *exec.Cmd
}

// PrivateRabbit starts a RabbitNode (about 5 s). It skips the test when S3DB_TEST_AMQP is set to ""
// or rabbitmq-server is not installed; the node is killed when the test ends.
func PrivateRabbit(t testing.TB) *RabbitNode {
	t.Helper()
	if v, ok := os.LookupEnv(EnvAMQP); ok && v == "" {
		t.Skipf("%s is set to the empty string: RabbitMQ is off", EnvAMQP)
	}
	server := "/usr/lib/rabbitmq/bin/rabbitmq-server"
	if _, err := os.Stat(server); err != nil {
		t.Skipf("rabbitmq-server is not installed (%v): cannot start a private broker", err)
	}
	n := &RabbitNode{t: t, dir: t.TempDir(), port: freePort(t), dist: freePort(t)}
	n.name = fmt.Sprintf("s3dbtest%d@localhost", n.port)
	n.Start()
	t.Cleanup(func() { n.Kill() })
	return n
}

// URL is the AMQP URL of the node.
func (n *RabbitNode) URL() string { return fmt.Sprintf("amqp://guest:guest@127.0.0.1:%d/", n.port) }

// Start starts the node (again) and waits until it accepts AMQP connections.
func (n *RabbitNode) Start() {
	n.t.Helper()
	cmd := exec.Command("/usr/lib/rabbitmq/bin/rabbitmq-server")
	cmd.Env = append(os.Environ(),
		"RABBITMQ_NODENAME="+n.name,
		"RABBITMQ_NODE_IP_ADDRESS=127.0.0.1",
		"RABBITMQ_NODE_PORT="+strconv.Itoa(n.port),
		"RABBITMQ_DIST_PORT="+strconv.Itoa(n.dist),
		"RABBITMQ_MNESIA_BASE="+filepath.Join(n.dir, "mnesia"),
		"RABBITMQ_LOG_BASE="+filepath.Join(n.dir, "log"),
		"RABBITMQ_PID_FILE="+filepath.Join(n.dir, "pid"),
		"RABBITMQ_CONFIG_FILE="+filepath.Join(n.dir, "none"),
		"RABBITMQ_ADVANCED_CONFIG_FILE="+filepath.Join(n.dir, "none-advanced.config"),
		"RABBITMQ_ENABLED_PLUGINS_FILE="+filepath.Join(n.dir, "plugins"),
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	log, err := os.Create(filepath.Join(n.dir, "stdout.log"))
	if err != nil {
		n.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("start rabbitmq-server: %v", err)
	}
	n.cmd = cmd
	n.watchdog(cmd.Process.Pid)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c, err := amqp.Dial(n.URL()); err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(filepath.Join(n.dir, "stdout.log"))
			n.t.Fatalf("private RabbitMQ node did not start within 60 s:\n%s", tail(string(out), 2000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// watchdog kills the node's process group once the test process is gone. Why: a test binary that panics
// on its -timeout runs no Cleanup, and the node (an Erlang VM that rabbitmq-server starts as a child,
// out of reach of a parent-death signal) would outlive it; one such node ran for an hour in session 5.
// The watchdog ends by itself when the node does.
func (n *RabbitNode) watchdog(leader int) {
	script := fmt.Sprintf(`while kill -0 %d 2>/dev/null && kill -0 %d 2>/dev/null; do sleep 1; done
kill -0 %d 2>/dev/null && kill -KILL -%d 2>/dev/null; exit 0`, os.Getpid(), leader, leader, leader)
	w := exec.Command("sh", "-c", script)
	w.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := w.Start(); err != nil {
		n.t.Logf("private RabbitMQ node: no watchdog (%v); a test that dies without cleanup leaves it running", err)
		return
	}
	go func() { _ = w.Wait() }()
}

// Kill stops the node the hard way (SIGKILL of its process group), as a crash would.
func (n *RabbitNode) Kill() {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
	_, _ = n.cmd.Process.Wait()
	n.cmd = nil
	// epmd may still list the name for a moment; the next Start waits for the port anyway.
}

// Restart kills the node and starts it again after pause.
func (n *RabbitNode) Restart(pause time.Duration) {
	n.t.Helper()
	n.Kill()
	time.Sleep(pause)
	n.Start()
}

// MemoryAlarm raises (on) or clears the node's memory alarm, as a broker short of memory would: while
// it is raised, RabbitMQ stops reading from every connection that publishes (and says so with
// connection.blocked) until the alarm clears. Raising sets the memory high watermark far below what
// the node uses; clearing restores RabbitMQ's default (0.4).
func (n *RabbitNode) MemoryAlarm(on bool) {
	n.t.Helper()
	watermark := "0.4"
	if on {
		watermark = "0.000001"
	}
	out, err := exec.Command("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", n.name,
		"set_vm_memory_high_watermark", watermark).CombinedOutput()
	if err != nil {
		n.t.Fatalf("rabbitmqctl set_vm_memory_high_watermark %s: %v\n%s", watermark, err, out)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[strings.LastIndex(s[:len(s)-n], "\n")+1:]
}
