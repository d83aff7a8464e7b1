package schema

import (
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// KeyList returns the attribute paths that receive metadata keys, in the order s3db.js assigns
// them: first every leaf of the definition tree depth-first (paths containing "$$" skipped), then
// the path of every object-valued definition (descending only into objects whose $$type is exactly
// "object"). Duplicates keep their first position.
func KeyList(attrs codec.Ordered) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	var leaves func(defs codec.Ordered, prefix string)
	leaves = func(defs codec.Ordered, prefix string) {
		for _, m := range defs {
			p := joinPath(prefix, m.Name)
			if sub, ok := m.Value.(codec.Ordered); ok && len(sub) > 0 {
				leaves(sub, p)
				continue
			}
			if !strings.Contains(p, "$$") {
				add(p)
			}
		}
	}
	leaves(attrs, "")
	var objects func(defs codec.Ordered, prefix string)
	objects = func(defs codec.Ordered, prefix string) {
		for _, m := range defs {
			if strings.HasPrefix(m.Name, "$$") {
				continue
			}
			sub, ok := m.Value.(codec.Ordered)
			if !ok {
				continue
			}
			p := joinPath(prefix, m.Name)
			add(p)
			if t, _ := sub.Get("$$type"); t == "object" {
				objects(sub, p)
			}
		}
	}
	objects(attrs, "")
	return out
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// definitionAt walks the definition tree along a dotted path, like s3db.js's
// getAttributeDefinition: the result is a rule string, a nested codec.Ordered, another JSON value,
// or nil when the path is not defined.
func definitionAt(attrs codec.Ordered, path string) any {
	var cur any = attrs
	for _, part := range strings.Split(path, ".") {
		o, ok := cur.(codec.Ordered)
		if !ok {
			return nil
		}
		v, ok := o.Get(part)
		if !ok {
			return nil
		}
		cur = v
	}
	return cur
}
