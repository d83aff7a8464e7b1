package objstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DirOptions tune a Dir. The zero value is the defaults.
type DirOptions struct {
	// Prefix is joined to every key like the S3 backend's prefix (path.join semantics).
	Prefix string
	// NoSync skips fsync of files and directories on writes: much faster, but a crash of the machine
	// may lose recent writes (never corrupt older ones: replacement is still by rename). For tests and
	// scratch data.
	NoSync bool
}

// Dir is the Store of a local directory: the embedded default (file:///path). It gives the guarantees of
// S3 within one machine: atomic replacement (write a temporary file, rename it), conditional writes
// atomic across goroutines (a per-key lock) and across processes (flock on lock files, where the
// platform has it), the same 2048-byte metadata limit, listings in byte order with pagination, and
// ETags that are the quoted MD5 of the body as S3 computes them.
//
// The layout is described in dir_path.go: one file per object holding a JSON header line (ETag, size,
// time, content type, metadata) and then the body. Keys "a" and "a/b" coexist. Keys are never read as
// paths: ".." is an ordinary name and nothing is written outside the root. Empty directories left by
// deletes stay (removing them would race with writers in other processes). The file system must be
// case-sensitive (keys "A" and "a" differ), as Linux file systems are.
type Dir struct {
	root  string
	keys  keyspace
	opts  DirOptions
	locks keyLocks
}

var _ Store = (*Dir)(nil)

// OpenDir opens (creating it if needed) the directory store at root.
func OpenDir(root string, opts DirOptions) (*Dir, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, newError("open", "", nil, fmt.Errorf("resolve %s: %w", root, err))
	}
	if err := os.MkdirAll(filepath.Join(abs, locksDir), 0o755); err != nil {
		return nil, newError("open", "", nil, fmt.Errorf("create %s: %w", abs, err))
	}
	return &Dir{root: abs, keys: newKeyspace(opts.Prefix), opts: opts}, nil
}

// Root returns the absolute path of the directory.
func (d *Dir) Root() string { return d.root }

// Put implements Store.
func (d *Dir) Put(ctx context.Context, key string, body []byte, opts PutOptions) (string, error) {
	md := lowerNames(opts.Metadata)
	h := &fileHeader{
		ETag:        md5ETag(body),
		Size:        int64(len(body)),
		ContentType: opts.ContentType,
		Metadata:    md,
	}
	return h.ETag, d.write(ctx, "put", key, h, body, opts.IfMatch, opts.IfNoneMatch)
}

// write stores h and body at key under the key's lock, after checking the conditions.
func (d *Dir) write(ctx context.Context, op, key string, h *fileHeader, body []byte, ifMatch string, ifNoneMatch bool) error {
	full, err := d.keys.full(op, key)
	if err != nil {
		return err
	}
	if n := metadataSize(h.Metadata); n > MaxMetadataBytes {
		return newError(op, key, ErrMetadataTooLarge, fmt.Errorf("%d bytes of user metadata, limit %d", n, MaxMetadataBytes))
	}
	dir, path, err := d.objectPath(op, key, full)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return newError(op, key, nil, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return newError(op, key, nil, err)
	}
	unlock, err := d.lockKey(ctx, full)
	if err != nil {
		return newError(op, key, nil, err)
	}
	defer unlock()
	if ifMatch != "" || ifNoneMatch {
		cur, err := readHeader(path)
		if err != nil {
			return newError(op, key, nil, err)
		}
		if err := checkConditions(op, key, cur, ifMatch, ifNoneMatch); err != nil {
			return err
		}
	}
	h.Modified = time.Now().UTC()
	if err := writeObject(dir, path, h, body, d.opts.NoSync); err != nil {
		return newError(op, key, nil, err)
	}
	return nil
}

