package objstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// keyLocks serialises the writers of one key inside the process; waiting honours the context.
type keyLocks struct {
	mu   sync.Mutex
	held map[string]*keyWaiters
}

type keyWaiters struct {
	ch   chan struct{} // holds one token while the key is locked
	refs int           // holders and waiters; the entry goes when it drops to 0
}

func (l *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[string]*keyWaiters{}
	}
	w := l.held[key]
	if w == nil {
		w = &keyWaiters{ch: make(chan struct{}, 1)}
		l.held[key] = w
	}
	w.refs++
	l.mu.Unlock()
	select {
	case w.ch <- struct{}{}:
		return func() { <-w.ch; l.release(key, w) }, nil
	case <-ctx.Done():
		l.release(key, w)
		return nil, ctx.Err()
	}
}

func (l *keyLocks) release(key string, w *keyWaiters) {
	l.mu.Lock()
	w.refs--
	if w.refs == 0 {
		delete(l.held, key)
	}
	l.mu.Unlock()
}

// lockStripes is the number of lock files shared by all keys for locking across processes: a fixed
// set, so that locking leaves no file per key behind. Two keys of one stripe only wait for each other
// while both are being written.
const lockStripes = 256

// lockKey locks key for writing: the in-process lock, then an exclusive flock on the key's stripe file
// (where the platform has flock), so that writers in other processes on the same directory are
// serialised too.
func (d *Dir) lockKey(ctx context.Context, full string) (unlock func(), err error) {
	unlockLocal, err := d.locks.lock(ctx, full)
	if err != nil {
		return nil, err
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(full))
	path := filepath.Join(d.root, locksDir, fmt.Sprintf("%02x", h.Sum32()%lockStripes))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		unlockLocal()
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	for delay := 100 * time.Microsecond; ; delay = min(2*delay, 10*time.Millisecond) {
		err = tryLockFile(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errWouldBlock) {
			_ = f.Close()
			unlockLocal()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			unlockLocal()
			return nil, ctx.Err()
		case <-time.After(delay):
		}
	}
	return func() {
		_ = unlockFile(f)
		_ = f.Close()
		unlockLocal()
	}, nil
}
