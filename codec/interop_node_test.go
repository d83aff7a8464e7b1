package codec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

// s3dbjsRunner finds the run.sh of the s3db.js harness: $S3DBJS_RUN, else
// <module root>/../shared/tools/s3dbjs/run.sh. Without it the test fails, so that interop is
// not silently skipped; S3DBJS_RUN set to the empty string skips it on purpose.
func s3dbjsRunner(t *testing.T) string {
	t.Helper()
	if v, ok := os.LookupEnv("S3DBJS_RUN"); ok {
		if v == "" {
			t.Skip("S3DBJS_RUN is empty: s3db.js interop checks disabled")
		}
		_, err := os.Stat(v)
		require.NoError(t, err, "S3DBJS_RUN=%s", v)
		return v
	}
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "module root not found")
		dir = parent
	}
	run := filepath.Join(dir, "..", "shared", "tools", "s3dbjs", "run.sh")
	_, err = os.Stat(run)
	require.NoError(t, err, "s3db.js harness not found at %s: set S3DBJS_RUN to its run.sh, or to \"\" to skip", run)
	return run
}

type nodeInput struct {
	Secrets   []nodeSecret   `json:"secrets"`
	Passwords []nodePassword `json:"passwords"`
	Meta      []string       `json:"meta"`
}

type nodeSecret struct {
	Passphrase string `json:"passphrase"`
	Stored     string `json:"stored"`
}

type nodePassword struct {
	Hash  string `json:"hash"`
	Plain string `json:"plain"`
}

type nodeOutput struct {
	Secrets   []json.RawMessage `json:"secrets"`
	Passwords []bool            `json:"passwords"`
	Meta      []struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"meta"`
}

// runDecryptScript runs testdata/gen/decrypt.mjs with s3db.js on in.
func runDecryptScript(t *testing.T, run string, in nodeInput) nodeOutput {
	t.Helper()
	raw, err := json.Marshal(in)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "input.json")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	script, err := filepath.Abs(filepath.Join("testdata", "gen", "decrypt.mjs"))
	require.NoError(t, err)
	cmd := exec.CommandContext(t.Context(), run, script, path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
	var out nodeOutput
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out), "stdout: %s", stdout.String())
	return out
}

// TestNodeInterop checks that s3db.js reads what Go writes: secrets encrypted by Go (with and
// without salt reuse), password hashes made by Go, and metadata texts from EncodeMeta, including
// the forms where Go deliberately differs from s3db.js's own writer.
func TestNodeInterop(t *testing.T) {
	run := s3dbjsRunner(t)

	plaintexts := []string{"hunter2", "", "null", "undefined", "café ☕", "😀 emoji", "\uFEFFbom", strings.Repeat("x", 3000),
		"a\x00b", `{"json":true}`, "lone \xed\xa0\x80 surrogate"}
	type secretCase struct{ pass, plain string }
	var cases []secretCase
	var in nodeInput
	for _, sc := range []struct {
		pass string
		opts codec.CipherOptions
	}{{"secret", codec.CipherOptions{}}, {"secret", codec.CipherOptions{SaltReuse: 1}}, {"pässwörd 🔑", codec.CipherOptions{}}} {
		c := codec.NewCipher(sc.pass, sc.opts)
		for _, p := range plaintexts {
			stored, err := c.Encrypt(p)
			require.NoError(t, err)
			in.Secrets = append(in.Secrets, nodeSecret{Passphrase: sc.pass, Stored: stored})
			cases = append(cases, secretCase{sc.pass, p})
		}
	}

	bcryptHash, err := codec.HashPassword("hunter2", 12)
	require.NoError(t, err)
	long := strings.Repeat("p", 100)
	longHash, err := codec.HashPassword(long, 12)
	require.NoError(t, err)
	argonHash, err := codec.HashPasswordArgon2id("pässwörd 🔑")
	require.NoError(t, err)
	in.Passwords = []nodePassword{
		{bcryptHash, "hunter2"}, {bcryptHash, "hunter3"},
		{longHash, long}, {longHash, long[:72] + "different tail"}, // bcrypt uses 72 bytes in both
		{argonHash, "pässwörd 🔑"}, {argonHash, "passwörd 🔑"},
	}
	wantPasswords := []bool{true, false, true, true, true, false}

	metaTexts := []string{"null", "undefined", "font/woff2", "constructor", "toString", "__proto__", "valueOf",
		"processing", "https://example.com/café", "https://example.com/a\nb", "/users/日本", "café", "日本語テキスト",
		"b:hello", "d:p", "z85:x", "a\tb", "😀😀", "x😀yyyyyy", "ab\x00c", "lone \xed\xa0\x80 high", "ÿ", "  padded  ", ""}
	for _, s := range metaTexts {
		in.Meta = append(in.Meta, codec.EncodeMeta(s))
	}

	out := runDecryptScript(t, run, in)

	require.Len(t, out.Secrets, len(cases))
	for i, c := range cases {
		var got string
		require.NoError(t, json.Unmarshal(out.Secrets[i], &got), "secret %d (%q): %s", i, c.plain, out.Secrets[i])
		want := strings.ReplaceAll(c.plain, "\xed\xa0\x80", "\uFFFD")
		want = strings.TrimPrefix(want, "\uFEFF") // TextDecoder drops a leading BOM
		assert.Equal(t, want, got, "secret %d with %q", i, c.pass)
	}
	assert.Equal(t, wantPasswords, out.Passwords)
	require.Len(t, out.Meta, len(metaTexts))
	for i, s := range metaTexts {
		assert.Equal(t, "text", out.Meta[i].Kind, "%q written as %q", s, in.Meta[i])
		assert.Equal(t, strings.ReplaceAll(s, "\xed\xa0\x80", "\uFFFD"), out.Meta[i].Text, "%q written as %q", s, in.Meta[i])
	}
}
