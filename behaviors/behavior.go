package behaviors

import (
	"fmt"
	"sort"

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

// bySize lists the fields other than _v sorted by value size, ascending; ties keep JavaScript
// property order (Array.prototype.sort is stable).
func bySize(mapped codec.Ordered) []sizedField {
	out := make([]sizedField, 0, len(mapped))
	for _, m := range mapped.JSOrder() {
		if m.Name == "_v" {
			continue
		}
		out = append(out, sizedField{m, ValueSize(m.Value)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].size < out[j].size })
	return out
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
