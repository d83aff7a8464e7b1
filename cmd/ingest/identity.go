package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/s3db-go/s3db/codec"
)

// How rows keep their identity across runs, so that a resumed or repeated run never writes a row
// twice:
//
//   - A row with an "id" is written with a TxID derived from the resource, the id and the row's text
//     (txID). Writing the same row again is recognised by the store as a duplicate (not an error,
//     not applied again); a row with the same id and different content is an AlreadyExists reject
//     (insert) or an update (--upsert).
//   - A row without an id gets one derived from the resource, the input's identity and the row's
//     line number (rowID): the same line of the same input always gets the same id, and then the
//     TxID as above. The input's identity is --input-id when given, else the SHA-256 of the
//     resource name and the input's first 64 KiB (fingerprint), recorded in the state file at the
//     first run and read back from it by later ones. So a file that grows by appending keeps the
//     ids of its old lines; two different files get different ids unless their first 64 KiB are
//     identical (pass --input-id to tell them apart, or to load the same file twice on purpose).

// fingerprintBytes is how much of the input its fingerprint covers.
const fingerprintBytes = 64 << 10

// fingerprint identifies an input by its first bytes (prefix is at most fingerprintBytes long).
func fingerprint(resource string, prefix []byte) string {
	h := sha256.New()
	_, _ = io.WriteString(h, "s3db-ingest/v1\x00"+resource+"\x00")
	h.Write(prefix)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// rowID is the id given to the row on line of an input without an id of its own: 22 characters, as
// s3db.js's generated ids.
func rowID(resource, identity string, line int64) string {
	sum := sha256.Sum256([]byte("s3db-ingest/id\x00" + resource + "\x00" + identity + "\x00" + strconv.FormatInt(line, 10)))
	return hex.EncodeToString(sum[:11])
}

// txID is the idempotency key of a row: its resource, id and text.
func txID(resource, id string, raw []byte) string {
	h := sha256.New()
	_, _ = io.WriteString(h, "s3db-ingest/tx\x00"+resource+"\x00"+id+"\x00")
	h.Write(raw)
	return "ingest-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// identify gives the row an id when it has none, and returns its id and TxID.
func identify(resource, identity string, it *item) (id, tx string) {
	switch v := it.data["id"].(type) {
	case nil:
	case string:
		id = v
	default:
		id = codec.JSString(v)
	}
	if id == "" {
		id = rowID(resource, identity, it.line)
		it.data["id"] = id
	}
	return id, txID(resource, id, it.raw)
}
