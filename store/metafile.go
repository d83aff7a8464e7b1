package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

// S3dbVersion is the s3db.js release whose format this package writes; it goes into s3db.json.
const S3dbVersion = "21.6.2"

// metaFile is s3db.json as a JSON tree that keeps member order and every field it does not know
// (plugin settings, fields of newer s3db.js releases), so that a Go write never drops what a JS
// writer stored. Typed views read from it; changes touch only the resource being written.
type metaFile struct {
	root codec.Ordered
}

// CorruptMetadataError says s3db.json could not be read even after s3db.js's textual repairs. The
// bucket is left as it is: s3db.js would replace the file with a blank one (losing every resource
// definition); here nothing is written until someone decides.
type CorruptMetadataError struct {
	Key string
	Err error
}

func (e *CorruptMetadataError) Error() string {
	return fmt.Sprintf("%s is not valid JSON even after repairs (%v); nothing was changed: restore it from a backup "+
		"or a bucket version, or move it away to start with an empty database", e.Key, e.Err)
}

func (e *CorruptMetadataError) Unwrap() error { return ErrCorruptMetadata }

// ErrCorruptMetadata matches every CorruptMetadataError.
var ErrCorruptMetadata = errors.New("corrupt s3db.json")

var (
	reTrailingComma = regexp.MustCompile(`,(\s*[}\]])`)
	reBareKey       = regexp.MustCompile(`([{,]\s*)([a-zA-Z_$][a-zA-Z0-9_$]*)\s*:`)
)

// parseMetaFile reads s3db.json. Unparseable text gets s3db.js's three repairs in turn (drop
// trailing commas, quote bare keys, close open brackets); repaired says one was needed.
func parseMetaFile(key string, b []byte) (mf *metaFile, repaired bool, err error) {
	parse := func(text []byte) (codec.Ordered, error) {
		v, err := codec.ParseOrdered(text)
		if err != nil {
			return nil, err
		}
		o, ok := v.(codec.Ordered)
		if !ok {
			return nil, fmt.Errorf("want a JSON object, got %T", v)
		}
		return o, nil
	}
	root, err := parse(b)
	if err == nil {
		return &metaFile{root: root}, false, nil
	}
	for _, fix := range []func([]byte) []byte{
		func(t []byte) []byte { return reTrailingComma.ReplaceAll(t, []byte("$1")) },
		func(t []byte) []byte { return reBareKey.ReplaceAll(t, []byte(`$1"$2":`)) },
		closeBrackets,
	} {
		if r, ferr := parse(fix(b)); ferr == nil {
			return &metaFile{root: r}, true, nil
		}
	}
	return nil, false, &CorruptMetadataError{Key: key, Err: err}
}

// closeBrackets appends the brackets and braces left open outside strings.
func closeBrackets(t []byte) []byte {
	braces, brackets := 0, 0
	inString, escaped := false, false
	for _, c := range t {
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{':
			braces++
		case c == '}':
			braces--
		case c == '[':
			brackets++
		case c == ']':
			brackets--
		}
	}
	out := append([]byte(nil), t...)
	out = append(out, bytes.Repeat([]byte("]"), max(brackets, 0))...)
	return append(out, bytes.Repeat([]byte("}"), max(braces, 0))...)
}

// newMetaFile is the blank file s3db.js writes into an empty bucket.
func newMetaFile(now time.Time) *metaFile {
	return &metaFile{root: codec.Ordered{
		{Name: "version", Value: "1"},
		{Name: "s3dbVersion", Value: S3dbVersion},
		{Name: "lastUpdated", Value: codec.FormatISO(now)},
		{Name: "resources", Value: codec.Ordered{}},
	}}
}

