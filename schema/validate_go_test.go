package schema_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

func mustValidator(t *testing.T, attrs codec.Ordered, opts schema.ValidatorOptions) *schema.Validator {
	t.Helper()
	v, err := schema.NewValidator(attrs, opts)
	require.NoError(t, err)
	return v
}

func TestValidate_go_values(t *testing.T) {
	attrs := codec.Ordered{
		{Name: "n", Value: "number|integer"},
		{Name: "tags", Value: "array|items:string"},
		{Name: "profile", Value: codec.Ordered{{Name: "age", Value: "number"}, {Name: "city", Value: "string"}}},
	}
	v := mustValidator(t, attrs, schema.ValidatorOptions{AllNestedObjectsOptional: true})
	tests := []struct {
		name string
		in   map[string]any
		want map[string]any
	}{
		{"int", map[string]any{"n": 7, "tags": []any{" a "}}, map[string]any{"n": 7.0, "tags": []any{"a"}}},
		{"int64 and json.Number", map[string]any{"n": int64(8), "tags": []any{}, "profile": map[string]any{"age": json.Number("3"), "city": " x "}},
			map[string]any{"n": 8.0, "tags": []any{}, "profile": map[string]any{"age": 3.0, "city": "x"}}},
		{"ordered nested stays ordered", map[string]any{"n": "9", "tags": []any{}, "profile": codec.Ordered{{Name: "city", Value: "y"}, {Name: "age", Value: 1}}},
			map[string]any{"n": 9.0, "tags": []any{}, "profile": codec.Ordered{{Name: "city", Value: "y"}, {Name: "age", Value: 1.0}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Validate(context.Background(), tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValidate_secrets_and_passwords(t *testing.T) {
	attrs := codec.Ordered{
		{Name: "tok", Value: "secret|optional"},
		{Name: "pw", Value: "password|optional"},
		{Name: "at", Value: "geo:point|optional"},
	}
	t.Run("missing optional values stay missing", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{Cipher: fakeCipher{}, HashPassword: fakeHash})
		got, err := v.Validate(context.Background(), map[string]any{})
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("null password is not hashed", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{Cipher: fakeCipher{}, HashPassword: fakeHash})
		got, err := v.Validate(context.Background(), map[string]any{"pw": nil})
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"pw": nil}, got)
	})
	t.Run("no cipher", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{HashPassword: fakeHash})
		_, err := v.Validate(context.Background(), map[string]any{"tok": "x"})
		var ve *schema.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "encryptionKeyMissing", ve.Errors[0].Rule)
		assert.Equal(t, "tok", ve.Errors[0].Field)
	})
	t.Run("no hasher", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{Cipher: fakeCipher{}})
		_, err := v.Validate(context.Background(), map[string]any{"pw": "hunter2"})
		var ve *schema.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "passwordHashingProblem", ve.Errors[0].Rule)
	})
	t.Run("already encrypted and already hashed are kept", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{Cipher: fakeCipher{}, HashPassword: fakeHash})
		enc, _ := fakeCipher{}.Encrypt("x")
		got, err := v.Validate(context.Background(), map[string]any{"tok": enc, "pw": "$c$abc"})
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"tok": enc, "pw": "$c$abc"}, got)
	})
	t.Run("geo point shapes", func(t *testing.T) {
		v := mustValidator(t, attrs, schema.ValidatorOptions{})
		for _, p := range []any{map[string]any{"lat": 1.5, "lon": 2.0}, map[string]any{"latitude": 1, "longitude": 2}, []any{1.0, 2.0}} {
			_, err := v.Validate(context.Background(), map[string]any{"at": p})
			assert.NoError(t, err)
		}
		_, err := v.Validate(context.Background(), map[string]any{"at": []any{95.0, 2.0}})
		assert.ErrorIs(t, err, schema.ErrValidation)
	})
}

func TestNewValidator_refusals(t *testing.T) {
	tests := []struct {
		name string
		def  any
		want string
	}{
		{"bool", "bool", "use 'boolean'"},
		{"text", "text|optional", "use 'string'"},
		{"date", "date", "use 'datetime'"},
		{"buffer", "buffer", "base64"},
		{"bits object", codec.Ordered{{Name: "type", Value: "bits:8"}}, "base64"},
		{"lookahead pattern", codec.Ordered{{Name: "type", Value: "string"}, {Name: "pattern", Value: "^(?=a)"}}, "pattern"},
		{"enum without values", codec.Ordered{{Name: "type", Value: "enum"}}, "values"},
		{"number param", "number|min:abc", "must be a number"},
		{"nested", codec.Ordered{{Name: "x", Value: "strng"}}, "Invalid 'strng' type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schema.NewValidator(codec.Ordered{{Name: "a", Value: tt.def}}, schema.ValidatorOptions{})
			var de *schema.DefinitionError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, de.Problem, tt.want)
			assert.Contains(t, de.Attribute, "a")
		})
	}
}

func TestValidate_context_cancelled(t *testing.T) {
	v := mustValidator(t, codec.Ordered{{Name: "a", Value: "string"}}, schema.ValidatorOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Validate(ctx, map[string]any{"a": "x"})
	assert.ErrorIs(t, err, context.Canceled)
}

func FuzzValidate(f *testing.F) {
	attrs := []codec.Ordered{
		{{Name: "s", Value: "string|min:2|optional"}, {Name: "n", Value: "number|integer|optional"},
			{Name: "b", Value: "boolean|optional"}, {Name: "e", Value: "email|optional"}},
		{{Name: "a", Value: "array|items:number|unique|optional"}, {Name: "j", Value: "json|optional"},
			{Name: "o", Value: codec.Ordered{{Name: "x", Value: "datetime|optional"}, {Name: "y", Value: "duration|optional"}}}},
		{{Name: "c", Value: codec.Ordered{{Name: "type", Value: "enum"}, {Name: "values", Value: []any{"a", 1.0}}}},
			{Name: "p", Value: codec.Ordered{{Name: "type", Value: "object"}, {Name: "props", Value: codec.Ordered{{Name: "k", Value: "uuid"}}}}},
			{Name: "t", Value: "timeonly|optional"}, {Name: "m", Value: "mac|optional"}, {Name: "sec", Value: "secret|optional"}},
	}
	var vs []*schema.Validator
	for _, a := range attrs {
		v, err := schema.NewValidator(a, schema.ValidatorOptions{Cipher: fakeCipher{}, HashPassword: fakeHash, AllNestedObjectsOptional: true})
		require.NoError(f, err)
		vs = append(vs, v)
	}
	for _, seed := range []string{`{}`, `{"s":"ab","n":"3","b":"on","e":"a@b.co"}`, `{"a":[1,1,"x"],"j":{"k":[1]},"o":{"x":"2024-01-02","y":"1h"}}`,
		`{"c":"a","p":{"k":"nope","z":1},"t":"13:45","m":"aa:bb:cc:dd:ee:ff","sec":5}`, `{"o":[],"a":{},"p":null}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rec map[string]any
		if json.Unmarshal(data, &rec) != nil {
			return
		}
		for _, v := range vs {
			out, err := v.Validate(context.Background(), rec)
			if err == nil {
				require.NotNil(t, out)
			} else {
				require.ErrorIs(t, err, schema.ErrValidation)
			}
		}
	})
}
