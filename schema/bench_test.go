package schema_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

// record15 is the typical 15-field record of bench/js/record15.json; the Node side of the same
// benchmark (bench/js/encode.mjs) reads the same file. See docs/benchmarks.md.
type record15 struct {
	Behavior   string        `json:"behavior"`
	Attributes codec.Ordered `json:"attributes"`
	Record     codec.Ordered `json:"record"`
}

func loadRecord15(tb testing.TB) (*schema.Schema, behaviors.Behavior, map[string]any, codec.Ordered) {
	tb.Helper()
	b, err := os.ReadFile("../bench/js/record15.json")
	require.NoError(tb, err)
	var r record15
	require.NoError(tb, json.Unmarshal(b, &r))
	s, err := schema.New(r.Attributes, schema.Options{Version: "v1"})
	require.NoError(tb, err)
	beh, err := behaviors.Lookup(r.Behavior)
	require.NoError(tb, err)
	rec := make(map[string]any, len(r.Record))
	for _, m := range r.Record {
		rec[m.Name] = m.Value
	}
	return s, beh, rec, r.Attributes
}

// The benchmark record must survive the round trip it measures.
func TestRecord15RoundTrip(t *testing.T) {
	s, beh, rec, _ := loadRecord15(t)
	mapped, err := s.Map(rec)
	require.NoError(t, err)
	split, err := beh.Insert(mapped, behaviors.Config{Version: "v1"})
	require.NoError(t, err)
	st := behaviors.Join(split.Headers(), split.Body)
	require.Equal(t, normalize(rec), normalize(s.Unmap(st.Fields, st.Map)))
}

// BenchmarkRecord15MapSplit is the work s3db.js's Schema.mapper + handleInsert do.
func BenchmarkRecord15MapSplit(b *testing.B) {
	s, beh, rec, _ := loadRecord15(b)
	cfg := behaviors.Config{Version: "v1"}
	b.ReportAllocs()
	for b.Loop() {
		mapped, err := s.Map(rec)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := beh.Insert(mapped, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecord15MapSplitHeaders adds the S3 client's work: header names and u:/b:/d: values.
func BenchmarkRecord15MapSplitHeaders(b *testing.B) {
	s, beh, rec, _ := loadRecord15(b)
	cfg := behaviors.Config{Version: "v1"}
	b.ReportAllocs()
	for b.Loop() {
		mapped, _ := s.Map(rec)
		split, err := beh.Insert(mapped, cfg)
		if err != nil {
			b.Fatal(err)
		}
		_ = split.Headers()
	}
}

// BenchmarkRecord15JoinUnmap is the reverse (handleGet + unmapper in s3db.js), starting from the
// encoded headers, so it also does the client's metadata text decoding.
func BenchmarkRecord15JoinUnmap(b *testing.B) {
	s, beh, rec, _ := loadRecord15(b)
	mapped, _ := s.Map(rec)
	split, err := beh.Insert(mapped, behaviors.Config{Version: "v1"})
	require.NoError(b, err)
	headers := split.Headers()
	b.ReportAllocs()
	for b.Loop() {
		st := behaviors.Join(headers, split.Body)
		_ = s.Unmap(st.Fields, st.Map)
	}
}

// BenchmarkRecord15Unmap is the same work as s3db.js's join+unmap step, which starts from metadata
// its S3 client has already decoded: here from the joined fields.
func BenchmarkRecord15Unmap(b *testing.B) {
	s, beh, rec, _ := loadRecord15(b)
	mapped, _ := s.Map(rec)
	split, err := beh.Insert(mapped, behaviors.Config{Version: "v1"})
	require.NoError(b, err)
	st := behaviors.Join(split.Headers(), split.Body)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Unmap(st.Fields, st.Map)
	}
}

// BenchmarkWrite compares the full write path (validate, map, split, headers) of the record with
// and without a secret field: the secret must not make writes slow (PBKDF2 is ~50 ms per salt).
func BenchmarkWrite(b *testing.B) {
	s0, beh, rec, attrs := loadRecord15(b)
	_ = s0
	cipher := codec.NewCipher("secret", codec.CipherOptions{})
	withSecret := append(append(codec.Ordered{}, attrs...), codec.Member{Name: "token", Value: "secret|optional"})
	for _, tc := range []struct {
		name  string
		attrs codec.Ordered
		extra map[string]any
	}{
		{"plain", attrs, nil},
		{"secret", withSecret, map[string]any{"token": "tok_3f9a8b7c6d5e4f3a2b1c"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := schema.New(tc.attrs, schema.Options{Version: "v1", Cipher: cipher})
			require.NoError(b, err)
			v, err := schema.NewValidator(tc.attrs, schema.ValidatorOptions{Cipher: cipher, AllNestedObjectsOptional: true})
			require.NoError(b, err)
			in := make(map[string]any, len(rec)+1)
			for k, x := range rec {
				in[k] = x
			}
			for k, x := range tc.extra {
				in[k] = x
			}
			ctx := context.Background()
			cfg := behaviors.Config{Version: "v1"}
			b.ReportAllocs()
			for b.Loop() {
				clean, err := v.Validate(ctx, in)
				if err != nil {
					b.Fatal(err)
				}
				mapped, err := s.Map(clean)
				if err != nil {
					b.Fatal(err)
				}
				split, err := beh.Insert(mapped, cfg)
				if err != nil {
					b.Fatal(err)
				}
				_ = split.Headers()
			}
		})
	}
}
