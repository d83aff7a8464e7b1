package schema

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnflattenArrays(t *testing.T) {
	got := unflatten([]pathValue{{"a.0", "x"}, {"a.1", "y"}, {"b.c.0.d", 1.0}, {"e", true}})
	assert.Equal(t, map[string]any{"a": []any{"x", "y"}, "b": map[string]any{"c": []any{map[string]any{"d": 1.0}}}, "e": true}, got)
}
