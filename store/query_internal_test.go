package store

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestMatches(t *testing.T) {
	rec := map[string]any{
		"id": "u1", "name": "Ada", "age": 36.0, "active": true, "nick": nil,
		"address": map[string]any{"city": "Porto", "geo": map[string]any{"lat": 41.1}},
		"tags":    []any{"a", "b"},
	}
	tests := []struct {
		name   string
		filter map[string]any
		want   bool
	}{
		{name: "empty filter", filter: nil, want: true},
		{name: "string", filter: map[string]any{"name": "Ada"}, want: true},
		{name: "number", filter: map[string]any{"age": 36.0}, want: true},
		{name: "number text is not a number", filter: map[string]any{"age": "36"}, want: false},
		{name: "boolean", filter: map[string]any{"active": true}, want: true},
		{name: "boolean text", filter: map[string]any{"active": "true"}, want: false},
		{name: "null matches null", filter: map[string]any{"nick": nil}, want: true},
		{name: "null does not match a missing field", filter: map[string]any{"missing": nil}, want: false},
		{name: "nested path", filter: map[string]any{"address.city": "Porto"}, want: true},
		{name: "deep path", filter: map[string]any{"address.geo.lat": 41.1}, want: true},
		{name: "path through a string", filter: map[string]any{"name.x": "A"}, want: false},
		{name: "array index", filter: map[string]any{"tags.1": "b"}, want: true},
		{name: "array index out of range", filter: map[string]any{"tags.2": "b"}, want: false},
		{name: "all must match", filter: map[string]any{"name": "Ada", "age": 37.0}, want: false},
		{name: "id", filter: map[string]any{"id": "u1"}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Matches(rec, tt.filter))
		})
	}
}

func TestChoosePartition(t *testing.T) {
	parts := codec.Ordered{
		{Name: "byRegion", Value: codec.Ordered{{Name: "fields", Value: codec.Ordered{{Name: "region", Value: "string"}}}}},
		{Name: "byRegionPlan", Value: codec.Ordered{{Name: "fields", Value: codec.Ordered{{Name: "region", Value: "string"}, {Name: "plan", Value: "string"}}}}},
		{Name: "byArea", Value: codec.Ordered{{Name: "fields", Value: codec.Ordered{{Name: "region", Value: "string"}}}}},
	}
	tests := []struct {
		name       string
		filter     map[string]any
		wantName   string
		wantValues map[string]any
	}{
		{name: "no filter", filter: nil},
		{name: "no partition field", filter: map[string]any{"name": "x"}},
		{name: "one field: first by name", filter: map[string]any{"region": "eu"}, wantName: "byArea", wantValues: map[string]any{"region": "eu"}},
		{name: "most fields win", filter: map[string]any{"region": "eu", "plan": "pro", "x": 1.0}, wantName: "byRegionPlan",
			wantValues: map[string]any{"region": "eu", "plan": "pro"}},
		{name: "null cannot be a partition value", filter: map[string]any{"region": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, values := choosePartition(parts, tt.filter)
			assert.Equal(t, tt.wantName, name)
			assert.Equal(t, tt.wantValues, values)
		})
	}
}