// marshal is JSON.stringify(file, null, 2).
func (f *metaFile) marshal() ([]byte, error) {
	compact, err := codec.MarshalJS(f.root)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func (f *metaFile) resources() codec.Ordered {
	r, _ := f.root.Get("resources")
	o, _ := r.(codec.Ordered)
	return o
}

// resourceMeta is the typed view of one resource entry.
type resourceMeta struct {
	Name           string
	CurrentVersion string
	Def            Definition
	Hash           string
	Registry       *schema.Registry
	CreatedBy      string
}

// resource reads a resource entry; ok is false for a missing or unusable one (s3db.js drops those
// on load: no current version with an attributes object).
func (f *metaFile) resource(name string) (*resourceMeta, bool) {
	raw, ok := f.resources().Get(name)
	if !ok {
		return nil, false
	}
	res, ok := raw.(codec.Ordered)
	if !ok {
		return nil, false
	}
	rm := &resourceMeta{Name: name}
	cv, _ := res.Get("currentVersion")
	rm.CurrentVersion, _ = cv.(string)
	versions, _ := getOrdered(res, "versions")
	if rm.CurrentVersion == "" {
		rm.CurrentVersion = "v1"
	}
	version, ok := getOrdered(versions, rm.CurrentVersion)
	if !ok && len(versions) > 0 { // s3db.js falls back to the first version
		rm.CurrentVersion = versions[0].Name
		version, ok = versions[0].Value.(codec.Ordered)
	}
	if !ok {
		return nil, false
	}
	attrs, ok := getOrdered(version, "attributes")
	if !ok {
		return nil, false
	}
	rm.Def = Definition{Name: name, Attributes: attrs}
	if b, _ := version.Get("behavior"); b != nil {
		rm.Def.Behavior, _ = b.(string)
	}
	if ts, _ := version.Get("timestamps"); ts == true {
		rm.Def.Timestamps = true
	}
	if p, ok := getOrdered(res, "partitions"); ok {
		rm.Def.Partitions = p
	} else if p, ok := getOrdered(version, "partitions"); ok {
		rm.Def.Partitions = p
	}
	for _, flag := range []struct {
		name string
		dst  **bool
	}{{"paranoid", &rm.Def.Paranoid}, {"allNestedObjectsOptional", &rm.Def.AllNestedObjectsOptional}} {
		if v, ok := version.Get(flag.name); ok {
			if b, ok := v.(bool); ok {
				*flag.dst = &b
			}
		}
	}
	switch v, _ := version.Get("idSize"); n := v.(type) {
	case float64:
		rm.Def.IDSize = int(n)
	}
	if v, _ := version.Get("idGenerator"); v != nil {
		if n, ok := v.(float64); ok { // a number there is the id size (older files)
			rm.Def.IDSize = int(n)
		}
	}
	h, _ := version.Get("hash")
	rm.Hash, _ = h.(string)
	if by, _ := res.Get("createdBy"); by != nil {
		rm.CreatedBy, _ = by.(string)
	}
	if reg, ok := res.Get("schemaRegistry"); ok && reg != nil {
		b, err := codec.MarshalJS(reg)
		if err == nil {
			var r schema.Registry
			if json.Unmarshal(b, &r) == nil {
				rm.Registry = &r
			}
		}
	}
	return rm, true
}

// resourceNames lists the usable resources in file order.
func (f *metaFile) resourceNames() []string {
	var out []string
	for _, m := range f.resources() {
		if _, ok := f.resource(m.Name); ok {
			out = append(out, m.Name)
		}
	}
	return out
}

func getOrdered(o codec.Ordered, name string) (codec.Ordered, bool) {
	v, ok := o.Get(name)
	if !ok {
		return nil, false
	}
	r, ok := v.(codec.Ordered)
	return r, ok
}

// putResource records a resource definition the way s3db.js's metadata upload does: the same
// hash keeps the current version; a new hash adds v<max+1> (older versions stay) and moves
// currentVersion; createdBy is kept from the first write; the registry is stored as given (merge
// it with the file's first). It returns the version now current.
func (f *metaFile) putResource(def Definition, reg *schema.Registry, now time.Time) (string, error) {
	hash, err := def.Hash()
	if err != nil {
		return "", err
	}
	n := def.Normalized()
	resources := f.resources()
	existing, _ := getOrdered(resources, def.Name)
	versions, _ := getOrdered(existing, "versions")
	current, _ := existing.Get("currentVersion")
	currentName, _ := current.(string)
	if currentName == "" {
		currentName = "v1"
	}
	version := currentName
	createdAt := codec.FormatISO(now)
	if cur, ok := getOrdered(versions, currentName); ok {
		if h, _ := cur.Get("hash"); h == hash {
			if c, _ := cur.Get("createdAt"); c != nil {
				createdAt, _ = c.(string)
			}
		} else {
			version = nextVersion(versions)
		}
	} else {
		version = nextVersion(versions)
	}
	partitions := any(n.Partitions)
	if n.Partitions == nil {
		partitions = codec.Ordered{}
	}
	versionData := codec.Ordered{
		{Name: "hash", Value: hash},
		{Name: "attributes", Value: n.Attributes},
		{Name: "behavior", Value: n.Behavior},
		{Name: "timestamps", Value: n.Timestamps},
		{Name: "partitions", Value: partitions},
		{Name: "paranoid", Value: boolOr(n.Paranoid, true)},
		{Name: "allNestedObjectsOptional", Value: boolOr(n.AllNestedObjectsOptional, true)},
		{Name: "autoDecrypt", Value: true},
	}
	if existing == nil { // s3db.js leaves cache undefined (so absent) on an existing resource
		versionData = append(versionData, codec.Member{Name: "cache", Value: false})
	}
	versionData = append(versionData, codec.Ordered{
		{Name: "hooks", Value: partitionHooks(n)},
		{Name: "idSize", Value: float64(n.IDSize)},
		{Name: "idGenerator", Value: "default"},
		{Name: "createdAt", Value: createdAt},
	}...)
	createdBy := any("user")
	if by, ok := existing.Get("createdBy"); ok {
		createdBy = by
	}
	var regValue any
	if reg != nil {
		b, err := json.Marshal(reg)
		if err != nil {
			return "", err
		}
		regValue, err = codec.ParseOrdered(b)
		if err != nil {
			return "", err
		}
	}
	entry := codec.Ordered{
		{Name: "currentVersion", Value: version},
		{Name: "partitions", Value: partitions},
		{Name: "createdBy", Value: createdBy},
		{Name: "versions", Value: versions.Set(version, versionData)},
		{Name: "schemaRegistry", Value: regValue},
	}
	plugin, ok := existing.Get("pluginSchemaRegistry")
	if !ok {
		plugin = codec.Ordered{}
	}
	entry = append(entry, codec.Member{Name: "pluginSchemaRegistry", Value: plugin})
	// Keep what s3db.js or a newer release stored that this writer does not know.
	for _, m := range existing {
		if _, known := entry.Get(m.Name); !known {
			entry = append(entry, m)
		}
	}
	f.root = f.root.Set("resources", resources.Set(def.Name, entry))
	f.root = f.root.Set("lastUpdated", codec.FormatISO(now))
	return version, nil
}

// partitionHooks is the hook summary s3db.js stores for a resource with partitions (its internal
// partition hooks); functions themselves are never stored.
func partitionHooks(d Definition) any {
	if len(d.Partitions) == 0 {
		return codec.Ordered{}
	}
	summary := codec.Ordered{
		{Name: "count", Value: 1.0},
		{Name: "handlers", Value: []any{codec.Ordered{{Name: "name", Value: nil}, {Name: "length", Value: 1.0}, {Name: "type", Value: "function"}}}},
	}
	return codec.Ordered{{Name: "afterInsert", Value: summary}, {Name: "afterDelete", Value: summary}}
}

// nextVersion is v<max(N)+1> over the existing version names.
func nextVersion(versions codec.Ordered) string {
	highest := 0
	for _, m := range versions {
		if n, err := strconv.Atoi(strings.TrimPrefix(m.Name, "v")); err == nil && strings.HasPrefix(m.Name, "v") {
			highest = max(highest, n)
		}
	}
	return "v" + strconv.Itoa(highest+1)
}
