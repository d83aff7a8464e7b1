package codec_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeEmbeddingOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for i, c := range o.Embedding {
		items := rawTagged(t, c[0]).goValue(t).([]any)
		want := rawString(t, c[1])
		assert.Equalf(t, want, codec.EncodeEmbedding(items), "case %d: %v", i, items)
	}
}

func TestDecodeEmbeddingOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.EmbeddingDecode {
		s := rawString(t, c[0])
		want := rawTagged(t, c[1]).goValue(t).([]any)
		got, ok := codec.DecodeEmbedding(s)
		assertSameItems(t, want, got, fmt.Sprintf("DecodeEmbedding(%q)", s))
		allNumbers := true
		for _, v := range want {
			allNumbers = allNumbers && !math.IsNaN(v.(float64))
		}
		assert.Equalf(t, allNumbers, ok, "DecodeEmbedding(%q) ok", s)
	}
}

func TestEmbeddingExamples(t *testing.T) {
	tests := []struct {
		name  string
		items []any
		want  string
	}{
		{name: "spec example", items: []any{0.1, -0.2, 0, 1}, want: "^[q0U,-Q1O,0,4c92]"},
		{name: "halves", items: []any{0.5, 0.5, 0.5, 0.5}, want: "^[264w,264w,264w,264w]"},
		{name: "empty", items: []any{}, want: "^[]"},
		{name: "nil", items: nil, want: "^[]"},
		{name: "go numeric types", items: []any{1, int64(-1), float32(0.5), uint8(2), json.Number("0.25")}, want: "^[4c92,-4c92,264w,8oi4,132g]"},
		{name: "non-numbers are empty", items: []any{"0.5", nil, true, math.NaN(), math.Inf(1)}, want: "^[,,,,]"},
		{name: "below precision", items: []any{4e-7, 5e-7, -5e-7}, want: "^[0,1,0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeEmbedding(tt.items))
		})
	}
}

func TestDecodeEmbeddingLegacy(t *testing.T) {
	got, ok := codec.DecodeEmbedding("^4c92|^-264w|^0")
	assert.True(t, ok)
	assert.Equal(t, []any{1.0, -0.5, 0.0}, got)
}

func ExampleEncodeEmbedding() {
	s := codec.EncodeEmbedding([]any{0.1, -0.2, 0, 1})
	items, ok := codec.DecodeEmbedding(s)
	fmt.Println(s, items, ok)
	// Output: ^[q0U,-Q1O,0,4c92] [0.1 -0.2 0 1] true
}

func FuzzDecodeEmbedding(f *testing.F) {
	for _, s := range []string{"", "^[]", "^[", "^[q0U,-Q1O,0,4c92]", "^a|^-b|^0", "^[a\U0001F600", "^[0é", "a\\|b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, ok := codec.DecodeEmbedding(s)
		nan := false
		for _, v := range items {
			f, isFloat := v.(float64)
			if !isFloat {
				t.Fatalf("DecodeEmbedding(%q) item %T", s, v)
			}
			nan = nan || math.IsNaN(f)
		}
		if ok == nan {
			t.Fatalf("DecodeEmbedding(%q) = %v, %v", s, items, ok)
		}
	})
}

// FuzzEmbeddingRoundTrip checks that items read back within 0.5e-6 (the format keeps six
// decimals).
func FuzzEmbeddingRoundTrip(f *testing.F) {
	f.Add(0.1, -0.2, 1.0)
	f.Add(0.0, 5e-7, -4.4e-7)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		in := []any{a, b, c}
		for _, x := range []float64{a, b, c} {
			if math.IsNaN(x) || math.Abs(x) > 1e9 {
				return
			}
		}
		got, ok := codec.DecodeEmbedding(codec.EncodeEmbedding(in))
		if !ok || len(got) != 3 {
			t.Fatalf("%v reads back as %v, %v", in, got, ok)
		}
		for i, x := range []float64{a, b, c} {
			if d := math.Abs(got[i].(float64) - x); d > 0.5e-6+math.Abs(x)*1e-15 {
				t.Fatalf("%v reads back as %v", in, got)
			}
		}
	})
}
