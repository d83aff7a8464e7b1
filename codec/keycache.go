package codec

import (
	"container/list"
	"crypto/cipher"
	"sync"
)

// keyCacheKey identifies a derived key: the index of the passphrase in the Cipher's list and the
// salt. Indexes rather than passphrases keep the secrets out of map keys.
type keyCacheKey struct {
	pass int
	salt [saltSize]byte
}

// keyCacheEntry is one derived key; ready is closed once aead/err are set, so goroutines that
// need the same key while it is being derived wait for that derivation instead of repeating it
// (a list of records written with one reused salt would otherwise derive it once per worker).
type keyCacheEntry struct {
	key   keyCacheKey
	ready chan struct{}
	aead  cipher.AEAD
	err   error
	elem  *list.Element
}

// keyCache is a bounded LRU of AES-GCM instances keyed by (passphrase, salt), safe for
// concurrent use. Failed derivations are not kept.
type keyCache struct {
	mu      sync.Mutex
	max     int
	entries map[keyCacheKey]*keyCacheEntry
	order   *list.List // front = most recently used
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, entries: make(map[keyCacheKey]*keyCacheEntry), order: list.New()}
}

// get returns the AEAD for k, deriving it with derive at most once at a time.
func (c *keyCache) get(k keyCacheKey, derive func() (cipher.AEAD, error)) (cipher.AEAD, error) {
	c.mu.Lock()
	if e, ok := c.entries[k]; ok {
		c.order.MoveToFront(e.elem)
		c.mu.Unlock()
		<-e.ready
		return e.aead, e.err
	}
	e := &keyCacheEntry{key: k, ready: make(chan struct{})}
	e.elem = c.order.PushFront(e)
	c.entries[k] = e
	c.evictLocked()
	c.mu.Unlock()

	e.aead, e.err = derive()
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		if cur, ok := c.entries[k]; ok && cur == e {
			c.order.Remove(e.elem)
			delete(c.entries, k)
		}
		c.mu.Unlock()
	}
	return e.aead, e.err
}

// put stores an already derived key (the encryption side shares its keys with decryption).
func (c *keyCache) put(k keyCacheKey, aead cipher.AEAD) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.order.MoveToFront(e.elem)
		return
	}
	e := &keyCacheEntry{key: k, ready: make(chan struct{}), aead: aead}
	close(e.ready)
	e.elem = c.order.PushFront(e)
	c.entries[k] = e
	c.evictLocked()
}

func (c *keyCache) evictLocked() {
	for c.order.Len() > c.max {
		last := c.order.Back()
		e := last.Value.(*keyCacheEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
	}
}

// len reports the number of cached keys (for tests).
func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
