package warmpool

import (
	"sync"
	"testing"
	"time"
)

func TestRunReusesGoroutines(t *testing.T) {
	p := New(time.Minute)
	defer p.Close()
	// Sequential calls: the goroutine that ran the first is idle and takes the next, so at most a
	// couple of goroutines are ever started (one may still be between exec and its receive).
	for i := 0; i < 100; i++ {
		ran := false
		p.Run(func() { ran = true })
		if !ran {
			t.Fatalf("call %d: f did not run before Run returned", i)
		}
	}
	if n := p.started.Load(); n > 2 {
		t.Fatalf("100 sequential calls started %d goroutines, want at most 2", n)
	}
}

func TestRunConcurrent(t *testing.T) {
	p := New(time.Minute)
	defer p.Close()
	const callers = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	release := make(chan struct{})
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Run(func() {
				<-release // all callers are inside at once: each needs a goroutine of its own
				mu.Lock()
				sum++
				mu.Unlock()
			})
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if sum != callers {
		t.Fatalf("sum = %d, want %d", sum, callers)
	}
	if n := p.started.Load(); n != callers {
		t.Fatalf("started %d goroutines for %d simultaneous calls", n, callers)
	}
}

func TestRunPanicReachesCaller(t *testing.T) {
	p := New(time.Minute)
	defer p.Close()
	got := func() (v any) {
		defer func() { v = recover() }()
		p.Run(func() { panic("boom") })
		return nil
	}()
	if got != "boom" {
		t.Fatalf("recovered %v, want boom", got)
	}
	// The pool still works after a panic.
	ok := false
	p.Run(func() { ok = true })
	if !ok {
		t.Fatal("Run after a panic did not run f")
	}
}

func TestIdleGoroutinesEnd(t *testing.T) {
	p := New(20 * time.Millisecond)
	p.Run(func() {})
	waitNoneLive(t, p)
	p.Close()
}

func TestRunAfterClose(t *testing.T) {
	p := New(time.Minute)
	p.Run(func() {})
	p.Close()
	ran := false
	p.Run(func() { ran = true })
	if !ran {
		t.Fatal("Run after Close did not run f")
	}
	waitNoneLive(t, p)
	if n := p.started.Load(); n != 1 {
		t.Fatalf("started %d goroutines, want 1 (Run after Close runs inline)", n)
	}
}

// TestCloseDoesNotWaitForBusy: a function still running when the pool closes does not hold Close up, and
// its goroutine ends when it returns.
func TestCloseDoesNotWaitForBusy(t *testing.T) {
	p := New(time.Minute)
	release := make(chan struct{})
	started := make(chan struct{})
	go p.Run(func() { close(started); <-release })
	<-started
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Second):
		t.Fatal("Close waited for a busy goroutine")
	}
	close(release)
	waitNoneLive(t, p)
}

func waitNoneLive(t *testing.T, p *Pool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for p.live.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d pool goroutines still live", p.live.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

// deep uses about n KB of stack, like a store write through the AWS SDK's middleware.
//
//go:noinline
func deep(n int) byte {
	var buf [1024]byte
	buf[n%1024] = byte(n)
	if n == 0 {
		return buf[0]
	}
	return deep(n-1) + buf[(n+1)%1024]
}

// BenchmarkDeepCall compares a fresh goroutine per call (Watermill's router) with the pool, for a call
// 64 KB deep.
func BenchmarkDeepCall(b *testing.B) {
	b.Run("goroutine-per-call", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			done := make(chan struct{})
			go func() { deep(64); close(done) }()
			<-done
		}
	})
	b.Run("warmpool", func(b *testing.B) {
		p := New(0)
		defer p.Close()
		for i := 0; i < b.N; i++ {
			p.Run(func() { deep(64) })
		}
	})
}
