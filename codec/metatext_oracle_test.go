package codec_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

// The fixture testdata/metatext.json is written by testdata/gen/metatext.mjs with the real
// s3db.js 21.6.2 (see that script for the encoding of strings and values).

// mtStr is a fixture string: plain JSON, or {"wtf8": hex} for JS strings with lone surrogates.
type mtStr string

func (s *mtStr) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var x string
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*s = mtStr(x)
		return nil
	}
	var w struct{ Wtf8 string }
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	raw, err := hex.DecodeString(w.Wtf8)
	if err != nil {
		return err
	}
	*s = mtStr(raw)
	return nil
}

// mtDesc is a value description: ["null"], ["bool", b], ["num", hexbits], ["str", S], ["arr", [...]],
// ["obj", [[S, D], ...]].
type mtDesc []json.RawMessage

func (d mtDesc) value(t *testing.T) any {
	t.Helper()
	var tag string
	require.NoError(t, json.Unmarshal(d[0], &tag))
	switch tag {
	case "null":
		return nil
	case "bool":
		var b bool
		require.NoError(t, json.Unmarshal(d[1], &b))
		return b
	case "num":
		var h string
		require.NoError(t, json.Unmarshal(d[1], &h))
		bits, err := strconv.ParseUint(h, 16, 64)
		require.NoError(t, err)
		return math.Float64frombits(bits)
	case "str":
		var s mtStr
		require.NoError(t, json.Unmarshal(d[1], &s))
		return string(s)
	case "arr":
		var items []mtDesc
		require.NoError(t, json.Unmarshal(d[1], &items))
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = it.value(t)
		}
		return out
	case "obj":
		var members [][2]json.RawMessage
		require.NoError(t, json.Unmarshal(d[1], &members))
		out := codec.Ordered{}
		for _, m := range members {
			var k mtStr
			var v mtDesc
			require.NoError(t, json.Unmarshal(m[0], &k))
			require.NoError(t, json.Unmarshal(m[1], &v))
			out = append(out, codec.Member{Name: string(k), Value: v.value(t)})
		}
		return out
	}
	t.Fatalf("unknown description %q", tag)
	return nil
}

type mtDecoded struct {
	Kind string `json:"kind"`
	Text *mtStr `json:"text"`
}

type metaOracle struct {
	Meta []struct {
		In      mtStr      `json:"in"`
		Enc     *mtStr     `json:"enc"`
		Error   string     `json:"error"`
		Dropped bool       `json:"dropped"`
		Back    *mtDecoded `json:"back"`
	} `json:"meta"`
	MetaValues []struct {
		Value mtDesc `json:"value"`
		Enc   *mtStr `json:"enc"`
	} `json:"metaValues"`
	Decode []struct {
		In mtStr `json:"in"`
		mtDecoded
	} `json:"decode"`
	Names []struct {
		In  mtStr  `json:"in"`
		Out string `json:"out"`
	} `json:"names"`
	JSON []struct {
		Value  mtDesc `json:"value"`
		JS     mtStr  `json:"js"`
		Stable mtStr  `json:"stable"`
	} `json:"json"`
	Sizes []struct {
		Value mtDesc `json:"value"`
		Size  int    `json:"size"`
	} `json:"sizes"`
	Secrets []struct {
		Passphrase mtStr `json:"passphrase"`
		Plaintext  mtStr `json:"plaintext"`
		Stored     string
		Decrypted  mtStr `json:"decrypted"`
	} `json:"secrets"`
	Passwords []struct {
		Plain     mtStr `json:"plain"`
		Full      string
		Hash      string
		Algorithm string
	} `json:"passwords"`
	IsPasswordHash []struct {
		In  string
		Out bool
	} `json:"isPasswordHash"`
	IDs []struct {
		In    string
		Error *string
	} `json:"ids"`
}

var loadMetaOracle = sync.OnceValues(func() (*metaOracle, error) {
	raw, err := os.ReadFile("testdata/metatext.json")
	if err != nil {
		return nil, err
	}
	var o metaOracle
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return &o, nil
})

