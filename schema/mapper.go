package schema

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// Map turns a validated record (without its id) into the mapped form that s3db.js stores: short
// metadata keys, every value encoded by its attribute type, "_v" added, members in JavaScript
// property order (array-index keys first), ready for a behavior to split into metadata and body.
// Values are strings, except unmapped numbers and booleans (kept raw, as s3db.js does) and nil.
func (s *Schema) Map(rec map[string]any) (codec.Ordered, error) {
	obj, _ := deepCopy(rec).(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	for _, h := range s.hooks {
		v, ok := getPath(obj, h.path)
		if !ok {
			continue
		}
		nv, err := s.applyMapHook(h, v)
		if err != nil {
			return nil, fmt.Errorf("map %s: %w", h.path, err)
		}
		setPath(obj, h.path, nv)
	}
	flat := flatten(obj, s.rankOf)
	out := make(codec.Ordered, 0, len(flat)+1)
	out = append(out, codec.Member{Name: "_v", Value: s.version})
	for _, pv := range flat {
		key, ok := s.toKey[pv.path]
		if !ok {
			key = pv.path
		}
		out = append(out, codec.Member{Name: key, Value: s.mapValue(pv.path, pv.value)})
	}
	return out.JSOrder(), nil
}

// mapValue is the mapper's own per-value step, after hooks.
func (s *Schema) mapValue(path string, v any) any {
	def := s.definition(path)
	if k := textType(def); k != textNone {
		switch t := v.(type) {
		case string:
			if t != "" {
				return k.encode(t)
			}
		case time.Time:
			if k == textDatetime || k == textDateOnly || k == textTimeOnly {
				return k.encode(codec.FormatISO(t))
			}
		default:
			if f, ok := toNumber(v); ok && k == textDuration && finite(f) && f >= 0 {
				return codec.EncodeInteger(math.Floor(f + 0.5))
			}
		}
		return normalizeRaw(v)
	}
	if f, ok := toNumber(v); ok && strings.Contains(def, "number") {
		return codec.EncodeInteger(f)
	}
	switch t := v.(type) {
	case string:
		if t == "[object Object]" {
			return "{}"
		}
		return t
	case []any, map[string]any, codec.Ordered:
		b, err := codec.MarshalJS(t)
		if err != nil {
			return jsString(t)
		}
		return string(b)
	}
	return normalizeRaw(v)
}

// normalizeRaw turns Go numbers into float64 so that mapped values are JSON-like.
func normalizeRaw(v any) any {
	if f, ok := toNumber(v); ok {
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
		text := jsString(v)
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
		if f, ok := toNumber(v); ok {
			return codec.EncodeMoney(f, h.param), nil
		}
	case hookDecimal:
		if f, ok := toNumber(v); ok {
			return codec.EncodeDecimal(f, h.param), nil
		}
	case hookGeoLat:
		if f, ok := toNumber(v); ok {
			return codec.EncodeGeoLat(f, h.param), nil
		}
	case hookGeoLon:
		if f, ok := toNumber(v); ok {
			return codec.EncodeGeoLon(f, h.param), nil
		}
	case hookGeoPoint:
		if lat, lon, ok := geoPair(v); ok {
			return codec.EncodeGeoPoint(lat, lon, h.param), nil
		}
	case hookInteger, hookNumber:
		f, ok := toNumber(v)
		if !ok {
			str, isStr := v.(string)
			if !isStr || str == "" {
				return v, nil
			}
			if f, ok = jsNumberFromString(str); !ok {
				return v, nil
			}
		}
		if h.kind == hookInteger {
			return codec.EncodeInteger(f), nil
		}
		return codec.EncodeNumber(f), nil
	case hookBool:
		return codec.EncodeBool(v), nil
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
		lat, ok1 := toNumber(x)
		lon, ok2 := toNumber(y)
		return lat, lon, ok1 && ok2
	}
	switch t := v.(type) {
	case []any:
		if len(t) == 2 {
			lat, ok1 := toNumber(t[0])
			lon, ok2 := toNumber(t[1])
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
