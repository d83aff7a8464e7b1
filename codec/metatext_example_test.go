package codec_test

import (
	"errors"
	"fmt"

	"github.com/s3db-go/s3db/codec"
)

func ExampleEncodeMeta() {
	for _, v := range []any{"hello", "processing", "café", "日本語テキスト", "b:hello", nil, 1.5, "null"} {
		fmt.Println(codec.EncodeMeta(v))
	}
	// Output:
	// hello
	// d:p
	// u:caf%C3%A9
	// b:5pel5pys6Kqe44OG44Kt44K544OI
	// b:YjpoZWxsbw==
	// null
	// 1.5
	// b:bnVsbA==
}

func ExampleDecodeMeta() {
	for _, s := range []string{"d:@hexample.com/ada", "u:S%C3%A3o%20Paulo", "b:bnVsbA==", "null"} {
		text, kind := codec.DecodeMeta(s)
		fmt.Printf("%q %v\n", text, kind)
	}
	// Output:
	// "https://example.com/ada" text
	// "São Paulo" text
	// "null" text
	// "" null
}

func ExampleSanitizeMetaName() {
	fmt.Println(codec.SanitizeMetaName("weird key!"), codec.SanitizeMetaName("$overflow"), codec.SanitizeMetaName("fooBar"))
	// Output: weird_key_ _overflow foobar
}

func ExampleByteSize() {
	fmt.Println(codec.ByteSize("café"), codec.ByteSize(true), codec.ByteSize([]any{"a", "b"}), codec.ByteSize([]any{}))
	// Output: 5 1 3 2
}

func ExampleMarshalJS() {
	b, _ := codec.MarshalJS(codec.Ordered{{Name: "name", Value: "<ada>"}, {Name: "2", Value: 1e21}, {Name: "1", Value: 0.5}})
	fmt.Println(string(b))
	// Output: {"1":0.5,"2":1e+21,"name":"<ada>"}
}

func ExampleStableJSON() {
	b, _ := codec.StableJSON(map[string]any{"behavior": "user-managed", "attributes": map[string]any{"name": "string"}})
	fmt.Println(string(b))
	// Output: {"attributes":{"name":"string"},"behavior":"user-managed"}
}

func ExampleCipher() {
	c := codec.NewCipher(codec.DefaultPassphrase, codec.CipherOptions{FallbackPassphrases: []string{"old passphrase"}})
	stored, _ := c.Encrypt("hunter2")
	fmt.Println(len(stored))
	plain, _ := c.Decrypt(stored)
	fmt.Println(plain)
	_, err := codec.NewCipher("wrong", codec.CipherOptions{}).Decrypt(stored)
	fmt.Println(errors.Is(err, codec.ErrDecrypt))
	// Output:
	// 68
	// hunter2
	// true
}

func ExampleValidateID() {
	fmt.Println(codec.ValidateID("user-1"))
	fmt.Println(codec.ValidateID("a/b"))
	// Output:
	// <nil>
	// Invalid id: contains unsafe character '/'
}

func ExampleNewID() {
	fmt.Println(len(codec.NewID(0)), len(codec.NewID(8)))
	// Output: 22 8
}

func ExampleVerifyPassword() {
	// A compact bcrypt hash written by s3db.js for "hunter2".
	ok, err := codec.VerifyPassword("$c$dD/swVJoIsVZj37iM/x4DumnWf5vpYU1Tamr8i74Qaki/Fzutf/8i", "hunter2")
	fmt.Println(ok, err)
	// Output: true <nil>
}
