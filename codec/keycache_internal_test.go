package codec

import (
	"crypto/cipher"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyCacheLRU(t *testing.T) {
	c := newKeyCache(2)
	var derived atomic.Int32
	derive := func() (cipher.AEAD, error) { derived.Add(1); return nil, nil }
	k := func(b byte) keyCacheKey { return keyCacheKey{salt: [saltSize]byte{b}} }
	for _, b := range []byte{1, 2, 1, 3, 1, 2} {
		_, err := c.get(k(b), derive)
		require.NoError(t, err)
	}
	// 1, 2 derived; 1 hit; 3 evicts 2; 1 hit; 2 derived again (evicting 3).
	assert.Equal(t, int32(4), derived.Load())
	assert.Equal(t, 2, c.len())

	_, err := c.get(k(9), func() (cipher.AEAD, error) { return nil, errors.New("boom") })
	require.Error(t, err)
	assert.Equal(t, 1, c.len(), "the failed derivation is not kept (its insertion evicted the oldest key)")

	off := newKeyCache(0)
	_, _ = off.get(k(1), derive)
	assert.Equal(t, 0, off.len())
}

func TestKeyCacheSingleDerivation(t *testing.T) {
	c := newKeyCache(4)
	var derived atomic.Int32
	release := make(chan struct{})
	derive := func() (cipher.AEAD, error) { derived.Add(1); <-release; return nil, nil }
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = c.get(keyCacheKey{pass: 1}, derive) }()
	}
	close(release)
	wg.Wait()
	assert.Equal(t, int32(1), derived.Load())
}
