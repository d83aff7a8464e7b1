package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// kind is how a CSV cell becomes a value.
type kind int

const (
	kindString  kind = iota // as it is
	kindNumber              // a JSON number
	kindBoolean             // true/false (also 1/0, yes/no)
	kindJSON                // arrays, objects, embeddings, json: the cell is JSON text
)

// column is one CSV column: the path of the field it fills (a dotted header fills a nested field)
// and how its cells are read.
type column struct {
	name string
	path []string
	kind kind
}

// columnTyper types CSV columns from a resource's attribute definitions.
type columnTyper struct{ attrs codec.Ordered }

// columns types the header. An empty cell leaves the field out (the schema's default or optional
// applies). Columns without an attribute are strings.
func (t columnTyper) columns(header []string) ([]column, error) {
	seen := map[string]bool{}
	cols := make([]column, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("CSV header column %d is empty", i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("CSV header column %q appears twice", h)
		}
		seen[h] = true
		path := strings.Split(h, ".")
		cols[i] = column{name: h, path: path, kind: kindOf(lookupDef(t.attrs, path))}
	}
	return cols, nil
}

// lookupDef is the definition of the attribute at path (nil when there is none).
func lookupDef(attrs codec.Ordered, path []string) any {
	var def any = attrs
	for _, p := range path {
		o, ok := def.(codec.Ordered)
		if !ok {
			return nil
		}
		if props, ok := o.Get("props"); ok { // {type: "object", props: {...}}
			if po, ok := props.(codec.Ordered); ok {
				o = po
			}
		}
		if def, ok = o.Get(p); !ok {
			return nil
		}
	}
	return def
}

// kindOf reads an attribute definition: a rule text ("number|integer|optional",
// "array|items:string", "embedding:1536"), an object with a type ({type: "number"}), or a nested
// object definition.
func kindOf(def any) kind {
	var typ string
	switch d := def.(type) {
	case nil:
		return kindString
	case string:
		typ = d
	case codec.Ordered:
		t, ok := d.Get("type")
		s, isText := t.(string)
		if !ok || !isText {
			return kindJSON // a nested object
		}
		typ = s
	default:
		return kindString
	}
	typ, _, _ = strings.Cut(typ, "|")
	typ, _, _ = strings.Cut(typ, ":")
	switch strings.TrimSpace(typ) {
	case "number":
		return kindNumber
	case "boolean":
		return kindBoolean
	case "array", "object", "json", "embedding", "multi":
		return kindJSON
	}
	return kindString
}

// buildRow makes a record of a CSV record.
func buildRow(cols []column, rec []string) (map[string]any, error) {
	out := make(map[string]any, len(cols))
	for i, c := range cols {
		cell := rec[i]
		if cell == "" {
			continue
		}
		v, err := c.kind.convert(cell)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", c.name, err)
		}
		setPath(out, c.path, v)
	}
	return out, nil
}

func (k kind) convert(cell string) (any, error) {
	switch k {
	case kindNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", cell)
		}
		return f, nil
	case kindBoolean:
		switch strings.ToLower(strings.TrimSpace(cell)) {
		case "true", "1", "yes":
			return true, nil
		case "false", "0", "no":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not a boolean (true/false)", cell)
	case kindJSON:
		var v any
		if err := json.Unmarshal([]byte(cell), &v); err != nil {
			return nil, fmt.Errorf("%q is not JSON (arrays and objects are JSON text in CSV): %v", cell, err)
		}
		return v, nil
	}
	return cell, nil
}

func setPath(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}
