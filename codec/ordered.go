package codec

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Member is one named entry of an Ordered object.
type Member struct {
	Name  string
	Value any
}

// Ordered is a JSON object that keeps the order in which its members were written. JavaScript
// objects remember insertion order and s3db.js depends on it: metadata keys are derived from the
// order of attribute definitions, and JSON bodies are written in property order. Go maps forget
// order, so definitions (and any value whose written key order matters) use Ordered.
//
// Values are strings, float64, bool, nil, []any, Ordered, or map[string]any.
type Ordered []Member

// Get returns the value stored under name.
func (f Ordered) Get(name string) (any, bool) {
	for _, e := range f {
		if e.Name == name {
			return e.Value, true
		}
	}
	return nil, false
}

// Set replaces the value under name, or appends it when absent.
func (f Ordered) Set(name string, def any) Ordered {
	for i, e := range f {
		if e.Name == name {
			f[i].Value = def
			return f
		}
	}
	return append(f, Member{Name: name, Value: def})
}

// Names lists the member names in order.
func (f Ordered) Names() []string {
	out := make([]string, len(f))
	for i, e := range f {
		out[i] = e.Name
	}
	return out
}

// UnmarshalJSON reads a JSON object keeping its key order; nested objects become Ordered too and
// numbers become float64, as in JavaScript.
func (f *Ordered) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return err
	}
	fs, ok := v.(Ordered)
	if !ok {
		return fmt.Errorf("want a JSON object, got %T", v)
	}
	*f = fs
	return nil
}

// MarshalJSON writes the members in their stored order with encoding/json's escaping. Use
// MarshalJS for JavaScript's JSON.stringify text.
func (f Ordered) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, e := range f {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(e.Name)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := json.Marshal(e.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// ParseOrdered parses JSON text keeping object key order: objects become Ordered, arrays []any,
// numbers float64.
func ParseOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			out := Ordered{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				out = out.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return out, nil
		case '[':
			out := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return out, nil
		}
		return nil, fmt.Errorf("unexpected JSON delimiter %q", t)
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return nil, err
		}
		return f, nil
	default:
		return t, nil // string, bool, nil
	}
}

// IsArrayIndex reports whether name is a JavaScript array index ("0" … "4294967294" written without
// leading zeros). JavaScript objects list such keys first, in ascending numeric order, before all other
// keys in insertion order; s3db.js bodies and mapped records follow that order.
func IsArrayIndex(name string) bool {
	if name == "" || len(name) > 10 || (len(name) > 1 && name[0] == '0') {
		return false
	}
	var n uint64
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + uint64(c-'0')
	}
	return n < 4294967295
}

// JSOrder returns the members in JavaScript property order: array-index names first in ascending
// numeric order, then the others in their current order. The receiver is not modified.
func (f Ordered) JSOrder() Ordered {
	out := append(Ordered(nil), f...)
	out.SortJS()
	return out
}

// SortJS puts the members into JavaScript property order in place. It is a stable insertion pass:
// records have tens of members, and most are already in place.
func (f Ordered) SortJS() {
	for i := 1; i < len(f); i++ {
		if !IsArrayIndex(f[i].Name) {
			continue
		}
		for j := i; j > 0; j-- {
			prev := f[j-1].Name
			if IsArrayIndex(prev) && !indexLess(f[j].Name, prev) {
				break
			}
			f[j-1], f[j] = f[j], f[j-1]
		}
	}
}

// InJSOrder reports whether the members already are in JavaScript property order.
func (f Ordered) InJSOrder() bool {
	prev, inIndex := "", true
	for _, m := range f {
		switch idx := IsArrayIndex(m.Name); {
		case idx && (!inIndex || prev != "" && indexLess(m.Name, prev)):
			return false
		case idx:
			prev = m.Name
		default:
			inIndex = false
		}
	}
	return true
}

// indexLess compares array-index names numerically (they have no leading zeros).
func indexLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Clone returns a deep copy of a JSON-like value (maps, Ordered, slices; scalars as they are), so
// that a record can be changed without touching the caller's.
func Clone(v any) any {
	switch t := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, x := range t {
			c[k] = Clone(x)
		}
		return c
	case Ordered:
		c := make(Ordered, len(t))
		for i, m := range t {
			c[i] = Member{Name: m.Name, Value: Clone(m.Value)}
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, x := range t {
			c[i] = Clone(x)
		}
		return c
	}
	return v
}