// checkConditions applies If-None-Match: * and If-Match to the current header (nil: no object) as S3
// does: 412 for an existing key or another ETag, 404 for If-Match on a missing key.
func checkConditions(op, key string, cur *fileHeader, ifMatch string, ifNoneMatch bool) error {
	if ifNoneMatch && cur != nil {
		return newError(op, key, ErrPreconditionFailed, errors.New("If-None-Match: * and the key exists"))
	}
	if ifMatch != "" {
		if cur == nil {
			return newError(op, key, ErrNotFound, errors.New("If-Match on a missing key"))
		}
		if !sameETag(cur.ETag, ifMatch) {
			return newError(op, key, ErrPreconditionFailed, fmt.Errorf("If-Match %s, current ETag %s", ifMatch, cur.ETag))
		}
	}
	return nil
}

// Get implements Store.
func (d *Dir) Get(ctx context.Context, key string) (*Object, error) {
	path, err := d.pathOf(ctx, "get", key)
	if err != nil {
		return nil, err
	}
	h, body, err := readObject(path)
	if err != nil {
		return nil, d.readError("get", key, err)
	}
	return &Object{ObjectInfo: h.info(key), Body: body}, nil
}

// Head implements Store.
func (d *Dir) Head(ctx context.Context, key string) (*ObjectInfo, error) {
	path, err := d.pathOf(ctx, "head", key)
	if err != nil {
		return nil, err
	}
	f, _, h, err := openObject(path)
	if err != nil {
		return nil, d.readError("head", key, err)
	}
	_ = f.Close()
	info := h.info(key)
	return &info, nil
}

// pathOf validates key and the context and returns the object file's path.
func (d *Dir) pathOf(ctx context.Context, op, key string) (string, error) {
	full, err := d.keys.full(op, key)
	if err != nil {
		return "", err
	}
	_, path, err := d.objectPath(op, key, full)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", newError(op, key, nil, err)
	}
	return path, nil
}

func (d *Dir) readError(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return newError(op, key, ErrNotFound, nil)
	}
	return newError(op, key, nil, err)
}

func (h *fileHeader) info(key string) ObjectInfo {
	return ObjectInfo{
		Key:          key,
		Size:         h.Size,
		ETag:         h.ETag,
		LastModified: h.Modified,
		ContentType:  h.ContentType,
		Metadata:     h.Metadata,
	}
}

// Delete implements Store.
func (d *Dir) Delete(ctx context.Context, key string, opts DeleteOptions) error {
	full, err := d.keys.full("delete", key)
	if err != nil {
		return err
	}
	dir, path, err := d.objectPath("delete", key, full)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return newError("delete", key, nil, err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	unlock, err := d.lockKey(ctx, full)
	if err != nil {
		return newError("delete", key, nil, err)
	}
	defer unlock()
	if opts.IfMatch != "" {
		cur, err := readHeader(path)
		if err != nil {
			return newError("delete", key, nil, err)
		}
		if cur == nil {
			return nil // deleted meanwhile
		}
		if err := checkConditions("delete", key, cur, opts.IfMatch, false); err != nil {
			return err
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return newError("delete", key, nil, err)
	}
	if !d.opts.NoSync {
		if err := syncDir(dir); err != nil {
			return newError("delete", key, nil, err)
		}
	}
	return nil
}

// DeleteMany implements Store.
func (d *Dir) DeleteMany(ctx context.Context, keys []string) error {
	failed := 0
	var first error
	for _, k := range keys {
		if err := d.Delete(ctx, k, DeleteOptions{}); err != nil {
			if ctx.Err() != nil {
				return err
			}
			failed++
			if first == nil {
				first = err
			}
		}
	}
	if first != nil {
		return fmt.Errorf("delete %d of %d keys failed, first: %w", failed, len(keys), first)
	}
	return nil
}

// Copy implements Store.
func (d *Dir) Copy(ctx context.Context, src, dst string, opts CopyOptions) (string, error) {
	path, err := d.pathOf(ctx, "copy", src)
	if err != nil {
		return "", err
	}
	h, body, err := readObject(path)
	if err != nil {
		return "", d.readError("copy", src, err)
	}
	if opts.ReplaceMetadata {
		h.Metadata = lowerNames(opts.Metadata)
		h.ContentType = opts.ContentType
	}
	if err := d.write(ctx, "copy", dst, h, body, "", false); err != nil {
		return "", err
	}
	return h.ETag, nil
}
