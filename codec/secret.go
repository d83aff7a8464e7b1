package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sync"
)

// The layout of a stored secret (§4.5 of the format): standard base64 (with padding) of
// salt(16) ‖ iv(12) ‖ AES-256-GCM ciphertext ‖ tag(16), the key being PBKDF2-HMAC-SHA256 of the
// UTF-8 passphrase and the salt with 100000 iterations. This is WebCrypto's AES-GCM layout, which
// s3db.js uses.
const (
	saltSize         = 16
	ivSize           = 12
	tagSize          = 16
	pbkdf2Iterations = 100000
	aesKeySize       = 32
)

// DefaultPassphrase is s3db.js's passphrase when the database sets no security.passphrase.
const DefaultPassphrase = "secret"

// Defaults of CipherOptions.
const (
	DefaultSaltReuse    = 4096
	DefaultKeyCacheSize = 4096
)

// CipherOptions tune a Cipher. The zero value gives the defaults.
type CipherOptions struct {
	// FallbackPassphrases are tried, in order, when decryption with the main passphrase fails:
	// older passphrases, or "secret" for data written while s3db.js ignored a top-level
	// passphrase option (§13.10). Encryption always uses the main passphrase.
	FallbackPassphrases []string
	// SaltReuse is how many encryptions share one random salt, and so one PBKDF2 derivation
	// (DefaultSaltReuse when 0; 1 derives a fresh key for every value, as s3db.js does). The IV
	// is random for every value regardless; with 96-bit random IVs, 4096 messages per key stay
	// far below the 2^32 NIST limit for random-IV GCM.
	SaltReuse int
	// KeyCacheSize bounds the keys kept for decryption, by (passphrase, salt)
	// (DefaultKeyCacheSize when 0; negative disables the cache).
	KeyCacheSize int
}

// Cipher encrypts and decrypts s3db.js `secret` values. PBKDF2 with 100000 iterations costs tens
// of milliseconds, far more than the rest of a record write or read, so a Cipher derives a key
// once per salt: Encrypt reuses one salt (and key) for SaltReuse values, with a fresh random IV
// each time, and Decrypt caches derived keys by salt in a bounded LRU; its own encryption keys go
// into that cache too. Values stay readable by s3db.js, which derives the key from each value's
// salt. A Cipher is safe for concurrent use.
type Cipher struct {
	passphrases []string // main first, then fallbacks; as UTF-8 (TextEncoder) bytes
	saltReuse   int
	cache       *keyCache

	mu   sync.Mutex // guards cur and uses
	cur  *encKey
	uses int
}

// encKey is the salt and key Encrypt currently uses.
type encKey struct {
	salt [saltSize]byte
	aead cipher.AEAD
}

// NewCipher returns a Cipher for passphrase (used as given: pass DefaultPassphrase for
// s3db.js's default). Fallback passphrases equal to an earlier one are dropped.
func NewCipher(passphrase string, opts CipherOptions) *Cipher {
	passes := []string{jsWellFormed(passphrase)}
	for _, p := range opts.FallbackPassphrases {
		p = jsWellFormed(p)
		dup := false
		for _, q := range passes {
			dup = dup || p == q
		}
		if !dup {
			passes = append(passes, p)
		}
	}
	reuse := opts.SaltReuse
	if reuse <= 0 {
		reuse = DefaultSaltReuse
	}
	size := opts.KeyCacheSize
	switch {
	case size == 0:
		size = DefaultKeyCacheSize
	case size < 0:
		size = 0
	}
	return &Cipher{passphrases: passes, saltReuse: reuse, cache: newKeyCache(size)}
}

// deriveAEAD derives the AES-256-GCM instance for a passphrase and salt.
func deriveAEAD(passphrase string, salt []byte) (cipher.AEAD, error) {
	key, err := pbkdf2.Key(sha256.New, passphrase, salt, pbkdf2Iterations, aesKeySize)
	if err != nil {
		return nil, fmt.Errorf("derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes: %w", err)
	}
	return cipher.NewGCM(block)
}

// Encrypt returns the stored form of plaintext: base64(salt ‖ iv ‖ ciphertext ‖ tag) of its UTF-8
// (lone surrogates and invalid bytes as U+FFFD, as TextEncoder). s3db.js encrypts String(value);
// callers pass that text.
func (c *Cipher) Encrypt(plaintext string) (string, error) {
	k, err := c.encryptionKey()
	if err != nil {
		return "", err
	}
	msg := []byte(jsWellFormed(plaintext))
	out := make([]byte, saltSize+ivSize, saltSize+ivSize+len(msg)+tagSize)
	copy(out, k.salt[:])
	if _, err := rand.Read(out[saltSize:]); err != nil {
		return "", fmt.Errorf("codec: random iv: %w", err)
	}
	out = k.aead.Seal(out, out[saltSize:saltSize+ivSize], msg, nil)
	return base64.StdEncoding.EncodeToString(out), nil
}

// encryptionKey returns the current salt and key, deriving a new pair after saltReuse uses. The
// derivation happens under the lock, so concurrent callers wait for it and share the result.
func (c *Cipher) encryptionKey() (*encKey, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || c.uses >= c.saltReuse {
		k := &encKey{}
		if _, err := rand.Read(k.salt[:]); err != nil {
			return nil, fmt.Errorf("codec: random salt: %w", err)
		}
		aead, err := deriveAEAD(c.passphrases[0], k.salt[:])
		if err != nil {
			return nil, fmt.Errorf("codec: encrypt: %w", err)
		}
		k.aead = aead
		c.cur, c.uses = k, 0
		c.cache.put(keyCacheKey{pass: 0, salt: k.salt}, aead)
	}
	c.uses++
	return c.cur, nil
}

// Decrypt returns the plaintext of a stored secret, trying the passphrase and then the fallbacks.
// The stored text is base64-decoded as Node does (lenient, see DecodeMeta) and the plaintext
// decoded as TextDecoder does (invalid UTF-8 → U+FFFD, a leading BOM dropped). The error wraps
// ErrDecrypt when no passphrase opens it; s3db.js then shows the stored text unchanged, and the
// plaintexts "null" and "undefined" stand for null and a missing value (callers handle both).
func (c *Cipher) Decrypt(stored string) (string, error) {
	data := nodeBase64Decode(stored)
	if len(data) < saltSize+ivSize+tagSize {
		return "", fmt.Errorf("%w: %d bytes, need at least %d", ErrDecrypt, len(data), saltSize+ivSize+tagSize)
	}
	var k keyCacheKey
	copy(k.salt[:], data[:saltSize])
	iv := data[saltSize : saltSize+ivSize]
	sealed := data[saltSize+ivSize:]
	var lastErr error
	for i, pass := range c.passphrases {
		k.pass = i
		aead, err := c.cache.get(k, func() (cipher.AEAD, error) { return deriveAEAD(pass, data[:saltSize]) })
		if err != nil {
			lastErr = err
			continue
		}
		plain, err := aead.Open(nil, iv, sealed, nil)
		if err != nil {
			lastErr = err
			continue
		}
		return decodeUTF8(plain, true), nil
	}
	return "", fmt.Errorf("%w: %w", ErrDecrypt, lastErr)
}
