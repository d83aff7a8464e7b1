package store

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/s3db-go/s3db/store/objstore"
)

// IDsOptions select the ids a stream yields (the equivalent of s3db.js's ResourceIdsReader).
type IDsOptions struct {
	// Partition, when set, lists through this partition's references instead of the records.
	Partition string
	// Values are the partition's field values; fields left out match any value. Ignored without
	// Partition.
	Values map[string]any
	// PageSize is the number of keys asked for per listing request: 1 to 1,000; 0 means 1,000.
	PageSize int
}

// StreamIDs yields the ids of the resource's records (or of one partition's) in key order, one
// listing page at a time, so memory stays at one page whatever the resource's size. A failure
// (a listing error, a cancelled ctx, an unknown partition) is yielded once, with an empty id, and
// ends the stream. Stopping the loop early stops the listing.
//
// A listing is not a snapshot: records written or deleted while it runs may or may not appear.
func (r *Resource) StreamIDs(ctx context.Context, opts IDsOptions) iter.Seq2[string, error] {
	prefix, keep, err := r.idsScope(opts)
	if err == nil && (opts.PageSize < 0 || opts.PageSize > objstore.MaxListKeys) {
		err = fmt.Errorf("stream ids of %s: page size %d is not within 1..%d", r.def.Name, opts.PageSize, objstore.MaxListKeys)
	}
	return func(yield func(string, error) bool) {
		if err != nil {
			yield("", err)
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// The next page is asked for while this one is consumed: a listing of a big prefix can take
		// a good part of a second on some servers, and the consumer (a record reader) should not
		// wait for it. At most two pages are held.
		next := r.listPage(ctx, prefix, "", opts.PageSize)
		for {
			res := <-next
			if res.err != nil {
				yield("", fmt.Errorf("list %s: %w", r.def.Name, res.err))
				return
			}
			more := res.page.Truncated && res.page.NextToken != ""
			if more {
				next = r.listPage(ctx, prefix, res.page.NextToken, opts.PageSize)
			}
			for _, k := range res.page.Keys {
				if keep != nil && !keep(k.Key) {
					continue
				}
				if id, ok := idOfKey(k.Key); ok && !yield(id, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

type pageResult struct {
	page *objstore.ListPage
	err  error
}

// listPage lists one page in the background.
func (r *Resource) listPage(ctx context.Context, prefix, token string, size int) <-chan pageResult {
	out := make(chan pageResult, 1)
	go func() {
		if err := ctx.Err(); err != nil {
			out <- pageResult{err: err}
			return
		}
		page, err := r.db.objs.List(ctx, objstore.ListOptions{Prefix: prefix, ContinuationToken: token, MaxKeys: size})
		out <- pageResult{page: page, err: err}
	}()
	return out
}

// idsScope is the key prefix to list for opts, and, for partitions whose leading fields are not
// all given, the test a key must pass (the fields after a missing one cannot be in the prefix).
func (r *Resource) idsScope(opts IDsOptions) (string, func(string) bool, error) {
	if opts.Partition == "" {
		return r.dataPrefix(), nil, nil
	}
	p, err := r.partitionNamed(opts.Partition)
	if err != nil {
		return "", nil, err
	}
	known := map[string]bool{}
	for _, f := range p.fields {
		known[f.name] = true
	}
	for k := range opts.Values {
		if !known[k] {
			return "", nil, &PartitionError{Resource: r.def.Name, Partition: p.name, Problem: fmt.Sprintf("has no field %q", k)}
		}
	}
	prefix := "resource=" + r.def.Name + "/partition=" + p.name + "/"
	var filters []string
	leading := true
	for _, f := range p.fields {
		v, ok := opts.Values[f.name]
		if !ok || v == nil {
			leading = false
			continue
		}
		seg := f.name + "=" + partitionValue(v, f.rule) + "/"
		if leading {
			prefix += seg
		} else {
			filters = append(filters, "/"+seg)
		}
	}
	if len(filters) == 0 {
		return prefix, nil, nil
	}
	return prefix, func(key string) bool {
		for _, f := range filters {
			if !strings.Contains(key, f) {
				return false
			}
		}
		return true
	}, nil
}
