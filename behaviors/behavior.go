package behaviors

import (
	"fmt"

	"github.com/s3db-go/s3db/codec"
)

// Names of the behaviors, as written in s3db.json.
const (
	UserManaged   = "user-managed"
	BodyOverflow  = "body-overflow"
	BodyOnly      = "body-only"
	TruncateData  = "truncate-data"
	EnforceLimits = "enforce-limits"
)

// Behavior splits mapped records for writing. Insert and Update take the mapped record in
// JavaScript property order, with _v, as schema.Map returns it.
type Behavior interface {
	Name() string
	Insert(mapped codec.Ordered, cfg Config) (Split, error)
	Update(mapped codec.Ordered, cfg Config) (Split, error)
}

// Lookup returns the behavior of a name; "" means user-managed, s3db.js's default.
func Lookup(name string) (Behavior, error) {
	switch name {
	case "", UserManaged:
		return userManaged{}, nil
	case BodyOverflow:
		return bodyOverflow{}, nil
	case BodyOnly:
		return bodyOnly{}, nil
	case TruncateData:
		return truncateData{}, nil
	case EnforceLimits:
		return enforceLimits{}, nil
	}
	return nil, fmt.Errorf("%w: %q (want one of %v)", ErrUnknownBehavior, name, Names())
}

// Names lists the behaviors.
func Names() []string {
	return []string{BodyOverflow, BodyOnly, EnforceLimits, TruncateData, UserManaged}
}

// sizedField is a mapped field with s3db.js's size of its value.
type sizedField struct {
	codec.Member
	size int
}

// fieldSizes holds s3db.js's size of every field of a mapped record (other than _v) and the order
// in which the size-driven behaviors visit them: ascending size, ties in JavaScript property order
// (Array.prototype.sort is stable). Records have tens of fields, so the arrays live on the stack.
type fieldSizes struct {
	fields codec.Ordered
	order  []int32 // indexes into fields
	size   []int
	plain  []bool // the value is its own metadata encoding (see plainMeta)
	bufO   [64]int32
	bufS   [64]int
	bufP   [64]bool
}

func (fs *fieldSizes) init(mapped codec.Ordered) {
	if !mapped.InJSOrder() {
		mapped = mapped.JSOrder()
	}
	fs.fields = mapped
	fs.order, fs.size, fs.plain = fs.bufO[:0], fs.bufS[:0], fs.bufP[:0]
	if len(mapped) > len(fs.bufO) {
		fs.order = make([]int32, 0, len(mapped))
		fs.size = make([]int, 0, len(mapped))
		fs.plain = make([]bool, 0, len(mapped))
	}
	for i, m := range mapped {
		size, plain := measure(m.Value)
		fs.size = append(fs.size, size)
		fs.plain = append(fs.plain, plain)
		if m.Name != "_v" {
			fs.order = append(fs.order, int32(i))
		}
	}
	o := fs.order
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && fs.size[o[j-1]] > fs.size[o[j]]; j-- {
			o[j-1], o[j] = o[j], o[j-1]
		}
	}
}

// measure returns ValueSize(v) and whether v is plain metadata text, in one pass over the bytes.
func measure(v any) (int, bool) {
	s, ok := v.(string)
	if !ok {
		return ValueSize(v), false
	}
	printable := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return ValueSize(s), false
		}
		if c < 0x20 || c == 0x7f {
			printable = false
		}
	}
	return len(s), printable && !reservedMeta(s)
}

// encodedLen is the length of a field's metadata header: name and encoded value.
func encodedLen(m codec.Member, plain bool) int {
	n := len(codec.SanitizeMetaName(m.Name))
	if plain {
		return n + len(m.Value.(string))
	}
	return n + len(codec.EncodeMeta(m.Value))
}

func versionOf(mapped codec.Ordered, cfg Config) string {
	if v, ok := mapped.Get("_v"); ok {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	if cfg.Version != "" {
		return cfg.Version
	}
	return "v1"
}
