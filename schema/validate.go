package schema

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// Encrypter encrypts secret attributes; *codec.Cipher implements it. Decrypt is used to recognise
// values that are already ciphertexts, which are stored unchanged (as s3db.js does).
type Encrypter interface {
	Encrypt(plaintext string) (string, error)
	Decrypt(stored string) (string, error)
}

// ValidatorOptions configure a Validator.
type ValidatorOptions struct {
	// Cipher encrypts secret attributes. Nil makes every secret value an encryptionKeyMissing error,
	// as s3db.js does without a passphrase.
	Cipher Encrypter
	// HashPassword returns the compact bcrypt hash ("$c$…") of a password attribute
	// (password, password:bcrypt). Nil makes every password value a passwordHashingProblem error:
	// storing the plaintext is never an option.
	HashPassword func(plain string) (string, error)
	// HashPasswordArgon2 does the same for password:argon2id ("$<v>|<m>|<t>|<p>$…"). Nil refuses
	// such values like HashPassword.
	HashPasswordArgon2 func(plain string) (string, error)
	// IsPasswordHash recognises stored hashes, which are kept as they are. Nil uses s3db.js's test
	// (codec.IsPasswordHash).
	IsPasswordHash func(s string) bool
	// AllNestedObjectsOptional makes nested plain objects optional unless their $$type says
	// "required". s3db.js resources default to true; pass true unless the resource says otherwise.
	AllNestedObjectsOptional bool
	// Normalizers replace the built-in checks of the s3db custom types; nil fields keep the
	// built-in ones: the s3db.js 21.6.2 validator aliases, which for the stored text types are
	// codec's Normalize* functions (offset-less date-times read as UTC; values s3db.js would
	// store lossily refused, see each function).
	Normalizers Normalizers
	// Now is unused today; it is reserved for rules that need the time.
	Now func() time.Time
}

// Normalizers are the checks of the s3db custom types. Each receives the raw value and returns
// the value to store, or an error when the value is invalid (the error text is not shown: the
// validator reports the s3db.js message of the type).
type Normalizers struct {
	Datetime, DateOnly, TimeOnly, MAC, CIDR, Semver, Phone, Color, Duration, Cron, Locale,
	Currency, Country, EAN func(v any) (any, error)
}

// Validator checks records against a resource definition and returns what s3db.js would store:
// the sanitised copy fastest-validator produces. It is immutable and safe for concurrent use.
type Validator struct {
	attrs codec.Ordered
	root  *Rule
	opts  ValidatorOptions
	norm  Normalizers
}

// NewValidator compiles attribute definitions (rule strings, object notation, nested plain objects)
// as s3db.js 21.6.2 compiles them for a Resource. Definitions s3db.js refuses, and the ones it
// accepts but cannot store (format §13.7), return a *DefinitionError.
func NewValidator(attrs codec.Ordered, opts ValidatorOptions) (*Validator, error) {
	processed, err := vPreprocess(attrs, "", opts.AllNestedObjectsOptional)
	if err != nil {
		return nil, err
	}
	root, err := vCompile(codec.Ordered{
		{Name: "type", Value: "object"},
		{Name: "props", Value: processed},
		{Name: "strict", Value: false},
	}, "")
	if err != nil {
		return nil, err
	}
	v := &Validator{attrs: attrs, root: root, opts: opts, norm: vBuiltinNormalizers()}
	v.norm.override(opts.Normalizers)
	return v, nil
}

// Rules returns the compiled top-level rules in definition order.
func (v *Validator) Rules() []Prop { return append([]Prop(nil), v.root.Props...) }

// Validate checks record and returns a new sanitised map, leaving record untouched: strings are
// trimmed, numbers and booleans converted, defaults applied, custom types normalised, secrets
// encrypted (values that already decrypt are kept), passwords hashed (existing hashes kept),
// json values that are not strings turned into JSON text, unknown keys removed from
// object-notation objects. Unknown top-level fields and unknown keys of nested plain objects are
// kept, as in s3db.js. The keys "__proto__", "constructor" and "prototype" are dropped at every
// level. A failed check returns a *ValidationError listing every problem.
func (v *Validator) Validate(ctx context.Context, record map[string]any) (map[string]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data := vApplyDefaults(v.attrs, vCloneMap(record))
	run := &vRun{ctx: ctx, v: v}
	out, _ := run.object(v.root, data, "", "", true)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(run.errs) > 0 {
		return nil, &ValidationError{Errors: run.errs}
	}
	obj, _ := out.(*vObject)
	res, _ := vExport(obj).(map[string]any)
	if res == nil {
		res = map[string]any{}
	}
	return res, nil
}

// vObject is a JavaScript object: keys in insertion order. ordered records whether it came from
// a codec.Ordered (and goes back as one).
type vObject struct {
	orderedMap[any]
	ordered bool
}

// vDangerousKey is s3db.js's isDangerousKey: sanitizeDeep drops these keys before validation.
func vDangerousKey(k string) bool {
	for _, part := range strings.Split(k, ".") {
		switch part {
		case "__proto__", "constructor", "prototype":
			return true
		}
	}
	return false
}

func vCloneMap(m map[string]any) *vObject {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := &vObject{orderedMap: orderedMap[any]{vals: make(map[string]any, len(m))}}
	for _, k := range keys {
		if !vDangerousKey(k) {
			o.set(k, vClone(m[k]))
		}
	}
	return o
}

// vClone deep-copies a record value into the validator's representation: objects become
// *vObject (dangerous keys dropped), numbers float64, other scalars stay.
func vClone(v any) any {
	switch t := v.(type) {
	case nil, string, bool, float64:
		return t
	case map[string]any:
		return vCloneMap(t)
	case codec.Ordered:
		o := &vObject{orderedMap: orderedMap[any]{vals: make(map[string]any, len(t))}, ordered: true}
		for _, m := range t {
			if !vDangerousKey(m.Name) {
				o.set(m.Name, vClone(m.Value))
			}
		}
		return o
	case *vObject:
		o := &vObject{orderedMap: orderedMap[any]{vals: make(map[string]any, len(t.keys))}, ordered: t.ordered}
		for _, k := range t.keys {
			o.set(k, vClone(t.vals[k]))
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = vClone(x)
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = x
		}
		return out
	case []float64:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = x
		}
		return out
	case []map[string]any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = vCloneMap(x)
		}
		return out
	}
	if f, ok := codec.AsNumber(v); ok {
		return f
	}
	return v
}

// vOrdered is v with every object as a codec.Ordered in its JavaScript key order, what
// JSON.stringify (codec.MarshalJS) of the validator's value writes.
func vOrdered(v any) any {
	switch t := v.(type) {
	case *vObject:
		if t == nil {
			return nil
		}
		out := make(codec.Ordered, 0, len(t.keys))
		for _, k := range t.keys {
			out = append(out, codec.Member{Name: k, Value: vOrdered(t.vals[k])})
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = vOrdered(x)
		}
		return out
	}
	return v
}

// vExport turns the validator's representation back into record values.
func vExport(v any) any {
	switch t := v.(type) {
	case *vObject:
		if t == nil {
			return nil
		}
		if t.ordered {
			out := make(codec.Ordered, 0, len(t.keys))
			for _, k := range t.keys {
				out = append(out, codec.Member{Name: k, Value: vExport(t.vals[k])})
			}
			return out
		}
		out := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			out[k] = vExport(t.vals[k])
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = vExport(x)
		}
		return out
	}
	return v
}
