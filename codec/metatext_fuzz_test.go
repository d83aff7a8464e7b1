package codec_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3db-go/s3db/codec"
)

var metaSeeds = []string{"", "hello", "null", "undefined", "b:hello", "d:p", "z:abc", "z85:abc", "u:x", "processing",
	"font/woff2", "constructor", "https://example.com/ada", "/v1/x", "café", "São Paulo", "ÀÉÎÕÜ", "日本語テキスト",
	"a\tb", "😀😀", "x😀yyyyyy", "ab\x00c", "\xed\xa0\x80", "\xff\xfe", "https://example.com/café",
	"b:!!!", "u:%E0%A4%A", "u:caf%C3%A9", "z:y0jNyclXyEAnAQ==", "d:@1users", "b:ŁŁŁŁ", "z85:é"}

// FuzzDecodeMeta: any stored text decodes without panicking, plain texts come back unchanged,
// and "b:" payloads always give valid UTF-8.
func FuzzDecodeMeta(f *testing.F) {
	for _, s := range metaSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, kind := codec.DecodeMeta(s)
		if kind != codec.MetaText {
			if s != "null" && s != "undefined" {
				t.Fatalf("%q decoded as %v", s, kind)
			}
			return
		}
		special := strings.HasPrefix(s, "d:") || strings.HasPrefix(s, "z") || strings.HasPrefix(s, "u:") || strings.HasPrefix(s, "b:")
		if !special && got != s {
			t.Fatalf("plain %q decoded as %q", s, got)
		}
		if strings.HasPrefix(s, "b:") && len(s) > 2 && !utf8.ValidString(got) {
			t.Fatalf("b: payload %q gave invalid UTF-8 %q", s, got)
		}
	})
}

// FuzzEncodeMetaRoundTrip: every text encodes to printable ASCII (a valid header value) that
// decodes to the same text; texts that are not valid UTF-8 (lone surrogates in WTF-8, stray
// bytes) come back as valid UTF-8 with U+FFFD, as JavaScript writes them.
func FuzzEncodeMetaRoundTrip(f *testing.F) {
	for _, s := range metaSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := codec.EncodeMeta(s)
		for i := 0; i < len(enc); i++ {
			if enc[i] < 0x20 || enc[i] > 0x7E {
				t.Fatalf("%q encoded as %q: not printable ASCII", s, enc)
			}
		}
		got, kind := codec.DecodeMeta(enc)
		if kind != codec.MetaText {
			t.Fatalf("%q encoded as %q decodes as %v", s, enc, kind)
		}
		if utf8.ValidString(s) {
			if got != s {
				t.Fatalf("%q encoded as %q decodes as %q", s, enc, got)
			}
		} else if !utf8.ValidString(got) {
			t.Fatalf("%q encoded as %q decodes as invalid UTF-8 %q", s, enc, got)
		}
	})
}

// FuzzDecrypt: arbitrary stored texts never panic and fail with ErrDecrypt; what decrypts is
// valid UTF-8.
func FuzzDecrypt(f *testing.F) {
	c := codec.NewCipher("secret", codec.CipherOptions{})
	for _, p := range []string{"hunter2", "", "café"} {
		s, err := c.Encrypt(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(s)
	}
	f.Add("!!!")
	f.Add("")
	f.Add(strings.Repeat("A", 60))
	f.Fuzz(func(t *testing.T, s string) {
		got, err := c.Decrypt(s)
		if err != nil {
			if !errors.Is(err, codec.ErrDecrypt) {
				t.Fatalf("error %v does not wrap ErrDecrypt", err)
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("decrypted to invalid UTF-8 %q", got)
		}
	})
}

// FuzzMarshalJS: for any JSON document, MarshalJS and StableJSON write text that encoding/json
// reads back as the same value encoding/json's own output gives.
func FuzzMarshalJS(f *testing.F) {
	for _, s := range []string{`null`, `{"b":1,"2":2,"a":[1.5,"x",true,null]}`, `"\u0000\u2028<>&"`, `1e21`, `[1e-7,-0,0.1]`,
		`{"😀":1,"\uffff":2,"10":3,"9":4}`, `"\ud800"`, `{"a":{"a":{"a":[]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		ref, err := json.Marshal(v)
		if err != nil {
			return
		}
		var want any
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		for name, marshal := range map[string]func(any) ([]byte, error){"MarshalJS": codec.MarshalJS, "StableJSON": codec.StableJSON} {
			out, err := marshal(v)
			if err != nil {
				t.Fatalf("%s(%s): %v", name, data, err)
			}
			var got any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s(%s) = %s: not JSON: %v", name, data, out, err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("%s(%s) = %s, encoding/json gives %s", name, data, out, ref)
			}
		}
	})
}
