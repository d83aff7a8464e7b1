package schema

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// Map turns a validated record (without its id) into the mapped form that s3db.js stores: short
// metadata keys, every value encoded by its attribute type, "_v" added, members in JavaScript
// property order (array-index keys first), ready for a behavior to split into metadata and body.
// Values are strings, except unmapped numbers and booleans (kept raw, as s3db.js does) and nil.
func (s *Schema) Map(rec map[string]any) (codec.Ordered, error) {
	m := mapping{s: s, out: make(codec.Ordered, 1, len(s.keys)+2)}
	m.out[0] = codec.Member{Name: "_v", Value: s.version}
	if err := m.object(rec, s.root, ""); err != nil {
		return nil, err
	}
	m.out.SortJS()
	return m.out, nil
}

// mapping is one Map call: the walk applies each path's hook before looking inside the value, like
// s3db.js applies its beforeMap hooks and then flattens the record (arrays, scalars and empty
// objects are leaves).
type mapping struct {
	s   *Schema
	out codec.Ordered
}

func (m *mapping) value(v any, n *node, path string) error {
	if n != nil && n.hasHook {
		nv, err := m.s.applyMapHook(n.hook, v)
		if err != nil {
			return fmt.Errorf("map %s: %w", path, err)
		}
		v = nv
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) > 0 {
			return m.object(t, n, path)
		}
	case codec.Ordered:
		if len(t) > 0 {
			for _, e := range t {
				c := n.child(e.Name)
				if err := m.value(e.Value, c, childPath(c, path, e.Name)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	key := path
	if n != nil && n.key != "" {
		key = n.key
	}
	m.out = append(m.out, codec.Member{Name: key, Value: mapValue(n, v)})
	return nil
}

// object walks a map's members in schema order, then the undeclared ones by name (Go maps have no
// order of their own).
func (m *mapping) object(obj map[string]any, n *node, path string) error {
	seen := 0
	if n != nil {
		for _, c := range n.children {
			v, ok := obj[c.name]
			if !ok {
				continue
			}
			seen++
			if err := m.value(v, c, c.path); err != nil {
				return err
			}
		}
	}
	if seen == len(obj) {
		return nil
	}
	var extra []string
	for k := range obj {
		if n.child(k) == nil {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		if err := m.value(obj[k], nil, joinPath(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func childPath(c *node, parent, name string) string {
	if c != nil {
		return c.path
	}
	return joinPath(parent, name)
}

// mapValue is the mapper's own per-value step, after hooks.
func mapValue(n *node, v any) any {
	text, numberDef := textNone, false
	if n != nil {
		text, numberDef = n.text, n.numberDef
	}
	if text != textNone {
		switch t := v.(type) {
		case string:
			if t != "" {
				return text.encode(t)
			}
		case time.Time:
			if text == textDatetime || text == textDateOnly || text == textTimeOnly {
				return text.encode(codec.FormatISO(t))
			}
		default:
			if f, ok := codec.AsNumber(v); ok && text == textDuration && finite(f) && f >= 0 {
				return codec.EncodeInteger(math.Floor(f + 0.5))
			}
		}
		return normalizeRaw(v)
	}
	if f, ok := codec.AsNumber(v); ok && numberDef {
		return codec.EncodeInteger(f)
	}
	switch t := v.(type) {
	case string:
		if t == "[object Object]" {
			return "{}"
		}
		return v // not t: re-boxing the string would allocate
	case []any, map[string]any, codec.Ordered:
		b, err := codec.MarshalJS(t)
		if err != nil {
			return codec.JSString(t)
		}
		return string(b)
	}
	return normalizeRaw(v)
}

// normalizeRaw turns Go numbers into float64 so that mapped values are JSON-like.
func normalizeRaw(v any) any {
	if f, ok := codec.AsNumber(v); ok {
		return f
	}
	if t, ok := v.(time.Time); ok {
		return codec.FormatISO(t)
	}
	return v
}

func (s *Schema) applyMapHook(h hook, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch h.kind {
	case hookEmbedding:
		if arr, ok := v.([]any); ok {
			if len(arr) == 0 {
				return "^[]", nil
			}
			return codec.EncodeEmbedding(arr), nil
		}
	case hookStringArray:
		if arr, ok := v.([]any); ok {
			return codec.EncodeStringArray(arr), nil
		}
	case hookIntegerArray, hookDecimalArray:
		if arr, ok := v.([]any); ok {
			if len(arr) == 0 {
				return "", nil
			}
			return codec.EncodeNumberArray(arr, h.kind == hookIntegerArray), nil
		}
	case hookSecret:
		if s.cipher == nil {
			return v, nil
		}
		text := codec.JSString(v)
		if _, err := s.cipher.Decrypt(text); err == nil {
			return v, nil // already encrypted (by the validator)
		}
		enc, err := s.cipher.Encrypt(text)
		if err != nil {
			return nil, err
		}
		return enc, nil
	case hookIP4:
		if t, ok := v.(string); ok {
			return codec.EncodeIP4(t), nil
		}
	case hookIP6:
		if t, ok := v.(string); ok {
			return codec.EncodeIP6(t), nil
		}
	case hookMoney:
		if f, ok := codec.AsNumber(v); ok {
			return codec.EncodeMoney(f, h.param), nil
		}
	case hookDecimal:
		if f, ok := codec.AsNumber(v); ok {
			return codec.EncodeDecimal(f, h.param), nil
		}
	case hookGeoLat:
		if f, ok := codec.AsNumber(v); ok {
			return codec.EncodeGeoLat(f, h.param), nil
		}
	case hookGeoLon:
		if f, ok := codec.AsNumber(v); ok {
			return codec.EncodeGeoLon(f, h.param), nil
		}
	case hookGeoPoint:
		if lat, lon, ok := geoPair(v); ok {
			return codec.EncodeGeoPoint(lat, lon, h.param), nil
		}
	case hookInteger, hookNumber:
		f, ok := codec.AsNumber(v)
		if !ok {
			str, isStr := v.(string)
			if !isStr || str == "" {
				return v, nil
			}
			if f = codec.ParseJSNumber(str); math.IsNaN(f) {
				return v, nil
			}
		}
		if h.kind == hookInteger {
			return codec.EncodeInteger(f), nil
		}
		return codec.EncodeNumber(f), nil
	case hookBool:
		if codec.EncodeBool(v) == "1" {
			return boxedOne, nil
		}
		return boxedZero, nil
	case hookJSON:
		if _, ok := v.(string); ok {
			return v, nil
		}
		b, err := codec.MarshalJS(v)
		if err != nil {
			return v, nil
		}
		return string(b), nil
	}
	return v, nil
}

// boxedOne and boxedZero are the stored booleans, boxed once: converting a string to an interface
// allocates, and booleans are frequent. Never modified.
var (
	boxedOne  any = "1"
	boxedZero any = "0"
)

// geoPair reads {lat, lon}, {latitude, longitude} or [lat, lon].
func geoPair(v any) (float64, float64, bool) {
	if o, ok := v.(codec.Ordered); ok {
		m := make(map[string]any, len(o))
		for _, e := range o {
			m[e.Name] = e.Value
		}
		v = m
	}
	get := func(m map[string]any, a, b string) (float64, float64, bool) {
		x, ok1 := m[a]
		y, ok2 := m[b]
		if !ok1 || !ok2 {
			return 0, 0, false
		}
		lat, ok1 := codec.AsNumber(x)
		lon, ok2 := codec.AsNumber(y)
		return lat, lon, ok1 && ok2
	}
	switch t := v.(type) {
	case []any:
		if len(t) == 2 {
			lat, ok1 := codec.AsNumber(t[0])
			lon, ok2 := codec.AsNumber(t[1])
			return lat, lon, ok1 && ok2
		}
	case map[string]any:
		if lat, lon, ok := get(t, "lat", "lon"); ok {
			return lat, lon, true
		}
		return get(t, "latitude", "longitude")
	}
	return 0, 0, false
}
