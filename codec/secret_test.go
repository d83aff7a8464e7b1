package codec_test

import (
	"encoding/base64"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

func TestCipherRoundTrip(t *testing.T) {
	c := codec.NewCipher(codec.DefaultPassphrase, codec.CipherOptions{})
	for _, p := range []string{"hunter2", "", "café ☕", "😀", "\x00"} {
		stored, err := c.Encrypt(p)
		require.NoError(t, err)
		raw, err := base64.StdEncoding.DecodeString(stored)
		require.NoError(t, err)
		assert.Len(t, raw, 16+12+len(p)+16, "salt ‖ iv ‖ ciphertext ‖ tag")
		got, err := c.Decrypt(stored)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	stored, err := c.Encrypt("hunter2")
	require.NoError(t, err)
	assert.Len(t, stored, 68, "7 + 44 bytes → 68 base64 characters (§4.5)")
}

func TestCipherSaltReuse(t *testing.T) {
	salt := func(stored string) string {
		raw, err := base64.StdEncoding.DecodeString(stored)
		require.NoError(t, err)
		return string(raw[:16])
	}
	iv := func(stored string) string {
		raw, _ := base64.StdEncoding.DecodeString(stored)
		return string(raw[16:28])
	}
	reuse := codec.NewCipher("p", codec.CipherOptions{SaltReuse: 3})
	var salts, ivs []string
	for i := 0; i < 7; i++ {
		s, err := reuse.Encrypt("x")
		require.NoError(t, err)
		salts = append(salts, salt(s))
		ivs = append(ivs, iv(s))
	}
	assert.Equal(t, salts[0], salts[1])
	assert.Equal(t, salts[0], salts[2])
	assert.NotEqual(t, salts[2], salts[3], "a new salt after SaltReuse values")
	assert.Equal(t, salts[3], salts[5])
	assert.NotEqual(t, salts[5], salts[6])
	for i := range ivs {
		for j := i + 1; j < len(ivs); j++ {
			assert.NotEqual(t, ivs[i], ivs[j], "IVs are fresh for every value")
		}
	}

	fresh := codec.NewCipher("p", codec.CipherOptions{SaltReuse: 1})
	a, err := fresh.Encrypt("x")
	require.NoError(t, err)
	b, err := fresh.Encrypt("x")
	require.NoError(t, err)
	assert.NotEqual(t, salt(a), salt(b))
}

func TestCipherDecryptFailures(t *testing.T) {
	c := codec.NewCipher("right", codec.CipherOptions{})
	stored, err := c.Encrypt("value")
	require.NoError(t, err)
	raw, _ := base64.StdEncoding.DecodeString(stored)
	raw[len(raw)-1] ^= 1
	tests := map[string]string{
		"not base64":   "!!!",
		"too short":    base64.StdEncoding.EncodeToString(make([]byte, 43)),
		"tampered tag": base64.StdEncoding.EncodeToString(raw),
		"empty":        "",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := c.Decrypt(in)
			assert.ErrorIs(t, err, codec.ErrDecrypt)
		})
	}
	_, err = codec.NewCipher("wrong", codec.CipherOptions{KeyCacheSize: -1}).Decrypt(stored)
	assert.ErrorIs(t, err, codec.ErrDecrypt)
	got, err := codec.NewCipher("wrong", codec.CipherOptions{FallbackPassphrases: []string{"wrong", "right"}}).Decrypt(stored)
	require.NoError(t, err)
	assert.Equal(t, "value", got)
}

func TestCipherDecryptDropsBOM(t *testing.T) {
	// s3db.js decodes plaintexts with TextDecoder, which drops a leading BOM.
	c := codec.NewCipher("p", codec.CipherOptions{})
	stored, err := c.Encrypt("\uFEFFx")
	require.NoError(t, err)
	got, err := c.Decrypt(stored)
	require.NoError(t, err)
	assert.Equal(t, "x", got)
}

func TestCipherConcurrent(t *testing.T) {
	c := codec.NewCipher("p", codec.CipherOptions{SaltReuse: 5, KeyCacheSize: 2})
	other := codec.NewCipher("p", codec.CipherOptions{SaltReuse: 1})
	foreign := make([]string, 3)
	for i := range foreign {
		var err error
		foreign[i], err = other.Encrypt(fmt.Sprint("foreign", i))
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				want := fmt.Sprintf("g%d-%d", g, i)
				stored, err := c.Encrypt(want)
				assert.NoError(t, err)
				got, err := c.Decrypt(stored)
				assert.NoError(t, err)
				assert.Equal(t, want, got)
				got, err = c.Decrypt(foreign[(g+i)%3])
				assert.NoError(t, err)
				assert.Equal(t, fmt.Sprint("foreign", (g+i)%3), got)
			}
		}()
	}
	wg.Wait()
}
