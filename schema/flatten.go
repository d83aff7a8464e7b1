package schema

import (
	"strconv"
	"strings"
)

// pathValue is one flattened record entry.
type pathValue struct {
	path  string
	value any
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
