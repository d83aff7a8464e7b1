package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// Registry is the persisted attribute→index table of a resource (s3db.json schemaRegistry). The
// metadata key of an attribute is base36 of its index. Indexes of removed attributes are burned and
// never handed out again, so a record written under an old schema version can never be misread
// as another attribute after a schema change.
type Registry struct {
	NextIndex int         `json:"nextIndex"`
	Mapping   Mapping     `json:"mapping"`
	Burned    []BurnedKey `json:"burned"`
}

// MarshalJSON writes burned as [] when empty, as s3db.js does.
func (r Registry) MarshalJSON() ([]byte, error) {
	type plain Registry
	if r.Burned == nil {
		r.Burned = []BurnedKey{}
	}
	return json.Marshal(plain(r))
}

// BurnedKey records an index whose attribute was removed from the schema.
type BurnedKey struct {
	Index     int    `json:"index"`
	Attribute string `json:"attribute"`
	BurnedAt  string `json:"burnedAt"`
	Reason    string `json:"reason"`
}

// Mapping is an ordered attribute→index table; it keeps insertion order so that s3db.json is
// rewritten in the same order s3db.js writes it.
type Mapping struct {
	om orderedMap[int]
}

// Get returns the index of an attribute.
func (m *Mapping) Get(attr string) (int, bool) { return m.om.get(attr) }

// Set assigns an index, appending the attribute when it is new.
func (m *Mapping) Set(attr string, i int) { m.om.set(attr, i) }

// Delete removes an attribute.
func (m *Mapping) Delete(attr string) { m.om.del(attr) }

// Names lists the attributes in order.
func (m *Mapping) Names() []string { return append([]string(nil), m.om.keys...) }

// Len is the number of attributes.
func (m *Mapping) Len() int { return len(m.om.keys) }

// Clone returns an independent copy.
func (m *Mapping) Clone() Mapping {
	c := Mapping{om: orderedMap[int]{keys: append([]string(nil), m.om.keys...), vals: make(map[string]int, len(m.om.vals))}}
	for k, v := range m.om.vals {
		c.om.vals[k] = v
	}
	return c
}

// MarshalJSON writes the mapping as a JSON object in insertion order.
func (m Mapping) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, n := range m.om.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		fmt.Fprintf(&buf, ":%d", m.om.vals[n])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a JSON object of attribute→integer, keeping its order. Non-integer values
// (a corrupted registry) are rejected.
func (m *Mapping) UnmarshalJSON(b []byte) error {
	var o codec.Ordered
	if err := o.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("schemaRegistry.mapping: %w", err)
	}
	*m = Mapping{}
	for _, e := range o {
		f, ok := e.Value.(float64)
		if !ok || f != math.Trunc(f) || f < 0 {
			return fmt.Errorf("schemaRegistry.mapping[%q]: want a non-negative integer index, got %v", e.Name, e.Value)
		}
		m.Set(e.Name, int(f))
	}
	return nil
}

// Clone returns an independent copy of the registry.
func (r *Registry) Clone() *Registry {
	if r == nil {
		return nil
	}
	return &Registry{NextIndex: r.NextIndex, Mapping: r.Mapping.Clone(), Burned: append([]BurnedKey(nil), r.Burned...)}
}

// assign computes the key mapping for a key list against the registry, exactly as s3db.js does:
// nextIndex is raised above every mapped and burned index; known attributes keep their index; new
// ones take nextIndex++ in list order; mapped attributes missing from the list are burned (once)
// and dropped. It returns the attribute→key map and whether the registry changed.
func (r *Registry) assign(keys []string, now time.Time) (map[string]string, bool) {
	changed := false
	maxIndex := -1
	for _, n := range r.Mapping.om.keys {
		maxIndex = max(maxIndex, r.Mapping.om.vals[n])
	}
	for _, b := range r.Burned {
		maxIndex = max(maxIndex, b.Index)
	}
	if r.NextIndex <= maxIndex {
		r.NextIndex = maxIndex + 1
		changed = true
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if i, ok := r.Mapping.Get(k); ok {
			out[k] = codec.EncodeKey(i)
			continue
		}
		i := r.NextIndex
		r.NextIndex++
		r.Mapping.Set(k, i)
		out[k] = codec.EncodeKey(i)
		changed = true
	}
	current := make(map[string]bool, len(keys))
	for _, k := range keys {
		current[k] = true
	}
	for _, attr := range r.Mapping.Names() {
		if current[attr] {
			continue
		}
		i := r.Mapping.om.vals[attr]
		burned := false
		for _, b := range r.Burned {
			if b.Index == i {
				burned = true
				break
			}
		}
		if !burned {
			r.Burned = append(r.Burned, BurnedKey{Index: i, Attribute: attr, BurnedAt: codec.FormatISO(now), Reason: "removed"})
			changed = true
		}
		r.Mapping.Delete(attr)
	}
	return out, changed
}

// initialRegistry builds the registry s3db.js derives when s3db.json has none: indexes in key-list
// order.
func initialRegistry(keys []string) *Registry {
	r := &Registry{}
	for i, k := range keys {
		r.Mapping.Set(k, i)
	}
	r.NextIndex = len(keys)
	return r
}

// Merge folds a fresh copy of the registry (fresh, as just read from s3db.json) into r (the local
// copy) the way s3db.js merges the fresh s3db.json with
// its local copy under the metadata lock: the union of the mappings (on a conflict the larger index
// wins), the union of burned entries (by index) and the larger nextIndex. It never loses an index,
// so two writers that changed the schema at once cannot hand out the same key twice.
func (r *Registry) Merge(fresh *Registry) {
	if fresh == nil {
		return
	}
	merged := fresh.Mapping.Clone()
	for _, n := range r.Mapping.om.keys {
		li := r.Mapping.om.vals[n]
		if fi, ok := merged.Get(n); !ok || li > fi {
			merged.Set(n, li)
		}
	}
	burned := append([]BurnedKey(nil), fresh.Burned...)
	have := map[int]bool{}
	for _, b := range burned {
		have[b.Index] = true
	}
	for _, b := range r.Burned {
		if !have[b.Index] {
			burned = append(burned, b)
			have[b.Index] = true
		}
	}
	r.Mapping, r.Burned = merged, burned
	r.NextIndex = max(r.NextIndex, fresh.NextIndex)
}
