package schema

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// Unmap decodes a mapped record back into user fields: keys are translated through the schema's
// key map (or override, the attribute→key map a body-only record carries in _map), values decoded
// by attribute type, dotted paths rebuilt into nested objects. mapped must already be free of
// system fields (_v, _overflow, …) and of client-level text encoding; metadata keys arrive
// lower-cased, which base36 keys already are.
//
// It decodes once: s3db.js 21.6.2 decodes a second time and misreads some records (see
// docs/compatibility.md); Go returns what the writer stored.
func (s *Schema) Unmap(mapped codec.Ordered, override map[string]string) map[string]any {
	out, _ := s.unmap(mapped, override, false)
	return out
}

// UnmapChecked is Unmap that also reports the secret attributes whose values did not decrypt
// (a wrong passphrase): s3db.js then returns the ciphertext as if it were the value; Unmap does the
// same, and the caller can tell.
func (s *Schema) UnmapChecked(mapped codec.Ordered, override map[string]string) (map[string]any, []string) {
	return s.unmap(mapped, override, true)
}

func (s *Schema) unmap(mapped codec.Ordered, override map[string]string, check bool) (map[string]any, []string) {
	var undecrypted []string
	fromKey := s.fromKey
	if len(override) > 0 {
		fromKey = make(map[string]string, len(override))
		for attr, key := range override {
			fromKey[key] = attr
		}
	}
	out := make(map[string]any, len(mapped))
	var nested []pathValue // dotted paths, rebuilt after the flat ones
	var literal []pathValue
	for _, m := range mapped {
		key, v := m.Name, m.Value
		attr, isKey := fromKey[key]
		if !isKey {
			attr = key
			if s.isUpdateArtifact(attr) {
				continue
			}
			if pf, ok := s.props[attr]; ok {
				nested = append(nested, pathValue{pf.path, pf.decode(v)})
				continue
			}
		}
		n := s.nodes[attr]
		val, keep := s.unmapValue(attr, v, n)
		if !keep {
			continue
		}
		if check && n != nil && n.hasHook && n.hook.kind == hookSecret && s.cipher != nil {
			if str, ok := v.(string); ok && val == v && str != "" { // decryption failed: the stored text came back
				undecrypted = append(undecrypted, attr)
			}
		}
		switch {
		case !isKey:
			literal = append(literal, pathValue{attr, val})
		case strings.IndexByte(attr, '.') >= 0:
			nested = append(nested, pathValue{attr, val})
		default:
			out[attr] = val
		}
	}
	// A value stored under its short key wins over the same attribute written under its long name
	// (s3db.js user-managed updates write both).
	if len(literal) > 0 {
		mappedPaths := make(map[string]bool, len(nested))
		for _, pv := range nested {
			mappedPaths[pv.path] = true
		}
		for _, pv := range literal {
			if _, dup := out[pv.path]; dup || mappedPaths[pv.path] {
				continue
			}
			if strings.IndexByte(pv.path, '.') >= 0 {
				nested = append(nested, pv)
			} else {
				out[pv.path] = pv.value
			}
		}
	}
	if len(nested) == 0 {
		return out, undecrypted
	}
	sortPaths(nested, s.rankOf)
	return unflattenInto(out, nested), undecrypted
}

// isUpdateArtifact reports the fields s3db.js 21.6.2 updates write by mistake when timestamps are
// on (metadata_updatedat in metadata, metadata.updatedAt in bodies), unless the schema
// really declares an attribute of that name.
func (s *Schema) isUpdateArtifact(attr string) bool {
	artifact := attr == "metadata_updatedat" || attr == "metadata" || strings.HasPrefix(attr, "metadata.")
	return artifact && !s.Declared("metadata")
}

