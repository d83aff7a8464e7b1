package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Why records carry a revision in their body
//
// Updates are read-modify-write guarded by S3 If-Match on the ETag. S3's ETag is the MD5 of the
// body only: metadata is not part of it, and most s3db records keep everything in metadata with an
// empty body, so every version of such a record would have the same ETag and If-Match would guard
// nothing. Each write by this package therefore puts a revision in the JSON body,
// {"_rev":"<n>:<random>"}: n grows by one per write (change events are ordered by it) and the
// random part makes every write's ETag unique, so an If-Match can never succeed against a later
// version that happens to have the same content.
//
// The counter is a hybrid clock: the next revision is max(previous + 1, now in ms × 1000). It
// grows by one per write while writes come quickly, and it stays monotonic across an s3db.js write
// (which drops "_rev", so the previous revision is unknown) as long as the writers' clocks agree to
// within the time between two writes of one record.
//
// s3db.js ignores it: it drops every "_" field when it reads a record (body-only records are the
// exception: there s3db.js's get shows the extra "_rev" field), and an s3db.js write, which has no
// "_rev", restarts the count; the random part keeps ETags unique across that.

// revisionAfter is the revision text of the write after rev ("" for none yet) at time now, with the
// given token as its random part.
func revisionAfter(rev string, now time.Time, token string) string {
	return strconv.FormatUint(nextRevisionNumber(rev, now), 10) + ":" + token
}

func nextRevisionNumber(rev string, now time.Time) uint64 {
	return max(revisionNumber(rev)+1, uint64(max(now.UnixMilli(), 0))*1000)
}

// revisionNumber is the counter part of a revision; 0 for "" or an unreadable one.
func revisionNumber(rev string) uint64 {
	n, _, _ := strings.Cut(rev, ":")
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// keptRevisions is how many earlier revisions a record remembers (their random parts, in "_prev").
// A write whose response was lost can tell it landed as long as fewer than this many writes of the
// same record followed it before it looked.
const keptRevisions = 32

// revisionToken is the random part of a revision.
func revisionToken(rev string) string {
	_, tok, _ := strings.Cut(rev, ":")
	return tok
}

// nextPrev is the "_prev" list of the write after a record with revision rev and list prev.
func nextPrev(rev, prev string) string {
	toks := strings.Fields(prev)
	if t := revisionToken(rev); t != "" {
		toks = append(toks, t)
	}
	if len(toks) > keptRevisions {
		toks = toks[len(toks)-keptRevisions:]
	}
	return strings.Join(toks, " ")
}

// wrote reports whether a record with revision rev and list prev contains the write rev of ours.
func wrote(rev, prev, ours string) bool {
	if rev == ours {
		return true
	}
	tok := revisionToken(ours)
	if sameWrite(revisionToken(rev), tok) {
		return true
	}
	for _, t := range strings.Fields(prev) {
		if sameWrite(t, tok) {
			return true
		}
	}
	return false
}

// sameWrite reports whether two revision tokens are the same write: equal, or TxID tokens
// ("t" + op initial + 12 hex digits) of the same TxID, whatever the op.
func sameWrite(a, b string) bool {
	if len(a) == 14 && len(b) == 14 && a[0] == 't' && b[0] == 't' {
		return a[2:] == b[2:]
	}
	return a == b && a != ""
}

// tokenOp is the operation a TxID token was written by (def for other tokens).
func tokenOp(tok, def string) string {
	if len(tok) == 14 && tok[0] == 't' {
		switch tok[1] {
		case 'i':
			return "insert"
		case 'u':
			return "update"
		}
	}
	return def
}

// metaDigest is a short digest of user metadata. Written into the body ("_mh"), it makes the ETag
// (the body's MD5) cover the metadata too, and lets a reader detect a body and metadata from two
// different writes (versitygw can return such pairs while an object is being replaced).
func metaDigest(headers map[string]string) string {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, k := range names {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(headers[k]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// withRevision adds "_rev", "_prev" (when not empty) and "_mh" to a JSON object body (or makes one)
// and returns the body.
func withRevision(body []byte, rev, prev, digest string) []byte {
	member := `"_rev":` + strconv.Quote(rev)
	if prev != "" {
		member += `,"_prev":` + strconv.Quote(prev)
	}
	member += `,"_mh":` + strconv.Quote(digest)
	trimmed := bytes.TrimRight(body, " \n\t\r")
	if len(trimmed) == 0 {
		return []byte("{" + member + "}")
	}
	if len(trimmed) >= 2 && trimmed[len(trimmed)-1] == '}' {
		head := bytes.TrimRight(trimmed[:len(trimmed)-1], " \n\t\r")
		out := append([]byte(nil), head...)
		if len(head) > 1 { // not "{"
			out = append(out, ',')
		}
		out = append(out, member...)
		return append(out, '}')
	}
	return body // not JSON (binary content): left as it is
}

// deletedRevision is the revision of the delete that follows rev. It has no random part and, when
// the record carries a revision, no clock either: the change event of a delete is the same however
// often and by whomever the delete of that version is retried. A record last written by s3db.js
// (no revision) gets the clock's, so the delete still orders after earlier changes.
func deletedRevision(rev string, now time.Time) string {
	n := revisionNumber(rev) + 1
	if rev == "" {
		n = nextRevisionNumber(rev, now)
	}
	return strconv.FormatUint(n, 10) + ":deleted"
}
