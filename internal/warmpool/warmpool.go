package warmpool

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultIdle is how long an idle goroutine waits for work before it ends.
const DefaultIdle = 10 * time.Second

// Pool runs functions on warm goroutines. The zero value is not usable; call New.
type Pool struct {
	work  chan *task
	idle  time.Duration
	stop  chan struct{}
	once  sync.Once
	tasks sync.Pool
	// started counts the goroutines ever started and live those running now (for the tests).
	started, live atomic.Int64
}

type task struct {
	f        func()
	done     chan struct{}
	panicked bool
	panicVal any
}

// New returns a Pool whose goroutines end after idle without work (0 means DefaultIdle).
func New(idle time.Duration) *Pool {
	if idle <= 0 {
		idle = DefaultIdle
	}
	p := &Pool{work: make(chan *task), idle: idle, stop: make(chan struct{})}
	p.tasks.New = func() any { return &task{done: make(chan struct{}, 1)} }
	return p
}

// Run runs f on a pool goroutine and returns when f has returned. A panic in f is raised again in the
// caller's goroutine, so the caller's recover (Watermill's Recoverer) still sees it. After Close, f runs
// on the caller's goroutine.
func (p *Pool) Run(f func()) {
	select {
	case <-p.stop:
		f()
		return
	default:
	}
	t := p.tasks.Get().(*task)
	t.f = f
	select {
	case p.work <- t:
	default:
		p.started.Add(1)
		p.live.Add(1)
		go p.serve(t)
	}
	<-t.done
	panicked, v := t.panicked, t.panicVal
	*t = task{done: t.done}
	p.tasks.Put(t)
	if panicked {
		panic(v)
	}
}

// serve runs t, then whatever comes next, until it has been idle for p.idle or the pool closes.
func (p *Pool) serve(t *task) {
	defer p.live.Add(-1)
	timer := time.NewTimer(p.idle)
	defer timer.Stop()
	for {
		p.exec(t)
		timer.Reset(p.idle)
		select {
		case t = <-p.work:
		case <-timer.C:
			return
		case <-p.stop:
			return
		}
	}
}

func (p *Pool) exec(t *task) {
	defer func() {
		if v := recover(); v != nil {
			t.panicked, t.panicVal = true, v
		}
		t.done <- struct{}{}
	}()
	t.f()
}

// Close ends the idle goroutines; a busy one ends when its function returns (Close does not wait for it:
// a store call stuck past the worker's shutdown timeout must not hold up the shutdown). Later Run calls
// run their function on the caller's goroutine. Call it once no Run is starting (the worker closes its
// pool after the router has stopped).
func (p *Pool) Close() {
	p.once.Do(func() { close(p.stop) })
}
