package behaviors_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
)

func rec(fields ...string) codec.Ordered {
	o := codec.Ordered{{Name: "_v", Value: "v1"}}
	for i := 0; i+1 < len(fields); i += 2 {
		o = append(o, codec.Member{Name: fields[i], Value: fields[i+1]})
	}
	return o.JSOrder()
}

func split(t *testing.T, name string, mapped codec.Ordered, cfg behaviors.Config) behaviors.Split {
	t.Helper()
	b, err := behaviors.Lookup(name)
	require.NoError(t, err)
	s, err := b.Insert(mapped, cfg)
	require.NoError(t, err)
	return s
}

func bodyMap(t *testing.T, s behaviors.Split) map[string]any {
	t.Helper()
	if len(s.Body) == 0 {
		return nil
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(s.Body, &m))
	return m
}

// The boundaries below are those s3db.js 21.6.2 shows (format spec §7); the fixture tests in
// package schema check the same against objects written by s3db.js itself.
func TestUserManagedBoundary(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	s := split(t, behaviors.UserManaged, rec("0", x(2038)), behaviors.Config{})
	assert.Empty(t, s.Body)
	assert.Equal(t, map[string]string{"0": x(2038), "_v": "v1"}, s.Headers())

	s = split(t, behaviors.UserManaged, rec("0", x(2039)), behaviors.Config{})
	assert.Equal(t, map[string]string{"_v": "v1"}, s.Headers())
	assert.Equal(t, `{"0":"`+x(2039)+`","_v":"v1"}`, string(s.Body))
	assert.Equal(t, "application/json", s.ContentType)

	ts := behaviors.Config{Timestamps: true}
	s = split(t, behaviors.UserManaged, rec("0", x(1956), "1", "vC1hvkh", "2", "vC1hvkh"), ts)
	assert.Empty(t, s.Body)
	s = split(t, behaviors.UserManaged, rec("0", x(1957), "1", "vC1hvkh", "2", "vC1hvkh"), ts)
	assert.NotEmpty(t, s.Body)
}

func TestBodyOverflowBoundaryAndOrder(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	s := split(t, behaviors.BodyOverflow, rec("0", x(2041)), behaviors.Config{})
	assert.Empty(t, s.Body)
	s = split(t, behaviors.BodyOverflow, rec("0", x(2042)), behaviors.Config{})
	assert.Equal(t, map[string]string{"_v": "v1", "_overflow": "true"}, s.Headers())
	assert.Equal(t, `{"0":"`+x(2042)+`"}`, string(s.Body))

	// Fields of 5, 1000, 1000 and 100 bytes: the smallest fill metadata, the tie keeps key order.
	s = split(t, behaviors.BodyOverflow, rec("0", x(5), "1", x(1000), "2", x(1000), "3", x(100)), behaviors.Config{})
	h := s.Headers()
	assert.Contains(t, h, "0")
	assert.Contains(t, h, "1")
	assert.Contains(t, h, "3")
	assert.NotContains(t, h, "2")
	assert.Equal(t, "true", h["_overflow"])
	assert.Equal(t, map[string]any{"2": x(1000)}, bodyMap(t, s))
}

// s3db.js counts bytes before the u:/b: encoding (§13.11): 1000 × "é" is judged to fit and then
// rejected by S3. The Go split moves it to the body instead.
func TestBodyOverflowEncodedSizeFits(t *testing.T) {
	e := strings.Repeat("é", 1000)
	s := split(t, behaviors.BodyOverflow, rec("0", e), behaviors.Config{})
	assert.LessOrEqual(t, behaviors.HeaderSize(s.Headers()), 2048)
	assert.Equal(t, map[string]any{"0": e}, bodyMap(t, s))

	s = split(t, behaviors.UserManaged, rec("0", e), behaviors.Config{})
	assert.LessOrEqual(t, behaviors.HeaderSize(s.Headers()), 2048)
	assert.Equal(t, e, bodyMap(t, s)["0"])
}

func TestEnforceLimits(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	b, err := behaviors.Lookup(behaviors.EnforceLimits)
	require.NoError(t, err)
	s, err := b.Insert(rec("0", x(2038)), behaviors.Config{})
	require.NoError(t, err)
	assert.Empty(t, s.Body)

	_, err = b.Insert(rec("0", x(2039)), behaviors.Config{})
	require.ErrorIs(t, err, behaviors.ErrMetadataLimit)
	var mle *behaviors.MetadataLimitError
	require.True(t, errors.As(err, &mle))
	assert.Equal(t, 2043, mle.Limit)
	assert.Contains(t, err.Error(), "body-overflow", "the error says what to do")

	// Encoded size: 1000 × "é" passes s3db.js's count but not S3.
	_, err = b.Insert(rec("0", strings.Repeat("é", 1000)), behaviors.Config{})
	require.ErrorIs(t, err, behaviors.ErrMetadataLimit)

	// Update counts the id, as s3db.js does.
	_, err = b.Update(rec("0", x(2038)), behaviors.Config{ID: "abc"})
	require.ErrorIs(t, err, behaviors.ErrMetadataLimit)
}

