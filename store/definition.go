package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// Definition describes a resource as s3db.js's createResource takes it. Attributes and Partitions
// are ordered: metadata keys follow attribute order, and s3db.json is written in this order.
type Definition struct {
	Name       string
	Attributes codec.Ordered
	// Behavior is the 2 KB strategy; "" means user-managed (s3db.js's default).
	Behavior string
	// Timestamps adds createdAt/updatedAt (datetime|optional) and the byCreatedDate/byUpdatedDate
	// partitions, as s3db.js does.
	Timestamps bool
	// Partitions maps a partition name to {fields: {field: rule}}.
	Partitions codec.Ordered
	// Paranoid gates deleteAll; nil means true.
	Paranoid *bool
	// AllNestedObjectsOptional makes nested objects optional unless required; nil means true.
	AllNestedObjectsOptional *bool
	// IDSize is the length of generated ids; 0 means 22.
	IDSize int
	// IDGenerator, when set, makes the id of a record inserted without one (s3db.js's custom
	// idGenerator); an empty result falls back to a random id. It is not stored in s3db.json
	// (s3db.js records only that it is "custom").
	IDGenerator func(data map[string]any) string
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// Normalized returns the definition as s3db.js stores it: timestamps append createdAt and
// updatedAt (unless declared) and the two date partitions (unless defined).
func (d Definition) Normalized() Definition {
	n := d
	n.Attributes = append(codec.Ordered(nil), d.Attributes...)
	n.Partitions = append(codec.Ordered(nil), d.Partitions...)
	if n.Behavior == "" {
		n.Behavior = "user-managed"
	}
	if d.Timestamps {
		for _, f := range []string{"createdAt", "updatedAt"} {
			if _, ok := n.Attributes.Get(f); !ok {
				n.Attributes = append(n.Attributes, codec.Member{Name: f, Value: "datetime|optional"})
			}
		}
		for _, p := range []struct{ name, field string }{{"byCreatedDate", "createdAt"}, {"byUpdatedDate", "updatedAt"}} {
			if _, ok := n.Partitions.Get(p.name); !ok {
				n.Partitions = append(n.Partitions, codec.Member{Name: p.name, Value: codec.Ordered{
					{Name: "fields", Value: codec.Ordered{{Name: p.field, Value: "date|maxlength:10"}}},
				}})
			}
		}
	}
	if n.IDSize <= 0 {
		n.IDSize = codec.DefaultIDSize
	}
	return n
}

// Hash is the version hash s3db.js stores in s3db.json (versions[v].hash): SHA-256 of the stable
// JSON of {attributes (without the timestamp attributes when timestamps are on), behavior,
// partitions}. A changed hash makes a new resource version.
func (d Definition) Hash() (string, error) {
	n := d.Normalized()
	attrs := n.Attributes
	if n.Timestamps {
		attrs = make(codec.Ordered, 0, len(n.Attributes))
		for _, m := range n.Attributes {
			if m.Name != "createdAt" && m.Name != "updatedAt" {
				attrs = append(attrs, m)
			}
		}
	}
	partitions := n.Partitions
	if partitions == nil {
		partitions = codec.Ordered{}
	}
	b, err := codec.StableJSON(codec.Ordered{
		{Name: "attributes", Value: attrs},
		{Name: "behavior", Value: n.Behavior},
		{Name: "partitions", Value: partitions},
	})
	if err != nil {
		return "", fmt.Errorf("hash resource %q: %w", d.Name, err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// ParsePartitions reads partitions in either s3db.js form: an object {name: {fields: {…}}}, or the
// shorthand list ["status"] meaning {byStatus: {fields: {status: <the attribute's rule>}}}.
func ParsePartitions(v any, attrs codec.Ordered) (codec.Ordered, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case codec.Ordered:
		return t, nil
	case []any:
		out := codec.Ordered{}
		for _, f := range t {
			field, ok := f.(string)
			if !ok || field == "" {
				return nil, fmt.Errorf("partitions: want field names, got %v", f)
			}
			rule, _ := attrs.Get(field)
			ruleText, ok := rule.(string)
			if !ok {
				ruleText = "string"
			}
			name := "by" + strings.ToUpper(field[:1]) + field[1:]
			out = append(out, codec.Member{Name: name, Value: codec.Ordered{
				{Name: "fields", Value: codec.Ordered{{Name: field, Value: ruleText}}},
			}})
		}
		return out, nil
	}
	return nil, fmt.Errorf("partitions: want an object or a list of field names, got %T", v)
}

// checkPartitions refuses partitions whose fields are not attributes (s3db.js refuses them at
// creation; "_"-prefixed system fields pass), so that references are never built from fields a
// record cannot have.
func (d Definition) checkPartitions() error {
	n := d.Normalized()
	for _, p := range n.Partitions {
		def, _ := p.Value.(codec.Ordered)
		fields := partitionFieldNames(def)
		if len(fields) == 0 {
			return &PartitionError{Resource: d.Name, Partition: p.Name, Problem: "has no fields: define it as {fields: {field: rule}}"}
		}
		for _, f := range fields {
			if strings.HasPrefix(f, "_") {
				continue
			}
			if !hasAttribute(n.Attributes, f) {
				return &PartitionError{Resource: d.Name, Partition: p.Name,
					Problem: fmt.Sprintf("uses field %q, which is not an attribute: add it to the attributes or fix the name", f)}
			}
		}
	}
	return nil
}

func hasAttribute(attrs codec.Ordered, dotted string) bool {
	cur := attrs
	parts := strings.Split(dotted, ".")
	for i, part := range parts {
		v, ok := cur.Get(part)
		if !ok {
			return false
		}
		if i == len(parts)-1 {
			return true
		}
		if cur, ok = v.(codec.Ordered); !ok {
			return false
		}
	}
	return false
}
