package store

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/store/objstore"
)

// partition is one partition of a resource: a name and its fields with their rules.
type partition struct {
	name   string
	fields []partitionField // sorted by name, as s3db.js's localeCompare orders them
}

type partitionField struct{ name, rule string }

var reMaxLength = regexp.MustCompile(`maxlength:(\d+)`)

func (r *Resource) partitions() []partition {
	var out []partition
	for _, m := range r.def.Partitions {
		def, _ := m.Value.(codec.Ordered)
		fieldsV, _ := def.Get("fields")
		fields, _ := fieldsV.(codec.Ordered)
		p := partition{name: m.Name}
		for _, f := range fields {
			rule, _ := f.Value.(string)
			p.fields = append(p.fields, partitionField{f.Name, rule})
		}
		sort.SliceStable(p.fields, func(i, j int) bool { return localeLess(p.fields[i].name, p.fields[j].name) })
		out = append(out, p)
	}
	return out
}

// localeLess approximates JavaScript's localeCompare (ICU collation) for field names: case-
// insensitive first, then by code points. For the lower-case ASCII names schemas use it is the
// same order.
func localeLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

// referenceKey is the partition reference of a record, or "" when a field of the partition has no
// value (s3db.js writes no reference then).
func (r *Resource) referenceKey(p partition, rec Record, id string) string {
	parts := []string{"resource=" + r.def.Name, "partition=" + p.name}
	for _, f := range p.fields {
		v, ok := lookupPath(rec, f.name)
		if !ok || v == nil {
			return ""
		}
		parts = append(parts, f.name+"="+partitionValue(v, f.rule))
	}
	parts = append(parts, "id="+id)
	return path.Join(parts...) // s3db.js joins with path.join: "//" collapse, ".." resolve
}

// partitionValue applies a partition rule to a value: maxlength cuts to N UTF-16 units; a rule
// mentioning date turns date-times into YYYY-MM-DD; then JavaScript's String().
func partitionValue(v any, rule string) string {
	if s, ok := v.(string); ok {
		if strings.Contains(rule, "date") {
			if strings.Contains(s, "T") && strings.Contains(s, "Z") {
				s, _, _ = strings.Cut(s, "T")
			} else if iso, err := codec.NormalizeDatetime(s); err == nil {
				s = iso[:10]
			}
		}
		if m := reMaxLength.FindStringSubmatch(rule); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				s = cutUTF16(s, n)
			}
		}
		return s
	}
	return codec.JSString(v)
}

func cutUTF16(s string, n int) string {
	units := utf16.Encode([]rune(s))
	if len(units) <= n {
		return s
	}
	return string(utf16.Decode(units[:n]))
}

// references brings the partition references from before's to after's, at once or, with
// Options.AsyncPartitions, in the background (s3db.js's asyncPartitions: the write returns before
// its references exist; Database.Flush waits for them).
func (r *Resource) references(ctx context.Context, before, after Record) error {
	if len(r.partitions()) == 0 {
		return nil
	}
	if !r.db.opts.AsyncPartitions {
		return r.writeReferences(ctx, before, after)
	}
	r.db.background.Add(1)
	go func() {
		defer r.db.background.Done()
		if err := r.writeReferences(context.WithoutCancel(ctx), before, after); err != nil {
			r.db.log.Error("writing partition references in the background failed; RemoveOrphanedPartitions and a rewrite of the record repair it",
				"resource", r.def.Name, "err", err)
		}
	}()
	return nil
}

// writeReferences brings the partition references from before's to after's: references that
// changed are deleted, current ones written (an empty object with _v). Either may be nil.
func (r *Resource) writeReferences(ctx context.Context, before, after Record) error {
	parts := r.partitions()
	if len(parts) == 0 {
		return nil
	}
	want := map[string]bool{}
	if after != nil {
		id, _ := after["id"].(string)
		for _, p := range parts {
			if k := r.referenceKey(p, after, id); k != "" {
				want[k] = true
			}
		}
	}
	var stale []string
	if before != nil {
		id, _ := before["id"].(string)
		for _, p := range parts {
			if k := r.referenceKey(p, before, id); k != "" && !want[k] {
				stale = append(stale, k)
			}
		}
	}
	meta := map[string]string{"_v": codec.EncodeMeta(r.version)}
	for k := range want {
		if _, err := r.db.objs.Put(ctx, k, nil, objstore.PutOptions{Metadata: meta}); err != nil {
			return fmt.Errorf("write partition reference %s: %w", k, err)
		}
	}
	if len(stale) > 0 {
		if err := r.db.objs.DeleteMany(ctx, stale); err != nil {
			return fmt.Errorf("remove old partition references: %w", err)
		}
	}
	return nil
}

// ListIDsByPartition lists the ids of records whose partition fields have the given values. Unlike
// s3db.js (§13.13) it matches whole values: region=us does not match region=usa.
func (r *Resource) ListIDsByPartition(ctx context.Context, name string, values map[string]any) ([]string, error) {
	prefix, keep, err := r.idsScope(IDsOptions{Partition: name, Values: values})
	if err != nil {
		return nil, err
	}
	return r.listIDsWhere(ctx, prefix, 0, keep)
}

func (r *Resource) partitionNamed(name string) (*partition, error) {
	for _, q := range r.partitions() {
		if q.name == name {
			return &q, nil
		}
	}
	return nil, &PartitionError{Resource: r.def.Name, Partition: name, Problem: "is not defined"}
}

// GetFromPartition reads a record through a partition (s3db.js's getFromPartition): it is found
// only when its reference exists under the given values (one HEAD), then read. Every field of the
// partition needs a value; a record outside the partition is a *NotFoundError.
func (r *Resource) GetFromPartition(ctx context.Context, name string, values map[string]any, id string) (Record, error) {
	p, err := r.partitionNamed(name)
	if err != nil {
		return nil, err
	}
	key := "resource=" + r.def.Name + "/partition=" + p.name
	for _, f := range p.fields {
		v, ok := values[f.name]
		if !ok || v == nil {
			return nil, &PartitionError{Resource: r.def.Name, Partition: name, Problem: fmt.Sprintf("needs a value for %q", f.name)}
		}
		key += "/" + f.name + "=" + partitionValue(v, f.rule)
	}
	if err := codec.ValidateID(id); err != nil {
		return nil, err
	}
	if _, err := r.db.objs.Head(ctx, key+"/id="+id); err != nil {
		if objstore.IsNotFound(err) {
			return nil, &NotFoundError{Resource: r.def.Name, ID: id}
		}
		return nil, fmt.Errorf("get %s %q from partition %s: %w", r.def.Name, id, name, err)
	}
	return r.Get(ctx, id)
}

// PartitionError is a bad partition name or value.
type PartitionError struct {
	Resource, Partition, Problem string
}

func (e *PartitionError) Error() string {
	return fmt.Sprintf("partition %q of %s %s", e.Partition, e.Resource, e.Problem)
}
