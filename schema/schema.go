package schema

import (
	"math"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// Cipher encrypts and decrypts secret fields; *codec.Cipher implements it.
type Cipher interface {
	Encrypt(plaintext string) (string, error)
	Decrypt(stored string) (string, error)
}

// Options configure a Schema.
type Options struct {
	// Version is the resource version written to every record as _v ("v1").
	Version string
	// Registry is the persisted schemaRegistry of the resource. It is not modified; the schema works
	// on a copy, available from Registry(). Nil derives indexes from the key-list order, as s3db.js
	// does for an s3db.json written without a registry.
	Registry *Registry
	// Cipher encrypts secret attributes on Map and decrypts them on Unmap. Nil leaves them as they are.
	Cipher Cipher
	// Now stamps burned registry entries; nil means time.Now.
	Now func() time.Time
}

// Schema is a compiled resource definition: attribute paths, their metadata keys and their value
// encodings. It is immutable after New and safe for concurrent use.
type Schema struct {
	attrs    codec.Ordered
	version  string
	keys     []string
	rank     map[string]int
	toKey    map[string]string
	fromKey  map[string]string
	hooks    []hook
	hookAt   map[string]hook
	registry *Registry
	changed  bool
	cipher   Cipher
	root     *node
	nodes    map[string]*node
	props    map[string]propField // by stored (sanitised) name
}

// New compiles attribute definitions against a registry.
func New(attrs codec.Ordered, opts Options) (*Schema, error) {
	if opts.Version == "" {
		opts.Version = "v1"
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	s := &Schema{attrs: attrs, version: opts.Version, cipher: opts.Cipher}
	s.keys = KeyList(attrs)
	s.rank = make(map[string]int, len(s.keys))
	for i, k := range s.keys {
		s.rank[k] = i
	}
	if opts.Registry != nil {
		s.registry = opts.Registry.Clone()
		var changed bool
		s.toKey, changed = s.registry.assign(s.keys, now())
		s.changed = changed
	} else {
		s.registry = initialRegistry(s.keys)
		s.toKey, _ = s.registry.assign(s.keys, now())
		s.changed = true
	}
	s.fromKey = make(map[string]string, len(s.toKey))
	for attr, key := range s.toKey {
		s.fromKey[key] = attr
	}
	s.hooks = collectHooks(attrs)
	s.hookAt = make(map[string]hook, len(s.hooks))
	for _, h := range s.hooks {
		s.hookAt[h.path] = h
	}
	s.compileNodes()
	s.compileProps()
	return s, nil
}

// Attributes returns the definitions the schema was compiled from.
func (s *Schema) Attributes() codec.Ordered { return s.attrs }

// Version is the version written as _v.
func (s *Schema) Version() string { return s.version }

// Registry returns a copy of the registry after key assignment; persist it when RegistryChanged.
func (s *Schema) Registry() *Registry { return s.registry.Clone() }

// RegistryChanged reports whether compiling assigned or burned an index, so s3db.json must be
// written before any record uses the new keys.
func (s *Schema) RegistryChanged() bool { return s.changed }

// Keys returns attribute path → metadata key for every mapped attribute.
func (s *Schema) Keys() map[string]string {
	out := make(map[string]string, len(s.toKey))
	for k, v := range s.toKey {
		out[k] = v
	}
	return out
}

// KeyOf returns the metadata key of an attribute path.
func (s *Schema) KeyOf(path string) (string, bool) {
	k, ok := s.toKey[path]
	return k, ok
}

// MapJSON is the JSON text of the attribute→key map in key-list order, as body-only records carry
// it in their _map metadata.
func (s *Schema) MapJSON() string {
	o := make(codec.Ordered, 0, len(s.keys))
	for _, k := range s.keys {
		if key, ok := s.toKey[k]; ok {
			o = append(o, codec.Member{Name: k, Value: key})
		}
	}
	b, err := codec.MarshalJS(o)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func (s *Schema) rankOf(path string) int {
	if r, ok := s.rank[path]; ok {
		return r
	}
	// A path below a mapped object keeps its ancestor's position.
	for {
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return len(s.rank)
		}
		path = path[:i]
		if r, ok := s.rank[path]; ok {
			return r
		}
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Declared reports whether an attribute path has a definition in the schema.
func (s *Schema) Declared(path string) bool { return definitionAt(s.attrs, path) != nil }
