package objstore

import (
	"strings"
	"unicode/utf8"
)

// keyspace maps the relative keys of the Store API to full object keys under a prefix, the way s3db.js
// 21.6.2 does (spec §1.2): with a prefix, the full key is Node's POSIX path.join(prefix, key), which
// collapses repeated "/", resolves "." and "..", and keeps a trailing "/"; without a prefix the key is
// used as it is, untouched.
type keyspace struct {
	prefix string // as configured; "" for none
	strip  string // normalized prefix without a trailing "/", removed from listed keys
}

func newKeyspace(prefix string) keyspace {
	if prefix == "" {
		return keyspace{}
	}
	return keyspace{prefix: prefix, strip: strings.TrimSuffix(nodeNormalize(prefix), "/")}
}

// full returns the object key of a relative key, or ErrInvalidKey.
func (ks keyspace) full(op, key string) (string, error) {
	if key == "" {
		return "", newError(op, key, ErrInvalidKey, nil)
	}
	full := key
	if ks.prefix != "" {
		full = nodeJoin(ks.prefix, key)
	}
	if len(full) > MaxKeyBytes || !utf8.ValidString(full) {
		return "", newError(op, key, ErrInvalidKey, nil)
	}
	return full, nil
}

// listPrefix returns the full-key prefix that lists the relative prefix p. An empty p lists everything
// under the store's prefix: "prefix/" (s3db.js sends "prefix" there, which also matches "prefix2/…";
// we do not, on purpose).
func (ks keyspace) listPrefix(p string) string {
	if ks.prefix == "" {
		return p
	}
	if p == "" {
		if ks.strip == "" || ks.strip == "." {
			return ""
		}
		return ks.strip + "/"
	}
	return nodeJoin(ks.prefix, p)
}

// startAfter returns the full key to start a listing after ("" stays "").
func (ks keyspace) startAfter(k string) string {
	if k == "" || ks.prefix == "" {
		return k
	}
	return nodeJoin(ks.prefix, k)
}

// rel returns the relative key of a listed full key, as s3db.js does: remove the first occurrence of the
// prefix, then one leading "/".
func (ks keyspace) rel(full string) string {
	if ks.strip == "" || ks.strip == "." {
		return full
	}
	k := strings.Replace(full, ks.strip, "", 1)
	return strings.TrimPrefix(k, "/")
}

// nodeJoin is Node's path.posix.join: the non-empty arguments joined by "/", then normalized.
func nodeJoin(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "."
	}
	return nodeNormalize(b.String())
}

// nodeNormalize is Node's path.posix.normalize: "." segments and empty segments go, ".." removes the
// previous segment (or stays, at the start of a relative path, or is dropped at the root of an absolute
// one), a trailing "/" is kept, and an empty result is "." (or "./" with a trailing slash, or "/").
func nodeNormalize(p string) string {
	if p == "" {
		return "."
	}
	abs := p[0] == '/'
	trailing := p[len(p)-1] == '/'
	segs := make([]string, 0, strings.Count(p, "/")+1)
	for s := range strings.SplitSeq(p, "/") {
		switch s {
		case "", ".":
		case "..":
			switch {
			case len(segs) > 0 && segs[len(segs)-1] != "..":
				segs = segs[:len(segs)-1]
			case !abs:
				segs = append(segs, "..")
			}
		default:
			segs = append(segs, s)
		}
	}
	out := strings.Join(segs, "/")
	if out == "" {
		switch {
		case abs:
			return "/"
		case trailing:
			return "./"
		default:
			return "."
		}
	}
	if trailing {
		out += "/"
	}
	if abs {
		return "/" + out
	}
	return out
}

// metadataSize is the size S3 charges against MaxMetadataBytes: names plus values, in bytes.
func metadataSize(md map[string]string) int {
	n := 0
	for k, v := range md {
		n += len(k) + len(v)
	}
	return n
}

// lowerNames returns md with lower-case names (S3 lower-cases them on the wire), never nil.
func lowerNames(md map[string]string) map[string]string {
	out := make(map[string]string, len(md))
	for k, v := range md {
		out[strings.ToLower(k)] = v
	}
	return out
}
