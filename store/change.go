package store

import (
	"crypto/sha256"
	"encoding/hex"
)

// Change describes one successful write, for change-data-capture (DESIGN §4): publish it, and every
// sink can deduplicate on ID and order by Rev.
type Change struct {
	// ID is deterministic: the same write (resource, key, operation, revision) always has the same
	// id, so redelivered events deduplicate.
	ID       string         `json:"id"`
	Resource string         `json:"resource"`
	Op       string         `json:"op"` // insert, update or delete
	Key      string         `json:"key"`
	Rev      uint64         `json:"rev"`
	Before   map[string]any `json:"before"`
	After    map[string]any `json:"after"`
	TS       string         `json:"ts"` // RFC 3339 with milliseconds
	Source   ChangeSource   `json:"source"`
	// Revision is the full revision text stored with the record ("<rev>:<random>").
	Revision string `json:"-"`
	// Duplicate is set when the write was found already applied (the same TxID) and nothing was
	// written now. When the record was still at that write, ID, Rev and After are rebuilt (the same
	// ID as the first time; Before is unknown and nil); when later writes followed, only Resource,
	// Op and Key are set and ID is empty: publish a duplicate only when its ID is set.
	Duplicate bool `json:"-"`
}

// ChangeSource says where a change happened.
type ChangeSource struct {
	Bucket  string `json:"bucket,omitempty"`
	Prefix  string `json:"prefix,omitempty"`
	Version string `json:"version"`
}

func (r *Resource) change(op, id, revision string, before, after Record) Change {
	rev := revisionNumber(revision)
	sum := sha256.Sum256([]byte(r.def.Name + "\x00" + id + "\x00" + op + "\x00" + revision))
	return Change{
		ID:       hex.EncodeToString(sum[:16]),
		Resource: r.def.Name,
		Op:       op,
		Key:      id,
		Rev:      rev,
		Before:   before,
		After:    after,
		TS:       r.db.now().UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Source:   ChangeSource{Version: r.version},
		Revision: revision,
	}
}

// emit hands a change to Options.OnChange.
func (r *Resource) emit(c Change) {
	if r.db.opts.OnChange != nil {
		r.db.opts.OnChange(c)
	}
}
