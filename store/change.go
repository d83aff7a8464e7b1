package store

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
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

// emit hands a change to Options.OnChange and the resource's listeners.
func (r *Resource) emit(c Change) {
	if r.db.opts.OnChange != nil {
		r.db.opts.OnChange(c)
	}
	r.listeners.Lock()
	ls := make([]func(Change), 0, len(r.listeners.fns))
	for _, fn := range r.listeners.fns {
		ls = append(ls, fn)
	}
	r.listeners.Unlock()
	for _, fn := range ls {
		fn(c)
	}
}

// listeners are a resource's change listeners (the Go side of s3db.js's resource events).
type listeners struct {
	sync.Mutex
	next int
	fns  map[int]func(Change)
}

// OnChange registers fn to receive every Change of this resource (s3db.js's "insert", "update"
// and "delete" events, in one stream: Change.Op tells which), after the write is durable and on
// the writing goroutine: keep it quick. The returned function unregisters it.
func (r *Resource) OnChange(fn func(Change)) (remove func()) {
	r.listeners.Lock()
	defer r.listeners.Unlock()
	if r.listeners.fns == nil {
		r.listeners.fns = map[int]func(Change){}
	}
	id := r.listeners.next
	r.listeners.next++
	r.listeners.fns[id] = fn
	return func() {
		r.listeners.Lock()
		defer r.listeners.Unlock()
		delete(r.listeners.fns, id)
	}
}
