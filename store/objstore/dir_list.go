package objstore

import (
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Continuation tokens of Dir: "k" or "p" (the last entry of the page was a key or a common prefix)
// followed by that full key, base64url-encoded. Opaque to callers, as S3's are.
func encodeDirToken(full string, isPrefix bool) string {
	kind := "k"
	if isPrefix {
		kind = "p"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(kind + full))
}

func decodeDirToken(tok string) (full string, isPrefix bool, err error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 2 || (b[0] != 'k' && b[0] != 'p') {
		return "", false, errors.New("invalid continuation token")
	}
	return string(b[1:]), b[0] == 'p', nil
}

// dirLister builds one page of a listing by walking the tree in key byte order: within a directory,
// an object named s sorts as s and a subdirectory s as s+"/" (every key below it starts so), which is
// exactly the byte order of the full keys. Subtrees wholly before the start or outside the prefix are
// skipped without being read.
type dirLister struct {
	ctx       context.Context
	prefix    string // full-key prefix
	after     string // full key to start after ("" = from the start)
	skipUnder string // a common prefix already returned: skip every key under it
	delim     string
	maxKeys   int
	keys      keyspace
	page      ListPage
	lastCP    string
	count     int
	stop      bool
}

type dirEntry struct {
	seg   string
	isDir bool
	sort  string
	name  string
}

// List implements Store.
func (d *Dir) List(ctx context.Context, opts ListOptions) (*ListPage, error) {
	l := &dirLister{ctx: ctx, prefix: d.keys.listPrefix(opts.Prefix), delim: opts.Delimiter, keys: d.keys, maxKeys: opts.MaxKeys}
	if l.maxKeys <= 0 || l.maxKeys > MaxListKeys {
		l.maxKeys = MaxListKeys
	}
	switch {
	case opts.ContinuationToken != "":
		full, isPrefix, err := decodeDirToken(opts.ContinuationToken)
		if err != nil {
			return nil, newError("list", opts.Prefix, nil, err)
		}
		l.after = full
		if isPrefix {
			l.skipUnder = full
		}
	case opts.StartAfter != "":
		l.after = d.keys.startAfter(opts.StartAfter)
	}
	l.page.Keys = []ListedKey{}
	if err := l.walk(d.root, ""); err != nil {
		return nil, newError("list", opts.Prefix, nil, err)
	}
	return &l.page, nil
}

// walk lists the directory at path whose keys all start with base (full key, "" or ending in "/").
func (l *dirLister) walk(path, base string) error {
	if err := l.ctx.Err(); err != nil {
		return err
	}
	entries, err := readEntries(path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if l.stop {
			return nil
		}
		full := base + e.sort // a key, or for a directory the prefix of all its keys
		switch {
		case strings.HasPrefix(full, l.prefix):
		case strings.HasPrefix(l.prefix, full) && e.isDir: // the prefix goes deeper
		case full > l.prefix:
			l.stop = true // everything after is past the prefix
			return nil
		default:
			continue
		}
		if l.skipUnder != "" && strings.HasPrefix(full, l.skipUnder) {
			continue
		}
		if !e.isDir {
			if full > l.after {
				if err := l.emitKey(full, filepath.Join(path, e.name)); err != nil {
					return err
				}
			}
			continue
		}
		if full < l.after && !strings.HasPrefix(l.after, full) {
			continue // the whole subtree sorts before the start
		}
		// A subdirectory wholly inside one common prefix and wholly after the start: one entry, found
		// without reading the subtree (only whether it holds anything).
		if cp, ok := l.commonPrefix(full); ok && !strings.HasPrefix(l.after, full) {
			if cp != l.lastCP {
				has, err := hasObject(filepath.Join(path, e.name))
				if err != nil {
					return err
				}
				if has {
					l.emitPrefix(cp)
				}
			}
			continue
		}
		if err := l.walk(filepath.Join(path, e.name), full); err != nil {
			return err
		}
	}
	return nil
}

// commonPrefix returns the common prefix that groups full (a key or a directory's key prefix) under
// the delimiter, if any.
func (l *dirLister) commonPrefix(full string) (string, bool) {
	if l.delim == "" || !strings.HasPrefix(full, l.prefix) {
		return "", false
	}
	i := strings.Index(full[len(l.prefix):], l.delim)
	if i < 0 {
		return "", false
	}
	return full[:len(l.prefix)+i+len(l.delim)], true
}

// full reports whether the page is full; when it is and another entry comes, the page is truncated.
func (l *dirLister) full() bool {
	if l.count < l.maxKeys {
		return false
	}
	l.page.Truncated = true
	l.stop = true
	return true
}

func (l *dirLister) emitKey(full, path string) error {
	if cp, ok := l.commonPrefix(full); ok {
		if cp != l.lastCP {
			l.emitPrefix(cp)
		}
		return nil
	}
	h, err := readHeader(path)
	if err != nil {
		return err
	}
	if h == nil {
		return nil // deleted since the directory was read
	}
	if l.full() {
		return nil
	}
	l.page.Keys = append(l.page.Keys, ListedKey{Key: l.keys.rel(full), Size: h.Size, ETag: h.ETag, LastModified: h.Modified})
	l.count++
	l.page.NextToken = encodeDirToken(full, false)
	return nil
}

func (l *dirLister) emitPrefix(cp string) {
	if l.full() {
		return
	}
	l.lastCP = cp
	l.page.CommonPrefixes = append(l.page.CommonPrefixes, l.keys.rel(cp))
	l.count++
	l.page.NextToken = encodeDirToken(cp, true)
}

// readEntries returns the objects and subdirectories of a directory in key order; other files
// (temporary, lock and foreign files) are left out. A missing directory has no entries.
func readEntries(path string) ([]dirEntry, error) {
	des, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]dirEntry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if de.IsDir() {
			if seg, ok := unescapeSegment(name); ok {
				out = append(out, dirEntry{seg: seg, isDir: true, sort: seg + "/", name: name})
			}
			continue
		}
		esc, isObject := strings.CutSuffix(name, objectSuffix)
		if !isObject {
			continue
		}
		if seg, ok := unescapeSegment(esc); ok {
			out = append(out, dirEntry{seg: seg, sort: seg, name: name})
		}
	}
	slices.SortFunc(out, func(a, b dirEntry) int { return strings.Compare(a.sort, b.sort) })
	return out, nil
}

// hasObject reports whether a directory tree holds at least one object (deletes leave empty
// directories behind, which must not show up as common prefixes).
func hasObject(path string) (bool, error) {
	entries, err := readEntries(path)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if !e.isDir {
			return true, nil
		}
		if has, err := hasObject(filepath.Join(path, e.name)); has || err != nil {
			return has, err
		}
	}
	return false, nil
}
