package codec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

func TestHashPassword(t *testing.T) {
	h, err := codec.HashPassword("hunter2", 0)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$c$"), h)
	assert.Len(t, h, 3+53)
	assert.True(t, codec.IsPasswordHash(h))
	ok, err := codec.VerifyPassword(h, "hunter2")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = codec.VerifyPassword(h, "hunter3")
	require.NoError(t, err)
	assert.False(t, ok)
	ok, err = codec.VerifyPassword(h, "")
	require.NoError(t, err)
	assert.False(t, ok)

	_, err = codec.HashPassword("", 12)
	assert.ErrorIs(t, err, codec.ErrInvalidPassword)
	_, err = codec.HashPassword("x", 11)
	assert.ErrorIs(t, err, codec.ErrInvalidPassword)
	_, err = codec.HashPassword("x", 32)
	assert.ErrorIs(t, err, codec.ErrInvalidPassword)
}

func TestHashPasswordArgon2id(t *testing.T) {
	h, err := codec.HashPasswordArgon2id("pässwörd")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$j|g|3|4$"), h)
	assert.True(t, codec.IsPasswordHash(h))
	ok, err := codec.VerifyPassword(h, "pässwörd")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = codec.VerifyPassword(h, "passwörd")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestVerifyPasswordBadHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$", "$$", "$!$abc", "$c$short", "$1|2$x$y", "$j|Z|3|4$c2FsdA$ZGln",
		"$j|g|0|4$c2FsdA$ZGln", "$argon2d$v=19$m=8,t=1,p=1$c2FsdA$ZGln", "$argon2id$v=16$m=8,t=1,p=1$c2FsdA$ZGln",
		"$argon2id$v=19$m=8,t=1,p=1$!!$ZGln", "$2b$12$tooshort"} {
		t.Run(h, func(t *testing.T) {
			ok, err := codec.VerifyPassword(h, "x")
			assert.False(t, ok)
			assert.ErrorIs(t, err, codec.ErrInvalidPasswordHash)
		})
	}
}

func TestIsPasswordHash(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false}, {"plain", false}, {"$", false}, {"$$", false}, {"$a$", true}, {"$c$abc", true},
		{"$2b$12$" + strings.Repeat("a", 53), true}, {"$2b$12$short", false}, {"$argon2id$x", true}, {"$x|y", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, codec.IsPasswordHash(tt.in), tt.in)
	}
}