func mustMetaOracle(t *testing.T) *metaOracle {
	t.Helper()
	o, err := loadMetaOracle()
	require.NoError(t, err)
	return o
}

func mtKind(t *testing.T, s string) codec.MetaKind {
	t.Helper()
	switch s {
	case "text":
		return codec.MetaText
	case "null":
		return codec.MetaNull
	case "undefined":
		return codec.MetaUndefined
	}
	t.Fatalf("unknown kind %q", s)
	return 0
}

// mtProtoNames are the Object.prototype member names that s3db.js mis-encodes.
var mtProtoNames = map[string]bool{"constructor": true, "__defineGetter__": true, "__defineSetter__": true,
	"hasOwnProperty": true, "__lookupGetter__": true, "__lookupSetter__": true, "isPrototypeOf": true,
	"propertyIsEnumerable": true, "toString": true, "valueOf": true, "__proto__": true, "toLocaleString": true}

// mtNotUTF8 reports whether a WTF-8 string holds a lone surrogate or invalid UTF-8.
func mtNotUTF8(s string) bool { return !utf8.ValidString(s) }

// mtWellFormed replaces lone surrogates (WTF-8 triplets) by U+FFFD, as JS's UTF-8 encoders do.
func mtWellFormed(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 && i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 {
			b.WriteRune(utf8.RuneError)
			i += 3
			continue
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

func TestEncodeMetaOracle(t *testing.T) {
	o := mustMetaOracle(t)
	deviations := 0
	for _, row := range o.Meta {
		in := string(row.In)
		got := codec.EncodeMeta(in)
		name := fmt.Sprintf("%q", in)
		switch {
		case in == "null" || in == "undefined" || in == "font/woff2" || mtProtoNames[in]:
			// JS writes a form that reads back as something else; Go writes one that reads back.
			deviations++
			back, kind := codec.DecodeMeta(got)
			assert.Equal(t, codec.MetaText, kind, name)
			assert.Equal(t, in, back, name)
			if row.Enc != nil && row.Back != nil && row.Back.Text != nil {
				assert.NotEqual(t, in, string(*row.Back.Text), "%s: JS round trip expected to be lossy", name)
			}
		case row.Error != "":
			// JS throws URIError (lone surrogate on the u: path); Go writes b: with U+FFFD.
			deviations++
			require.True(t, mtNotUTF8(in), name)
			assert.True(t, strings.HasPrefix(got, "b:"), "%s → %q", name, got)
			back, _ := codec.DecodeMeta(got)
			assert.Equal(t, mtWellFormed(in), back, name)
		case row.Enc != nil && strings.HasPrefix(string(*row.Enc), "d:") && !mtPrintable(string(*row.Enc)):
			// JS sends a dictionary form with raw non-ASCII/control characters in a header.
			deviations++
			assert.True(t, mtPrintable(got), "%s → %q", name, got)
			back, _ := codec.DecodeMeta(got)
			assert.Equal(t, mtWellFormed(in), back, name)
		default:
			require.NotNil(t, row.Enc, name)
			assert.Equal(t, string(*row.Enc), got, name)
		}
	}
	t.Logf("%d inputs, %d documented deviations", len(o.Meta), deviations)
}

func mtPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

func TestEncodeMetaValuesOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for i, row := range o.MetaValues {
		v := row.Value.value(t)
		require.NotNil(t, row.Enc, "row %d", i)
		assert.Equal(t, string(*row.Enc), codec.EncodeMeta(v), "row %d: %#v", i, v)
	}
}

func TestDecodeMetaOracle(t *testing.T) {
	o := mustMetaOracle(t)
	check := func(name, in string, want mtDecoded) {
		got, kind := codec.DecodeMeta(in)
		assert.Equal(t, mtKind(t, want.Kind), kind, name)
		if want.Text != nil {
			assert.Equal(t, string(*want.Text), got, name)
		}
	}
	for _, row := range o.Decode {
		in := string(row.In)
		name := fmt.Sprintf("%q", in)
		if strings.HasPrefix(in, "d:function ") {
			got, _ := codec.DecodeMeta(in)
			assert.NotEqual(t, in, got, "%s: Go decodes s3db.js's prototype texts to the name", name)
			continue
		}
		check(name, in, row.mtDecoded)
	}
	for _, row := range o.Meta {
		if row.Enc != nil && row.Back != nil && !strings.HasPrefix(string(*row.Enc), "d:function ") {
			check(fmt.Sprintf("back of %q", string(row.In)), string(*row.Enc), *row.Back)
		}
	}
}

func TestSanitizeMetaNameOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for _, row := range o.Names {
		assert.Equal(t, row.Out, codec.SanitizeMetaName(string(row.In)), "%q", string(row.In))
	}
}

func TestMarshalJSOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for i, row := range o.JSON {
		v := row.Value.value(t)
		got, err := codec.MarshalJS(v)
		require.NoError(t, err, "row %d", i)
		assert.Equal(t, string(row.JS), string(got), "row %d: %#v", i, v)
		stable, err := codec.StableJSON(v)
		require.NoError(t, err, "row %d", i)
		assert.Equal(t, string(row.Stable), string(stable), "stable row %d: %#v", i, v)
	}
}

func TestByteSizeOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for i, row := range o.Sizes {
		v := row.Value.value(t)
		assert.Equal(t, row.Size, codec.ByteSize(v), "row %d: %#v", i, v)
	}
}

func TestDecryptOracle(t *testing.T) {
	o := mustMetaOracle(t)
	ciphers := map[string]*codec.Cipher{}
	for _, row := range o.Secrets {
		pass := string(row.Passphrase)
		c, ok := ciphers[pass]
		if !ok {
			c = codec.NewCipher(pass, codec.CipherOptions{})
			ciphers[pass] = c
		}
		got, err := c.Decrypt(row.Stored)
		require.NoError(t, err, "%q", string(row.Plaintext))
		assert.Equal(t, string(row.Decrypted), got, "%q", string(row.Plaintext))
	}
	// The wrong passphrase fails; a fallback opens it.
	row := o.Secrets[len(o.Secrets)-1]
	_, err := codec.NewCipher("wrong", codec.CipherOptions{}).Decrypt(row.Stored)
	require.ErrorIs(t, err, codec.ErrDecrypt)
	got, err := codec.NewCipher("wrong", codec.CipherOptions{FallbackPassphrases: []string{"x", string(row.Passphrase)}}).Decrypt(row.Stored)
	require.NoError(t, err)
	assert.Equal(t, string(row.Decrypted), got)
}

func TestVerifyPasswordOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for _, row := range o.Passwords {
		plain := string(row.Plain)
		for _, h := range []string{row.Hash, row.Full} {
			assert.True(t, codec.IsPasswordHash(h), h)
			ok, err := codec.VerifyPassword(h, plain)
			require.NoError(t, err, h)
			assert.True(t, ok, "%s should verify %q", h, plain)
		}
		// bcrypt reads 72 bytes: a longer password verifies with any tail.
		ok, err := codec.VerifyPassword(row.Hash, plain+"x")
		require.NoError(t, err, row.Hash)
		assert.Equal(t, len(plain) >= 72, ok, "%s with %q", row.Hash, plain+"x")
	}
	for _, row := range o.IsPasswordHash {
		assert.Equal(t, row.Out, codec.IsPasswordHash(row.In), "%q", row.In)
	}
}

func TestValidateIDOracle(t *testing.T) {
	o := mustMetaOracle(t)
	for _, row := range o.IDs {
		err := codec.ValidateID(row.In)
		if row.Error == nil {
			assert.NoError(t, err, row.In)
			continue
		}
		require.ErrorIs(t, err, codec.ErrInvalidID, row.In)
		assert.Equal(t, *row.Error, err.Error(), row.In)
	}
}
