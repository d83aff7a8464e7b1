package schema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// pathValue is one flattened record entry.
type pathValue struct {
	path  string
	value any
}

// flatten turns a record into dotted paths the way s3db.js's flatten(obj, {safe: true}) does:
// arrays and scalars are leaves, empty objects are leaves, non-empty objects are walked. Map keys are
// visited in the order given by rank (schema order), then by name, because Go maps have no order;
// codec.Ordered values keep their own order.
func flatten(rec map[string]any, rank func(path string) int) []pathValue {
	var out []pathValue
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch t := v.(type) {
		case map[string]any:
			if len(t) == 0 {
				out = append(out, pathValue{path, map[string]any{}})
				return
			}
			for _, k := range orderedKeys(t, path, rank) {
				walk(t[k], joinPath(path, k))
			}
		case codec.Ordered:
			if len(t) == 0 {
				out = append(out, pathValue{path, map[string]any{}})
				return
			}
			for _, m := range t {
				walk(m.Value, joinPath(path, m.Name))
			}
		default:
			out = append(out, pathValue{path, v})
		}
	}
	for _, k := range orderedKeys(rec, "", rank) {
		walk(rec[k], k)
	}
	return out
}

func orderedKeys(m map[string]any, prefix string, rank func(string) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := rank(joinPath(prefix, keys[i])), rank(joinPath(prefix, keys[j]))
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// unflatten rebuilds nested values from dotted paths like s3db.js's unflatten: a numeric segment
// after a path makes that path an array.
func unflatten(flat []pathValue) map[string]any {
	return unflattenInto(map[string]any{}, flat)
}

// unflattenInto adds the dotted paths to root (which may already hold top-level fields).
func unflattenInto(root map[string]any, flat []pathValue) map[string]any {
	var arrays map[string]bool
	for _, pv := range flat {
		cur := root
		rest := pv.path
		for {
			dot := strings.IndexByte(rest, '.')
			if dot < 0 {
				cur[rest] = pv.value
				break
			}
			part := rest[:dot]
			next, ok := cur[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[part] = next
				if nextPart, _, _ := strings.Cut(rest[dot+1:], "."); isDigits(nextPart) {
					if arrays == nil {
						arrays = map[string]bool{}
					}
					arrays[pv.path[:len(pv.path)-len(rest)+dot]] = true
				}
			}
			cur = next
			rest = rest[dot+1:]
		}
	}
	if len(arrays) == 0 {
		return root
	}
	return convertArrays(root, "", arrays).(map[string]any)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func convertArrays(v any, path string, arrays map[string]bool) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, child := range m {
		m[k] = convertArrays(child, joinPath(path, k), arrays)
	}
	if !arrays[path] {
		return m
	}
	n := 0
	for k := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i > 1<<20 {
			return m // not a clean array (mixed keys): keep the object form
		}
		n = max(n, i+1)
	}
	arr := make([]any, n)
	for k, child := range m {
		i, _ := strconv.Atoi(k)
		arr[i] = child
	}
	return arr
}

// getPath and setPath read and write a dotted path inside nested maps and codec.Ordered values
// (lodash get/set on plain objects); setPath creates missing intermediate objects and keeps the
// member order of Ordered values.
func getPath(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		var v any
		var ok bool
		switch t := cur.(type) {
		case map[string]any:
			v, ok = t[part]
		case codec.Ordered:
			v, ok = t.Get(part)
		}
		if !ok {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	head := parts[0]
	if len(parts) == 1 {
		m[head] = v
		return
	}
	m[head] = setIn(m[head], parts[1:], v)
}

func setIn(container any, parts []string, v any) any {
	head := parts[0]
	switch t := container.(type) {
	case codec.Ordered:
		if len(parts) == 1 {
			return t.Set(head, v)
		}
		child, _ := t.Get(head)
		return t.Set(head, setIn(child, parts[1:], v))
	case map[string]any:
		if len(parts) == 1 {
			t[head] = v
		} else {
			t[head] = setIn(t[head], parts[1:], v)
		}
		return t
	}
	m := map[string]any{}
	if len(parts) == 1 {
		m[head] = v
	} else {
		m[head] = setIn(nil, parts[1:], v)
	}
	return m
}

// deepCopy copies JSON-like values, so that hooks can replace nested values without touching the
// caller's record.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, x := range t {
			c[k] = deepCopy(x)
		}
		return c
	case codec.Ordered:
		c := make(codec.Ordered, len(t))
		for i, m := range t {
			c[i] = codec.Member{Name: m.Name, Value: deepCopy(m.Value)}
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, x := range t {
			c[i] = deepCopy(x)
		}
		return c
	}
	return v
}
