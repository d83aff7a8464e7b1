package store

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
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

// nextRevision is the revision text of the write after rev ("" for none yet) at time now.
func nextRevision(rev string, now time.Time) string {
	return strconv.FormatUint(nextRevisionNumber(rev, now), 10) + ":" + codec.NewID(8)
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

// withRevision adds "_rev" to a JSON object body (or makes one) and returns the body.
func withRevision(body []byte, rev string) []byte {
	member := `"_rev":` + strconv.Quote(rev)
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

// deletedRevision is the revision of the delete that follows rev. It has no random part, so the
// change event of a delete is the same however often the delete is retried.
func deletedRevision(rev string, now time.Time) string {
	return strconv.FormatUint(nextRevisionNumber(rev, now), 10) + ":deleted"
}
