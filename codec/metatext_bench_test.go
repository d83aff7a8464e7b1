package codec_test

import (
	"testing"

	"github.com/s3db-go/s3db/codec"
)

func BenchmarkEncrypt(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts codec.CipherOptions
	}{{"reuse", codec.CipherOptions{}}, {"fresh-salt", codec.CipherOptions{SaltReuse: 1}}} {
		b.Run(bc.name, func(b *testing.B) {
			c := codec.NewCipher("secret", bc.opts)
			for b.Loop() {
				if _, err := c.Encrypt("hunter2"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	stored, err := codec.NewCipher("secret", codec.CipherOptions{}).Encrypt("hunter2")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts codec.CipherOptions
	}{{"cached", codec.CipherOptions{}}, {"uncached", codec.CipherOptions{KeyCacheSize: -1}}} {
		b.Run(bc.name, func(b *testing.B) {
			c := codec.NewCipher("secret", bc.opts)
			for b.Loop() {
				if _, err := c.Decrypt(stored); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeMeta(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii", "a plain ascii value of some length"},
		{"dictionary", "https://example.com/users/42"},
		{"latin1", "São Paulo, café e pão de queijo"},
		{"cjk", "日本語テキストと中文"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				codec.EncodeMeta(bc.in)
			}
		})
	}
}

func BenchmarkDecodeMeta(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"plain", "a plain ascii value of some length"},
		{"url", "u:S%C3%A3o%20Paulo%2C%20caf%C3%A9"},
		{"base64", "b:5pel5pys6Kqe44OG44Kt44K544OI"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				codec.DecodeMeta(bc.in)
			}
		})
	}
}

func BenchmarkMarshalJS(b *testing.B) {
	v := codec.Ordered{{Name: "0", Value: "hello"}, {Name: "1", Value: 42.5}, {Name: "2", Value: []any{"a", "b"}},
		{Name: "_v", Value: "v1"}, {Name: "profile", Value: map[string]any{"city": "London", "zip": nil}}}
	for b.Loop() {
		if _, err := codec.MarshalJS(v); err != nil {
			b.Fatal(err)
		}
	}
}
