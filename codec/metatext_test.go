package codec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeMetaSpecExamples(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "null"},
		{"reserved b:", "b:hello", "b:YjpoZWxsbw=="},
		{"reserved d:", "d:p", "b:ZDpw"},
		{"reserved z:", "z:abc", "b:ejphYmM="},
		{"reserved z85:", "z85:", "b:ejg1Og=="},
		{"dictionary status", "processing", "d:p"},
		{"dictionary content type", "application/json", "d:j"},
		{"url prefix https", "https://example.com/ada", "d:@hexample.com/ada"},
		{"url prefix localhost", "http://localhost:8080/x", "d:@L8080/x"},
		{"url prefix api v1", "/api/v1/users", "d:@1users"},
		{"no saving", "/v1/x", "/v1/x"},
		{"ascii", "hello world", "hello world"},
		{"empty", "", ""},
		{"latin1 few", "café", "u:caf%C3%A9"},
		{"latin1 phrase", "São Paulo", "u:S%C3%A3o%20Paulo"},
		{"latin1 many", "ÀÉÎÕÜ", "b:w4DDicOOw5XDnA=="},
		{"cjk", "日本語テキスト", "b:5pel5pys6Kqe44OG44Kt44K544OI"},
		{"tab", "a\tb", "b:YQli"},
		{"emoji", "😀😀", "b:8J+YgPCfmIA="},
		{"emoji in ascii", "x😀yyyyyy", "u:x%F0%9F%98%80yyyyyy"},
		{"nul", "ab\x00c", "u:ab%00c"},
		{"number", 1.5, "1.5"},
		{"int", 42, "42"},
		{"bool", true, "true"},
		{"array", []any{"a", 1.0, nil, []any{"b", "c"}}, "a,1,,b,c"},
		{"strings", []string{"x", "y"}, "x,y"},
		{"object", codec.Ordered{{Name: "a", Value: 1.0}}, "[object Object]"},
		{"map", map[string]any{"a": 1}, "[object Object]"},
		// Go writes forms that read back as the same text where s3db.js does not.
		{"text null", "null", "b:bnVsbA=="},
		{"text undefined", "undefined", "b:dW5kZWZpbmVk"},
		{"font/woff2 clash", "font/woff2", "font/woff2"},
		{"prototype name", "constructor", "constructor"},
		{"dictionary with non-ascii rest", "https://example.com/café", "u:https%3A%2F%2Fexample.com%2Fcaf%C3%A9"},
		{"lone surrogate", "\xed\xa0\x80", "b:77+9"},
		{"invalid utf-8", "\xff", "b:77+9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeMeta(tt.in))
		})
	}
}

func TestDecodeMetaSpecExamples(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		kind codec.MetaKind
	}{
		{"null", "null", "", codec.MetaNull},
		{"undefined", "undefined", "", codec.MetaUndefined},
		{"plain", "hello", "hello", codec.MetaText},
		{"empty", "", "", codec.MetaText},
		{"dictionary", "d:p", "processing", codec.MetaText},
		{"font/woff2 reads failed", "d:f", "failed", codec.MetaText},
		{"prefix", "d:@1users", "/api/v1/users", codec.MetaText},
		{"unknown code", "d:ff", "d:ff", codec.MetaText},
		{"prototype text", "d:function Object() { [native code] }", "constructor", codec.MetaText},
		{"url", "u:caf%C3%A9", "café", codec.MetaText},
		{"bad url", "u:%E0%A4%A", "u:%E0%A4%A", codec.MetaText},
		{"surrogate escape", "u:%ED%A0%80", "u:%ED%A0%80", codec.MetaText},
		{"base64", "b:YjpoZWxsbw==", "b:hello", codec.MetaText},
		{"lenient base64", "b:!!!", "", codec.MetaText},
		{"escaped null", "b:bnVsbA==", "null", codec.MetaText},
		{"bare prefixes", "b:", "b:", codec.MetaText},
		{"deflate", "z:y0jNyclXyEAnAQ==", "hello hello hello hello", codec.MetaText},
		{"bad deflate", "z:!!!", "z:!!!", codec.MetaText},
		{"uppercase prefix", "B:YQ==", "B:YQ==", codec.MetaText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, kind := codec.DecodeMeta(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.kind, kind)
		})
	}
}

func TestMetaKindString(t *testing.T) {
	assert.Equal(t, "text", codec.MetaText.String())
	assert.Equal(t, "null", codec.MetaNull.String())
	assert.Equal(t, "undefined", codec.MetaUndefined.String())
	assert.Equal(t, "MetaKind(7)", codec.MetaKind(7).String())
}

func TestSanitizeMetaName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fooBar", "foobar"},
		{"weird key!", "weird_key_"},
		{"nested.deep", "nested_deep"},
		{"$overflow", "_overflow"},
		{"x😀", "x__"},
		{"é", "_"},
		{"\xff", "_"},
		{"ok_-09", "ok_-09"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.SanitizeMetaName(tt.in))
		})
	}
}

func TestByteSize(t *testing.T) {
	type point struct {
		X int `json:"x"`
	}
	x := "abc"
	tests := []struct {
		name string
		in   any
		want int
	}{
		{"nil", nil, 0},
		{"true", true, 1},
		{"false", false, 1},
		{"ascii", "hello", 5},
		{"latin1", "é", 2},
		{"emoji", "😀", 4},
		{"lone surrogate", "\xed\xa0\x80", 3},
		{"invalid byte", "\xff", 3},
		{"float", 1.5, 3},
		{"int", 1234, 4},
		{"empty array", []any{}, 2},
		{"array", []any{"a", "b", 1.0}, 5},
		{"array with null", []any{nil}, 4},
		{"strings", []string{"ab", "c"}, 4},
		{"object", codec.Ordered{{Name: "a", Value: "é"}}, 10},
		{"map", map[string]any{"a": 1.0}, 7},
		{"struct", point{X: 1}, 7},
		{"pointer", &x, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.ByteSize(tt.in))
		})
	}
}

func TestEncodeMetaLongValues(t *testing.T) {
	// 30 % multibyte boundary: 3 of 10 units stays u:, 4 of 10 goes b:.
	assert.True(t, strings.HasPrefix(codec.EncodeMeta("ab\ncd\nef\ng"), "u:"))
	assert.True(t, strings.HasPrefix(codec.EncodeMeta("ab\ncd\nef\n\n"), "b:"))
	// 50 % Latin-1 boundary.
	assert.True(t, strings.HasPrefix(codec.EncodeMeta("éa"), "u:"))
	assert.True(t, strings.HasPrefix(codec.EncodeMeta("ééa"), "b:"))
}
