package objstore_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store/objstore"
)

// TestDir_keys_are_not_paths: dot segments are names, never directions: nothing lands outside the root.
func TestDir_keys_are_not_paths(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "root")
	d, err := objstore.OpenDir(root, objstore.DirOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	keys := []string{"../escape", "../../etc/passwd", "a/../../b", "./x", ".", "..", "a/./b", "a//b", "a/"}
	for _, k := range keys {
		_, err := d.Put(ctx, k, []byte(k), objstore.PutOptions{})
		require.NoError(t, err, k)
	}
	for _, k := range keys {
		got, err := d.Get(ctx, k)
		require.NoError(t, err, k)
		assert.Equal(t, k, string(got.Body), "every spelling is its own key, as on S3 without a prefix")
	}
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	require.Len(t, entries, 1, "nothing written beside the root")
	page, err := d.List(ctx, objstore.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, page.Keys, len(keys))
}

// TestDir_ignores_foreign_files: temporary files of a crashed write, lock files and files that are not
// objects never show up as keys.
func TestDir_ignores_foreign_files(t *testing.T) {
	d, err := objstore.OpenDir(t.TempDir(), objstore.DirOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = d.Put(ctx, "dir/k", []byte("v"), objstore.PutOptions{})
	require.NoError(t, err)
	for _, name := range []string{"dir/k%w12345", "dir/README", "notes.txt", "dir/%41%o"} {
		require.NoError(t, os.WriteFile(filepath.Join(d.Root(), filepath.FromSlash(name)), []byte("junk"), 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(d.Root(), "%junk"), 0o755))
	page, err := d.List(ctx, objstore.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, "dir/k", page.Keys[0].Key)
}

// TestDir_corrupt_object: a damaged object file is an error, never taken for a missing key.
func TestDir_corrupt_object(t *testing.T) {
	d, err := objstore.OpenDir(t.TempDir(), objstore.DirOptions{})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = d.Put(ctx, "k", []byte("body"), objstore.PutOptions{})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(d.Root(), "k%o"), []byte("{not json"), 0o644))
	_, err = d.Get(ctx, "k")
	require.Error(t, err)
	assert.NotErrorIs(t, err, fs.ErrNotExist)
}

// TestDir_two_handles: two Dir values on one directory share nothing in memory (like two processes);
// the lock files alone keep conditional writes atomic.
func TestDir_two_handles(t *testing.T) {
	root := t.TempDir()
	a, err := objstore.OpenDir(root, objstore.DirOptions{NoSync: true})
	require.NoError(t, err)
	b, err := objstore.OpenDir(root, objstore.DirOptions{NoSync: true})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = a.Put(ctx, "n", []byte("0"), objstore.PutOptions{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for w := range 8 {
		s := []*objstore.Dir{a, b}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				for {
					cur, err := s.Get(ctx, "n")
					if !assert.NoError(t, err) {
						return
					}
					n, _ := strconv.Atoi(string(cur.Body))
					_, err = s.Put(ctx, "n", []byte(strconv.Itoa(n+1)), objstore.PutOptions{IfMatch: cur.ETag})
					if err == nil {
						break
					}
					if !assert.True(t, objstore.IsPreconditionFailed(err), "%v", err) {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	got, err := b.Get(ctx, "n")
	require.NoError(t, err)
	assert.Equal(t, "200", string(got.Body))
}

func TestOpen_file(t *testing.T) {
	dir := t.TempDir()
	s, err := objstore.Open(context.Background(), "file://"+filepath.ToSlash(dir))
	require.NoError(t, err)
	require.IsType(t, &objstore.Dir{}, s)
	assert.Equal(t, dir, s.(*objstore.Dir).Root())
}
