package schema

import (
	"math"
	"sort"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// node is one attribute path of the definition tree, with everything the mapper needs about it
// resolved once at compile time: its metadata key, hook and text encoding. Mapping a record walks
// the data along these nodes instead of re-reading definition strings for every value.
type node struct {
	name      string
	path      string
	key       string // metadata key; "" when the path has none
	rank      int    // position in the key list (schema order)
	hook      hook
	hasHook   bool
	text      textKind
	numberDef bool // the definition mentions "number" (the mapper's raw-number rule)
	declared  bool
	anyType   bool // declared as any, a nested object or object notation: JSON-looking text is parsed on read
	arrayDef  bool
	children  []*node // in schema order
	byName    map[string]*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	return n.byName[name]
}

// compileNodes builds the node tree and the path index.
func (s *Schema) compileNodes() {
	s.root = &node{rank: -1, byName: map[string]*node{}}
	s.nodes = map[string]*node{}
	var build func(parent *node, defs codec.Ordered, prefix string)
	build = func(parent *node, defs codec.Ordered, prefix string) {
		for _, m := range defs {
			if strings.HasPrefix(m.Name, "$$") {
				continue
			}
			p := joinPath(prefix, m.Name)
			n := s.newNode(m.Name, p, m.Value)
			parent.children = append(parent.children, n)
			parent.byName[m.Name] = n
			s.nodes[p] = n
			if sub, ok := m.Value.(codec.Ordered); ok && len(sub) > 0 {
				build(n, sub, p)
			}
		}
		sort.SliceStable(parent.children, func(i, j int) bool { return parent.children[i].rank < parent.children[j].rank })
	}
	build(s.root, s.attrs, "")
}

func (s *Schema) newNode(name, path string, def any) *node {
	n := &node{name: name, path: path, key: s.toKey[path], rank: s.rankOf(path), byName: map[string]*node{}, declared: true}
	if h, ok := s.hookAt[path]; ok {
		n.hook, n.hasHook = h, true
	}
	d, _ := def.(string)
	n.text = textType(d)
	n.numberDef = strings.Contains(d, "number")
	n.arrayDef = strings.Contains(d, "array")
	n.anyType = isAnyType(d) // also nested objects and object notation (d == "")
	return n
}

// propField is a property of an object-notation attribute ({type:"object", props:{…}}). s3db.js
// 21.6.2 never maps these: it stores them under their sanitised dotted path (profile_city) and reads
// them back as top-level strings (format spec §13.4). Go reads them back where they belong.
type propField struct {
	path string // profile.city
	def  string // the property's rule
}

// compileProps indexes every object-notation property by the metadata name s3db.js stores it under.
func (s *Schema) compileProps() {
	var walk func(defs codec.Ordered, prefix string)
	walk = func(defs codec.Ordered, prefix string) {
		for _, m := range defs {
			sub, ok := m.Value.(codec.Ordered)
			if !ok || strings.HasPrefix(m.Name, "$$") {
				continue
			}
			p := joinPath(prefix, m.Name)
			if t, _ := sub.Get("type"); t == "object" {
				props, ok := sub.Get("props")
				if !ok {
					props, ok = sub.Get("properties")
				}
				if po, isObj := props.(codec.Ordered); ok && isObj {
					s.addProps(po, p)
				}
				continue
			}
			walk(sub, p)
		}
	}
	walk(s.attrs, "")
}

func (s *Schema) addProps(props codec.Ordered, prefix string) {
	for _, m := range props {
		p := joinPath(prefix, m.Name)
		switch d := m.Value.(type) {
		case string:
			if s.props == nil {
				s.props = map[string]propField{}
			}
			s.props[codec.SanitizeMetaName(p)] = propField{path: p, def: d}
		case codec.Ordered:
			if sub, ok := d.Get("props"); ok {
				if so, ok := sub.(codec.Ordered); ok {
					s.addProps(so, p)
				}
				continue
			}
			if t, _ := d.Get("type"); t == nil {
				s.addProps(d, p)
			}
		}
	}
}

// decode turns the stored text of a property into its declared type.
func (pf propField) decode(v any) any {
	str, ok := v.(string)
	if !ok {
		return v
	}
	switch {
	case strings.Contains(pf.def, "number"):
		if f := codec.ParseJSNumber(str); !math.IsNaN(f) {
			return f
		}
	case strings.Contains(pf.def, "boolean"):
		switch str {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return v
}

// nodeAt returns the node of a dotted path, or nil for paths the schema does not declare.
func (s *Schema) nodeAt(path string) *node { return s.nodes[path] }
