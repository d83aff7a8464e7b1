package objtest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store/objstore"
)

// timeout bounds every case; versitygw on loopback answers in milliseconds.
const timeout = 2 * time.Minute

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// etagOf is the ETag S3 gives a single-part upload of body.
func etagOf(body []byte) string {
	sum := md5.Sum(body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func testMissingKey(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	_, err := s.Get(ctx, "missing")
	require.ErrorIs(t, err, objstore.ErrNotFound)
	assert.ErrorIs(t, err, fs.ErrNotExist, "a missing object is also fs.ErrNotExist")
	assert.True(t, objstore.IsNotFound(err))
	_, err = s.Head(ctx, "missing/deeper")
	require.ErrorIs(t, err, objstore.ErrNotFound)
	require.NoError(t, s.Delete(ctx, "missing", objstore.DeleteOptions{}), "deleting a missing key is not an error")
}

func testRoundTrip(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	body := []byte(`{"name":"Ada","tags":["x"]}`)
	md := map[string]string{
		"_v":   "v1",
		"name": "u:Ada Lovelace",
		"Age":  "b:1Z", // upper-case names come back lower-case, as from S3
		"x-y":  strings.Repeat("z", 100),
	}
	etag, err := s.Put(ctx, "resource=users/data/id=u1", body, objstore.PutOptions{Metadata: md, ContentType: "application/json"})
	require.NoError(t, err)
	assert.Equal(t, etagOf(body), etag)

	want := map[string]string{"_v": "v1", "name": "u:Ada Lovelace", "age": "b:1Z", "x-y": strings.Repeat("z", 100)}
	got, err := s.Get(ctx, "resource=users/data/id=u1")
	require.NoError(t, err)
	assert.Equal(t, body, got.Body)
	assert.Equal(t, "resource=users/data/id=u1", got.Key)
	assert.Equal(t, want, got.Metadata)
	assert.Equal(t, "application/json", got.ContentType)
	assert.Equal(t, etag, got.ETag)
	assert.Equal(t, int64(len(body)), got.Size)
	assert.WithinDuration(t, time.Now(), got.LastModified, 10*time.Minute)

	head, err := s.Head(ctx, "resource=users/data/id=u1")
	require.NoError(t, err)
	assert.Equal(t, got.ObjectInfo.Metadata, head.Metadata)
	assert.Equal(t, got.ObjectInfo.ETag, head.ETag)
	assert.Equal(t, got.ObjectInfo.Size, head.Size)
	assert.Equal(t, got.ObjectInfo.ContentType, head.ContentType)

	// The ETag depends on the body only: the same body with other metadata has the same ETag.
	etag2, err := s.Put(ctx, "resource=users/data/id=u1", body, objstore.PutOptions{Metadata: map[string]string{"a": "b"}})
	require.NoError(t, err)
	assert.Equal(t, etag, etag2)
}

func testEmptyBody(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	etag, err := s.Put(ctx, "empty", nil, objstore.PutOptions{Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, `"d41d8cd98f00b204e9800998ecf8427e"`, etag)
	got, err := s.Get(ctx, "empty")
	require.NoError(t, err)
	assert.Empty(t, got.Body)
	assert.Equal(t, int64(0), got.Size)
	assert.Equal(t, map[string]string{"k": "v"}, got.Metadata)
	// NOTE: without a content type, S3 servers report application/octet-stream (or nothing) and Dir
	// reports "": the store always sets one, so the suite does not look.
}

func testOverwrite(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	_, err := s.Put(ctx, "k", []byte("one"), objstore.PutOptions{Metadata: map[string]string{"a": "1", "b": "2"}, ContentType: "text/plain"})
	require.NoError(t, err)
	_, err = s.Put(ctx, "k", []byte("two!"), objstore.PutOptions{Metadata: map[string]string{"c": "3"}, ContentType: "application/json"})
	require.NoError(t, err)
	got, err := s.Get(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "two!", string(got.Body))
	assert.Equal(t, map[string]string{"c": "3"}, got.Metadata, "a put replaces the metadata, it does not merge")
	assert.Equal(t, "application/json", got.ContentType)
}

// testOddKeys writes keys with the characters s3db ids may hold (everything but / \ = %, which s3db
// rejects in ids; they still appear in other parts of keys) and lists them back.
func testOddKeys(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	keys := []string{
		"odd/id=sp ace é",
		"odd/id=plus+tilde~star*",
		"odd/id=percent%2F%",
		"odd/id=quote\"'&<>",
		"odd/id=日本語",
		"odd/id=back\\slash",
		"odd/v=1.2.3",
		"odd/.hidden",
		"odd/...",
	}
	for i, k := range keys {
		_, err := s.Put(ctx, k, []byte(k), objstore.PutOptions{Metadata: map[string]string{"i": string(rune('a' + i))}})
		require.NoError(t, err, k)
	}
	for _, k := range keys {
		got, err := s.Get(ctx, k)
		require.NoError(t, err, k)
		assert.Equal(t, k, string(got.Body))
	}
	page, err := s.List(ctx, objstore.ListOptions{Prefix: "odd/"})
	require.NoError(t, err)
	assert.Equal(t, sorted(keys), listedKeys(page))
}

func testInvalidKeys(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	for _, k := range []string{"", strings.Repeat("k", objstore.MaxKeyBytes+1), "bad\xffutf8"} {
		_, err := s.Put(ctx, k, []byte("x"), objstore.PutOptions{})
		require.ErrorIs(t, err, objstore.ErrInvalidKey, "%q", k)
		_, err = s.Get(ctx, k)
		require.ErrorIs(t, err, objstore.ErrInvalidKey, "%q", k)
	}
}

// testParentAndChildKeys writes "a" and "a/b". S3 keys are flat, so both exist on AWS and on Dir; the
// posix backend of versitygw stores keys as paths and answers 409, which the store surfaces as
// ErrConflict. Both are accepted on purpose: s3db's own key layouts never need it.
func testParentAndChildKeys(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	_, err := s.Put(ctx, "pc/a", []byte("parent"), objstore.PutOptions{})
	require.NoError(t, err)
	_, err = s.Put(ctx, "pc/a/b", []byte("child"), objstore.PutOptions{})
	if err != nil {
		require.ErrorIs(t, err, objstore.ErrConflict)
		t.Logf("keys a and a/b cannot coexist on this backend: %v", err)
		return
	}
	got, err := s.Get(ctx, "pc/a")
	require.NoError(t, err)
	assert.Equal(t, "parent", string(got.Body))
	got, err = s.Get(ctx, "pc/a/b")
	require.NoError(t, err)
	assert.Equal(t, "child", string(got.Body))
	page, err := s.List(ctx, objstore.ListOptions{Prefix: "pc/"})
	require.NoError(t, err)
	assert.Equal(t, []string{"pc/a", "pc/a/b"}, listedKeys(page))
}

func testCopy(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	body := []byte("payload")
	_, err := s.Put(ctx, "copy/src", body, objstore.PutOptions{Metadata: map[string]string{"a": "1"}, ContentType: "text/plain"})
	require.NoError(t, err)

	etag, err := s.Copy(ctx, "copy/src", "copy/kept", objstore.CopyOptions{})
	require.NoError(t, err)
	assert.Equal(t, etagOf(body), etag)
	got, err := s.Get(ctx, "copy/kept")
	require.NoError(t, err)
	assert.Equal(t, body, got.Body)
	assert.Equal(t, map[string]string{"a": "1"}, got.Metadata)
	assert.Equal(t, "text/plain", got.ContentType)

	_, err = s.Copy(ctx, "copy/src", "copy/replaced", objstore.CopyOptions{
		ReplaceMetadata: true, Metadata: map[string]string{"b": "2"}, ContentType: "application/json",
	})
	require.NoError(t, err)
	got, err = s.Get(ctx, "copy/replaced")
	require.NoError(t, err)
	assert.Equal(t, body, got.Body)
	assert.Equal(t, map[string]string{"b": "2"}, got.Metadata, "REPLACE replaces, it does not merge")
	assert.Equal(t, "application/json", got.ContentType)

	_, err = s.Copy(ctx, "copy/missing", "copy/x", objstore.CopyOptions{})
	require.ErrorIs(t, err, objstore.ErrNotFound)
}

func testContextCancelled(t *testing.T, s objstore.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Put(ctx, "cancelled", []byte("x"), objstore.PutOptions{})
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Get(ctx, "cancelled")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Head(ctx, "cancelled")
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.List(ctx, objstore.ListOptions{})
	require.ErrorIs(t, err, context.Canceled)
	err = s.Delete(ctx, "cancelled", objstore.DeleteOptions{})
	require.ErrorIs(t, err, context.Canceled)

	_, err = s.Head(testContext(t), "cancelled")
	require.ErrorIs(t, err, objstore.ErrNotFound, "a put with a cancelled context writes nothing")

	// A deadline that passes during a stream of requests stops it with context.DeadlineExceeded.
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	var lastErr error
	for i := 0; i < 100000 && lastErr == nil; i++ {
		_, lastErr = s.Put(dctx, "deadline", []byte("x"), objstore.PutOptions{})
	}
	require.Error(t, lastErr)
	assert.True(t, errors.Is(lastErr, context.DeadlineExceeded), "got %v", lastErr)

	// An S3 server may finish a request whose client gave up; let it, then leave the store empty (so
	// that test buckets can be removed).
	time.Sleep(200 * time.Millisecond)
	require.NoError(t, s.Delete(testContext(t), "deadline", objstore.DeleteOptions{}))
}
