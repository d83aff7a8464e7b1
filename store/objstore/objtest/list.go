package objtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store/objstore"
)

func sorted(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out) // Go compares strings bytewise: S3's order
	return out
}

func listedKeys(p *objstore.ListPage) []string {
	out := make([]string, len(p.Keys))
	for i, k := range p.Keys {
		out[i] = k.Key
	}
	return out
}

// putAll writes keys with 16 writers; each body is the key.
func putAll(t *testing.T, ctx context.Context, s objstore.Store, keys []string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	ch := make(chan string)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range ch {
				if _, err := s.Put(ctx, k, []byte(k), objstore.PutOptions{}); err != nil {
					errs <- fmt.Errorf("put %s: %w", k, err)
				}
			}
		}()
	}
	for _, k := range keys {
		ch <- k
	}
	close(ch)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// listAll pages through a listing and returns the keys, the common prefixes and the page sizes.
func listAll(t *testing.T, ctx context.Context, s objstore.Store, opts objstore.ListOptions) (keys, prefixes []string, sizes []int) {
	t.Helper()
	for range 10000 {
		page, err := s.List(ctx, opts)
		require.NoError(t, err)
		keys = append(keys, listedKeys(page)...)
		prefixes = append(prefixes, page.CommonPrefixes...)
		sizes = append(sizes, len(page.Keys)+len(page.CommonPrefixes))
		if !page.Truncated {
			return keys, prefixes, sizes
		}
		require.NotEmpty(t, page.NextToken, "a truncated page has a token")
		opts.ContinuationToken = page.NextToken
	}
	t.Fatal("listing does not end")
	return nil, nil, nil
}

func testListPagination(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	keys := make([]string, 2500)
	for i := range keys {
		keys[i] = fmt.Sprintf("resource=items/data/id=%05d", i)
	}
	putAll(t, ctx, s, keys)

	got, _, sizes := listAll(t, ctx, s, objstore.ListOptions{Prefix: "resource=items/data/", MaxKeys: 1000})
	assert.Equal(t, keys, got)
	assert.Equal(t, []int{1000, 1000, 500}, sizes)

	got, _, sizes = listAll(t, ctx, s, objstore.ListOptions{Prefix: "resource=items/data/"})
	assert.Equal(t, keys, got, "MaxKeys 0 means 1000")
	assert.Equal(t, []int{1000, 1000, 500}, sizes)

	got, _, sizes = listAll(t, ctx, s, objstore.ListOptions{Prefix: "resource=items/data/id=0001", MaxKeys: 7})
	assert.Equal(t, keys[10:20], got)
	assert.Equal(t, []int{7, 3}, sizes)

	page, err := s.List(ctx, objstore.ListOptions{Prefix: "resource=items/data/id=00042"})
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, int64(len(keys[42])), page.Keys[0].Size)
	assert.Equal(t, etagOf([]byte(keys[42])), page.Keys[0].ETag)
	assert.False(t, page.Truncated)
}

func testListPrefixAndOrder(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	// Byte order, not path order: "-" (0x2D) < "." < "/" (0x2F) < "0" < "A" < "_" < "a" < "é" (0xC3…).
	keys := []string{
		"ord/x/1", "ord/x-1", "ord/x.1", "ord/x0", "ord/xA", "ord/x_", "ord/xa", "ord/xé", "ord/x/2/deep",
		"ord/B", "ord/a", "ord/~",
		"ordinal/1", // shares the prefix "ord" but not "ord/"
	}
	putAll(t, ctx, s, keys)
	got, _, _ := listAll(t, ctx, s, objstore.ListOptions{Prefix: "ord/"})
	assert.Equal(t, sorted(keys[:12]), got)
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "ord/x"})
	assert.Equal(t, sorted(keys[:9]), got)
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "ord"})
	assert.Equal(t, sorted(keys), got)
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{})
	assert.Equal(t, sorted(keys), got, "an empty prefix lists everything of the store")
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "nothing/"})
	assert.Empty(t, got)
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "ord/", MaxKeys: 1})
	assert.Equal(t, sorted(keys[:12]), got, "pages of one key")
}

func testListStartAfter(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	keys := []string{"sa/a", "sa/b", "sa/b/c", "sa/c", "sa/d"}
	// "sa/b" and "sa/b/c" cannot coexist on posix S3 servers (see testParentAndChildKeys).
	keys = slices.DeleteFunc(keys, func(k string) bool { return k == "sa/b/c" })
	putAll(t, ctx, s, keys)
	got, _, _ := listAll(t, ctx, s, objstore.ListOptions{Prefix: "sa/", StartAfter: "sa/b"})
	assert.Equal(t, []string{"sa/c", "sa/d"}, got)
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "sa/", StartAfter: "sa/bb"})
	assert.Equal(t, []string{"sa/c", "sa/d"}, got, "the start need not exist")
	got, _, _ = listAll(t, ctx, s, objstore.ListOptions{Prefix: "sa/", StartAfter: "sa/", MaxKeys: 2})
	assert.Equal(t, keys, got)
}

func testListDelimiter(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	keys := []string{"dl/a/1", "dl/a/2", "dl/b/x/1", "dl/c", "dl/d/1", "dl/e"}
	putAll(t, ctx, s, keys)
	for _, maxKeys := range []int{0, 1, 2} {
		t.Run(fmt.Sprint("max_keys_", maxKeys), func(t *testing.T) {
			got, prefixes, _ := listAll(t, ctx, s, objstore.ListOptions{Prefix: "dl/", Delimiter: "/", MaxKeys: maxKeys})
			assert.Equal(t, []string{"dl/c", "dl/e"}, got)
			assert.Equal(t, []string{"dl/a/", "dl/b/", "dl/d/"}, prefixes)
		})
	}
	// A deleted subtree leaves no common prefix behind.
	require.NoError(t, s.Delete(ctx, "dl/d/1", objstore.DeleteOptions{}))
	_, prefixes, _ := listAll(t, ctx, s, objstore.ListOptions{Prefix: "dl/", Delimiter: "/"})
	assert.Equal(t, []string{"dl/a/", "dl/b/"}, prefixes)
}

func testDeleteMany(t *testing.T, s objstore.Store) {
	ctx := testContext(t)
	keys := make([]string, 1205) // two batches
	for i := range keys {
		keys[i] = fmt.Sprintf("dm/%04d", i)
	}
	putAll(t, ctx, s, append(slices.Clone(keys), "dm-keep"))
	require.NoError(t, s.DeleteMany(ctx, append(slices.Clone(keys), "dm/missing-1", "dm/missing-2")),
		"missing keys are not an error")
	got, _, _ := listAll(t, ctx, s, objstore.ListOptions{Prefix: "dm"})
	assert.Equal(t, []string{"dm-keep"}, got)
	require.NoError(t, s.DeleteMany(ctx, nil))
}