// sortPaths gives a deterministic order, so parents are rebuilt the same way whatever the map
// iteration order was.
func sortPaths(flat []pathValue, rank func(string) int) {
	slices.SortFunc(flat, func(a, b pathValue) int {
		if c := cmp.Compare(rank(a.path), rank(b.path)); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
}

// unmapValue decodes one value; keep is false when the field must be dropped (a value that
// s3db.js reads as undefined).
func (s *Schema) unmapValue(attr string, v any, n *node) (any, bool) {
	if v == nil {
		return nil, true
	}
	if n != nil && n.hasHook {
		return s.applyUnmapHook(n.hook, v)
	}
	str, isStr := v.(string)
	if n != nil && n.text != textNone {
		if isStr && str != "" {
			return n.text.decode(str), true
		}
		return v, true
	}
	if !isStr {
		return v, true
	}
	if n != nil && n.arrayDef {
		if strings.HasPrefix(strings.TrimSpace(str), "[") {
			if parsed, ok := parseJSONValue(str); ok {
				if arr, ok := parsed.([]any); ok {
					return arr, true
				}
			}
		}
		return codec.DecodeStringArray(str), true
	}
	if n != nil && !n.anyType {
		return v, true // a declared text value is the text its writer stored
	}
	if str == "[object Object]" {
		return map[string]any{}, true
	}
	if strings.HasPrefix(str, "{") || strings.HasPrefix(str, "[") {
		if parsed, ok := parseJSONValue(str); ok {
			return parsed, true
		}
	}
	return v, true
}

func isAnyType(def string) bool { return def == "" || def == "any" || strings.HasPrefix(def, "any|") }

func (s *Schema) applyUnmapHook(h hook, v any) (any, bool) {
	str, isStr := v.(string)
	if !isStr {
		if arr, ok := v.([]any); ok && (h.kind == hookStringArray || h.kind == hookEmbedding) {
			return arr, true
		}
		return v, true
	}
	switch h.kind {
	case hookEmbedding:
		if str == "" || str == "^[]" {
			return []any{}, true
		}
		if arr, ok := codec.DecodeEmbedding(str); ok {
			return arr, true
		}
		return v, true
	case hookStringArray:
		return codec.DecodeStringArray(str), true
	case hookIntegerArray, hookDecimalArray:
		return codec.DecodeNumberArray(str, h.kind == hookIntegerArray), true
	case hookSecret:
		if s.cipher == nil {
			return v, true
		}
		plain, err := s.cipher.Decrypt(str)
		if err != nil {
			return v, true // wrong passphrase: the ciphertext comes back, as in s3db.js
		}
		switch plain {
		case "null":
			return nil, true
		case "undefined":
			return nil, false
		}
		return plain, true
	case hookIP4:
		return codec.DecodeIP4(str), true
	case hookIP6:
		return codec.DecodeIP6(str), true
	case hookMoney:
		if f, ok := codec.DecodeMoney(str, h.param); ok {
			return f, true
		}
	case hookDecimal:
		if f, ok := codec.DecodeDecimal(str, h.param); ok {
			return f, true
		}
	case hookGeoLat:
		if f, ok := codec.DecodeGeoLat(str, h.param); ok {
			return f, true
		}
	case hookGeoLon:
		if f, ok := codec.DecodeGeoLon(str, h.param); ok {
			return f, true
		}
	case hookGeoPoint:
		if lat, lon, ok := codec.DecodeGeoPoint(str, h.param); ok {
			return map[string]any{"latitude": lat, "longitude": lon}, true
		}
	case hookInteger, hookNumber:
		if str == "" {
			return nil, false // s3db.js reads an empty number as ""; Go treats it as absent
		}
		decode := codec.DecodeNumber
		if h.kind == hookInteger {
			decode = codec.DecodeInteger
		}
		f, ok := decode(str)
		if !ok || math.IsNaN(f) {
			return nil, false
		}
		return f, true
	case hookBool:
		return codec.DecodeBool(str), true
	case hookJSON:
		if str == "" {
			return "", true
		}
		if parsed, ok := parseJSONValue(str); ok {
			return parsed, true
		}
	}
	return v, true
}

// parseJSONValue is JSON.parse: any JSON value, numbers as float64.
func parseJSONValue(s string) (any, bool) {
	if !json.Valid([]byte(s)) {
		return nil, false
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, false
	}
	return v, true
}
