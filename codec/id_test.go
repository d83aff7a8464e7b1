package codec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for i := 0; i < 2000; i++ {
		id := codec.NewID(0)
		require.Len(t, id, codec.DefaultIDSize)
		require.NoError(t, codec.ValidateID(id))
		for _, c := range id {
			require.True(t, strings.ContainsRune(codec.IDAlphabet, c), "%q", c)
			counts[c]++
		}
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
	assert.Len(t, counts, 64, "every symbol of the alphabet shows up")
	assert.Len(t, codec.NewID(8), 8)
	assert.Len(t, codec.NewID(-1), codec.DefaultIDSize)
	assert.Len(t, codec.IDAlphabet, 64)
}

func TestValidateID(t *testing.T) {
	tests := []struct {
		id, msg string
	}{
		{"abc", ""},
		{"é and spaces", ""},
		{"", "Invalid id: must not be empty"},
		{"a/b", "Invalid id: contains unsafe character '/'"},
		{`a\b`, `Invalid id: contains unsafe character '\'`},
		{"x=y/z", "Invalid id: contains unsafe character '='"},
		{"100%", "Invalid id: contains unsafe character '%'"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			err := codec.ValidateID(tt.id)
			if tt.msg == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, codec.ErrInvalidID)
			assert.EqualError(t, err, tt.msg)
		})
	}
}