func TestTruncateData(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	s := split(t, behaviors.TruncateData, rec("0", x(2027)), behaviors.Config{})
	assert.Equal(t, map[string]string{"0": x(2027), "_v": "v1"}, s.Headers())

	// s3db.js empties this field (§13.3); Go keeps as much as fits.
	s = split(t, behaviors.TruncateData, rec("0", x(3000)), behaviors.Config{})
	h := s.Headers()
	assert.Equal(t, "true", h["_truncated"])
	assert.Greater(t, len(h["0"]), 2000)
	assert.LessOrEqual(t, behaviors.HeaderSize(h), 2048)
	assert.Empty(t, s.Body)

	// 1000 + 1100: the larger is cut, not emptied.
	s = split(t, behaviors.TruncateData, rec("0", x(1000), "1", x(1100)), behaviors.Config{})
	h = s.Headers()
	assert.Equal(t, x(1000), h["0"])
	assert.Greater(t, len(h["1"]), 1000)
	assert.LessOrEqual(t, behaviors.HeaderSize(h), 2048)

	// 3000, 1, 1 hangs s3db.js; Go returns.
	s = split(t, behaviors.TruncateData, rec("0", x(3000), "1", "a", "2", "b"), behaviors.Config{})
	h = s.Headers()
	assert.Equal(t, "a", h["1"])
	assert.Equal(t, "b", h["2"])
	assert.LessOrEqual(t, behaviors.HeaderSize(h), 2048)

	// Multi-byte text is cut on a character boundary and still fits once encoded.
	s = split(t, behaviors.TruncateData, rec("0", strings.Repeat("日本", 800)), behaviors.Config{})
	h = s.Headers()
	assert.LessOrEqual(t, behaviors.HeaderSize(h), 2048)
	got, _ := codec.DecodeMeta(h["0"])
	assert.True(t, strings.HasPrefix(strings.Repeat("日本", 800), got))
}

func TestBodyOnly(t *testing.T) {
	s := split(t, behaviors.BodyOnly, rec("0", "hello", "1", "3", "2", "a|b"), behaviors.Config{MapJSON: `{"s":"0","n":"1","tags":"2"}`})
	assert.Equal(t, map[string]string{"_v": "v1", "_map": `{"s":"0","n":"1","tags":"2"}`}, s.Headers())
	assert.Equal(t, `{"0":"hello","1":"3","2":"a|b","_v":"v1"}`, string(s.Body))
}

func TestJoinAnyBehavior(t *testing.T) {
	x := strings.Repeat("x", 3000)
	mapped := rec("0", "Ada", "1", x, "a", "café")
	for _, name := range behaviors.Names() {
		t.Run(name, func(t *testing.T) {
			b, err := behaviors.Lookup(name)
			require.NoError(t, err)
			s, err := b.Insert(mapped, behaviors.Config{MapJSON: `{"name":"0","bio":"1","city":"a"}`})
			if name == behaviors.EnforceLimits {
				require.ErrorIs(t, err, behaviors.ErrMetadataLimit)
				return
			}
			require.NoError(t, err)
			st := behaviors.Join(s.Headers(), s.Body)
			got := struct {
				behaviors.Stored
				Fields map[string]any
			}{st, fieldMap(st.Fields)}
			assert.Equal(t, "v1", got.Version)
			assert.Equal(t, "Ada", got.Fields["0"])
			assert.Equal(t, "café", got.Fields["a"])
			if name == behaviors.TruncateData {
				assert.True(t, got.Truncated)
				assert.True(t, strings.HasPrefix(x, got.Fields["1"].(string)))
			} else {
				assert.Equal(t, x, got.Fields["1"])
			}
			for k := range got.Fields {
				assert.False(t, strings.HasPrefix(k, "_"), "system field %s leaked", k)
			}
		})
	}
}

func TestJoinBinaryContentAndPlaceholders(t *testing.T) {
	got := behaviors.Join(map[string]string{"_v": "v1", "0": "Ada", "1": "undefined", "2": "null"}, []byte{0x89, 'P', 'N', 'G'})
	assert.True(t, got.Content)
	assert.Equal(t, map[string]any{"0": "Ada", "2": nil}, fieldMap(got.Fields))
}

func fieldMap(o codec.Ordered) map[string]any {
	m := make(map[string]any, len(o))
	for _, e := range o {
		m[e.Name] = e.Value
	}
	return m
}

func TestLookupUnknown(t *testing.T) {
	_, err := behaviors.Lookup("body-overfow")
	require.ErrorIs(t, err, behaviors.ErrUnknownBehavior)
	assert.Contains(t, err.Error(), "body-overflow")
}
