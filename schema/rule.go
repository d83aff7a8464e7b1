package schema

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// Rule is one compiled validation rule: what fastest-validator builds from one attribute definition
// after s3db.js has rewritten it (custom types turned into aliases, `|` shorthand expanded, nested
// plain objects turned into object rules) and after aliases and the s3db.js defaults (trim strings,
// convert numbers and booleans, strip unknown keys of object-notation objects) were merged in.
type Rule struct {
	// Type is the fastest-validator rule: "string", "number", "boolean", "array", "object", "any",
	// "email", "url", "uuid", "enum", "equal", "forbidden", "luhn", "mac" or "custom".
	Type string
	// Alias is the alias the definition named ("secret", "json", "datetime", "embedding",
	// "s3db-mac", …), empty for plain rules.
	Alias string
	// Optional allows a missing value (and null); Nullable allows null.
	Optional, Nullable bool
	// Default replaces a missing or null value when HasDefault. It is stored without validation,
	// as fastest-validator does.
	Default    any
	HasDefault bool
	// Label replaces the field name in messages.
	Label string
	// Items is the rule of array items (nil: items are not checked).
	Items *Rule
	// Props are the rules of object properties in definition order (HasProps false: any object).
	Props    []Prop
	HasProps bool
	// Strict is what an object rule does with unknown properties: "" keeps them, "remove" drops
	// them, "error" reports objectStrict.
	Strict string
	// Schema is the resolved fastest-validator schema the rule was compiled from.
	Schema codec.Ordered

	custom   string
	messages map[string]string
	p        ruleParams
}

// Prop is one property of an object rule.
type Prop struct {
	Name string
	Rule *Rule
}

// vOptNum is an optional numeric rule parameter.
type vOptNum struct {
	v  float64
	ok bool
}

type ruleParams struct {
	min, max, length, equal, notEqual, minProps, maxProps vOptNum
	padStart, padEnd                                      vOptNum
	padChar                                               string
	integer, positive, negative, convert                  bool
	trim, trimLeft, trimRight, lowercase, uppercase       bool
	numeric, alpha, alphanum, alphadash, hex, singleLine  bool
	base64, unique, normalize, strictEq, remove           bool
	emptyFalse, emptyTrue, emptyTruthy                    bool
	pattern                                               *regexp.Regexp
	patternText                                           string
	contains                                              any
	hasContains                                           bool
	enum                                                  []any
	hasEnum                                               bool
	values                                                []any
	precise                                               bool
	uuidVersion                                           vOptNum
	equalValue                                            any
	equalField                                            string
}

// vRuleNames are fastest-validator 1.19's rules; the ones s3db-go does not implement are refused
// with an explanation instead of "Invalid type".
var vRuleNames = map[string]string{
	"any": "", "array": "", "boolean": "", "custom": "", "email": "", "enum": "", "equal": "",
	"forbidden": "", "number": "", "object": "", "string": "", "url": "", "uuid": "", "luhn": "",
	"mac":      "",
	"class":    "needs a JavaScript class and cannot hold JSON data",
	"function": "needs a JavaScript function and cannot hold JSON data",
	"objectID": "needs a MongoDB ObjectID and cannot hold JSON data",
	"currency": "(fastest-validator's currency-format rule) is not supported by s3db-go; use 'string|pattern:…' or s3db's 'currency' for ISO codes",
	"multi":    "(alternative rules) is not supported by s3db-go; use 'any' or 'json'",
	"record":   "is not supported by s3db-go; use 'object' or 'json'",
	"tuple":    "is not supported by s3db-go; use 'array' or 'json'",
	"date": "cannot be stored: s3db.js turns Date objects into {} before validation and rejects every " +
		"string, so no value ever validates; use 'datetime' (ISO 8601 text or epoch ms) or 'dateonly'",
}

// vAlias is one alias registered by s3db.js's Validator.
type vAlias struct {
	schema codec.Ordered
	custom string
}

var vSecretMessages = codec.Ordered{
	{Name: "string", Value: "The '{field}' field must be a string."},
	{Name: "stringMin", Value: "This secret '{field}' field length must be at least {expected} long."},
}

var vPasswordMessages = codec.Ordered{
	{Name: "string", Value: "The '{field}' field must be a string."},
	{Name: "stringMin", Value: "This password '{field}' field length must be at least {expected} long."},
}

func vAliasOf(name string) (vAlias, bool) {
	typ := func(t string) codec.Ordered { return codec.Ordered{{Name: "type", Value: t}} }
	switch name {
	case "secret":
		return vAlias{append(typ("string"), codec.Member{Name: "messages", Value: vSecretMessages}), "secret"}, true
	case "secretAny":
		return vAlias{typ("any"), "secret"}, true
	case "secretNumber":
		return vAlias{typ("number"), "secret"}, true
	case "password", "password:bcrypt":
		return vAlias{append(typ("string"), codec.Member{Name: "messages", Value: vPasswordMessages}), "password:bcrypt"}, true
	case "password:argon2id":
		return vAlias{append(typ("string"), codec.Member{Name: "messages", Value: vPasswordMessages}), "password:argon2id"}, true
	case "json":
		return vAlias{typ("any"), "json"}, true
	case "embedding":
		return vAlias{codec.Ordered{{Name: "type", Value: "array"}, {Name: "items", Value: "number"}, {Name: "empty", Value: false}}, ""}, true
	case "datetime", "dateonly", "timeonly", "s3db-mac", "cidr", "semver", "phone", "color", "duration",
		"cron", "locale", "s3db-currency", "country", "ean", vGeoPointAlias:
		return vAlias{typ("any"), name}, true
	}
	return vAlias{}, false
}

// vGeoPointAlias is s3db-go's own alias for geo:point, which s3db.js validates as a required 'any'.
const vGeoPointAlias = "s3db-geo-point"

// vTypeDefaults are the rule defaults s3db.js passes to fastest-validator.
func vTypeDefaults(t string) codec.Ordered {
	switch t {
	case "string":
		return codec.Ordered{{Name: "trim", Value: true}}
	case "object":
		return codec.Ordered{{Name: "strict", Value: "remove"}}
	case "number", "boolean":
		return codec.Ordered{{Name: "convert", Value: true}}
	}
	return nil
}

// vObjectTypes are the object-notation types s3db.js recognises; any other object is a nested
// plain object (even one with a "type" member).
var vObjectTypes = map[string]bool{
	"string": true, "number": true, "boolean": true, "any": true, "object": true, "array": true,
	"date": true, "dateonly": true, "datetime": true, "timeonly": true, "email": true, "url": true,
	"uuid": true, "mac": true, "cidr": true, "semver": true, "phone": true, "color": true,
	"duration": true, "cron": true, "locale": true, "currency": true, "country": true, "ean": true,
	"enum": true, "custom": true, "ip4": true, "ip6": true, "buffer": true, "bits": true,
	"money": true, "crypto": true, "decimal": true, "geo:lat": true, "geo:lon": true,
	"geo:point": true, "geo-lat": true, "geo-lon": true, "geo-point": true, "secret": true,
	"password": true, "password:bcrypt": true, "password:argon2id": true, "embedding": true,
}

var (
	vReMoneyPrefix   = regexp.MustCompile(`^(?:money|crypto)(?::\d+)?`)
	vReDecimalPrefix = regexp.MustCompile(`^decimal(:\d+)?`)
	vReGeoLatPrefix  = regexp.MustCompile(`^geo:lat(:\d+)?`)
	vReGeoLonPrefix  = regexp.MustCompile(`^geo:lon(:\d+)?`)
	vReEmbeddingLen  = regexp.MustCompile(`embedding:(\d+)`)
)

func vIsOrPrefix(s, name string) bool { return s == name || strings.HasPrefix(s, name+"|") }

// vAsOrdered returns objects as Ordered (a map[string]any gets its keys sorted).
func vAsOrdered(v any) (codec.Ordered, bool) {
	switch t := v.(type) {
	case codec.Ordered:
		return t, true
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(codec.Ordered, 0, len(keys))
		for _, k := range keys {
			out = append(out, codec.Member{Name: k, Value: t[k]})
		}
		return out, true
	}
	return nil, false
}

func vWithout(o codec.Ordered, names ...string) codec.Ordered {
	out := make(codec.Ordered, 0, len(o))
	for _, m := range o {
		drop := false
		for _, n := range names {
			if m.Name == n {
				drop = true
			}
		}
		if !drop {
			out = append(out, m)
		}
	}
	return out
}

// vPreprocess rewrites attribute definitions the way s3db.js's ResourceValidator does before
// compiling them (preprocessAttributesForValidation), refusing the types that cannot round-trip.
func vPreprocess(attrs codec.Ordered, prefix string, allOptional bool) (codec.Ordered, error) {
	out := make(codec.Ordered, 0, len(attrs))
	for _, m := range attrs {
		path := joinAttrPath(prefix, m.Name)
		v, err := vPreprocessOne(m.Name, m.Value, path, allOptional)
		if err != nil {
			return nil, err
		}
		out = append(out, codec.Member{Name: m.Name, Value: v})
	}
	return out, nil
}

func joinAttrPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func vRefuseBinary(path, def string) error {
	return &DefinitionError{Attribute: path, Problem: fmt.Sprintf("type %q cannot be stored faithfully: "+
		"s3db.js turns the Buffer into an object of numbered keys that read back as separate fields "+
		"(format §13.7); store base64 text in a 'string' attribute instead", def)}
}

func vPreprocessOne(key string, def any, path string, allOptional bool) (any, error) {
	if s, ok := def.(string); ok {
		return vPreprocessString(s, path)
	}
	obj, ok := vAsOrdered(def)
	if !ok {
		return def, nil
	}
	typeValue, _ := obj.Get("type")
	ts, isStr := typeValue.(string)
	if isStr && !strings.Contains(ts, "|") && key != "$$type" &&
		(vObjectTypes[ts] || strings.HasPrefix(ts, "bits:") || strings.HasPrefix(ts, "embedding:")) {
		clean := vWithout(obj, "__plugin__", "__pluginCreated__")
		setType := func(t string) codec.Ordered { return append(codec.Ordered(nil), clean...).Set("type", t) }
		setDefault := func(o codec.Ordered, name string, v float64) codec.Ordered {
			if cur, has := o.Get(name); !has || cur == nil {
				return o.Set(name, v)
			}
			return o
		}
		switch {
		case ts == "mac":
			return setType("s3db-mac"), nil
		case ts == "currency":
			return setType("s3db-currency"), nil
		case ts == "ip4", ts == "ip6":
			return setType("string"), nil
		case ts == "buffer", ts == "bits", strings.HasPrefix(ts, "bits:"):
			return nil, vRefuseBinary(path, ts)
		case ts == "money", ts == "crypto":
			return setDefault(setType("number"), "min", 0), nil
		case ts == "decimal":
			return setType("number"), nil
		case ts == "geo:lat", ts == "geo-lat":
			return setDefault(setDefault(setType("number"), "min", -90), "max", 90), nil
		case ts == "geo:lon", ts == "geo-lon":
			return setDefault(setDefault(setType("number"), "min", -180), "max", 180), nil
		case ts == "geo:point", ts == "geo-point":
			return setType(vGeoPointAlias), nil
		case ts == "object":
			for _, name := range []string{"properties", "props"} {
				sub, has := clean.Get(name)
				subObj, isObj := vAsOrdered(sub)
				if !has || !isObj || !vTruthy(sub) {
					continue
				}
				pp, err := vPreprocess(subObj, path, allOptional)
				if err != nil {
					return nil, err
				}
				return append(codec.Ordered(nil), clean...).Set(name, pp), nil
			}
		}
		return clean, nil
	}
	// A nested plain object: an object rule, optional unless its $$type says required.
	props, err := vPreprocess(obj, path, allOptional)
	if err != nil {
		return nil, err
	}
	cfg := codec.Ordered{{Name: "type", Value: "object"}, {Name: "props", Value: props}, {Name: "strict", Value: false}}
	meta, _ := obj.Get("$$type")
	metaStr, _ := meta.(string)
	if !strings.Contains(metaStr, "required") && (strings.Contains(metaStr, "optional") || allOptional) {
		cfg = cfg.Set("optional", true)
	}
	return cfg, nil
}

func vPreprocessString(s, path string) (any, error) {
	switch {
	case vIsOrPrefix(s, "mac"):
		return "s3db-mac" + s[3:], nil
	case vIsOrPrefix(s, "currency"):
		return "s3db-currency" + s[8:], nil
	case vIsOrPrefix(s, "ip4"), vIsOrPrefix(s, "ip6"):
		return "string" + s[3:], nil
	case vIsOrPrefix(s, "buffer"), s == "bits", strings.HasPrefix(s, "bits:"), strings.HasPrefix(s, "bits|"):
		return nil, vRefuseBinary(path, s)
	case s == "money" || strings.HasPrefix(s, "money:") || strings.HasPrefix(s, "money|") ||
		s == "crypto" || strings.HasPrefix(s, "crypto:") || strings.HasPrefix(s, "crypto|"):
		rest := vReMoneyPrefix.ReplaceAllString(s, "")
		if strings.Contains(rest, "min:") {
			return "number" + rest, nil
		}
		return "number|min:0" + rest, nil
	case s == "decimal" || strings.HasPrefix(s, "decimal:") || strings.HasPrefix(s, "decimal|"):
		return "number" + vReDecimalPrefix.ReplaceAllString(s, ""), nil
	case strings.HasPrefix(s, "geo:lat"):
		return vGeoRange(vReGeoLatPrefix.ReplaceAllString(s, ""), "-90", "90"), nil
	case strings.HasPrefix(s, "geo:lon"):
		return vGeoRange(vReGeoLonPrefix.ReplaceAllString(s, ""), "-180", "180"), nil
	case strings.HasPrefix(s, "geo:point"):
		// s3db.js validates geo:point as a required 'any' and drops |optional (§13.7); s3db-go
		// checks the point and keeps |optional.
		if strings.Contains(s, "|optional") {
			return vGeoPointAlias + "|optional", nil
		}
		return vGeoPointAlias, nil
	}
	if strings.HasPrefix(s, "embedding:") {
		if m := vReEmbeddingLen.FindStringSubmatchIndex(s); m != nil {
			length := s[m[2]:m[3]]
			rest := s[len("embedding:"+length):]
			return "array|items:number|length:" + length + "|empty:false" + rest, nil
		}
	}
	if vIsOrPrefix(s, "embedding") {
		return "array|items:number|empty:false" + s[len("embedding"):], nil
	}
	if strings.Contains(s, "|") {
		return vS3dbShorthand(s), nil
	}
	return s, nil
}

func vGeoRange(rest, lo, hi string) string {
	out := "number"
	if !strings.Contains(rest, "min:") {
		out += "|min:" + lo
	}
	if !strings.Contains(rest, "max:") {
		out += "|max:" + hi
	}
	return out + rest
}

// vS3dbShorthand expands `type|mod|key:value` the way s3db.js does (not fastest-validator's
// parser): parts are not trimmed, a value is cut at its second ':', "required" is dropped.
func vS3dbShorthand(s string) codec.Ordered {
	parts := strings.Split(s, "|")
	cfg := codec.Ordered{{Name: "type", Value: parts[0]}}
	for _, part := range parts[1:] {
		switch {
		case part == "optional":
			cfg = cfg.Set("optional", true)
		case part == "required":
		case strings.Contains(part, ":"):
			kv := strings.Split(part, ":")
			cfg = cfg.Set(kv[0], vShorthandValue(kv[1]))
		default:
			cfg = cfg.Set(part, true)
		}
	}
	return cfg
}

func vShorthandValue(val string) any {
	switch val {
	case "true":
		return true
	case "false":
		return false
	}
	if n := codec.ParseJSNumber(val); n == n {
		return n
	}
	return val
}

// vFVShorthand is fastest-validator's own shorthand parser (parseShortHand).
func vFVShorthand(s, path string) (codec.Ordered, error) {
	p := strings.Split(s, "|")
	for i := range p {
		p[i] = codec.JSTrim(p[i])
	}
	var schema codec.Ordered
	if strings.HasSuffix(p[0], "[]") {
		r, err := vCompile(codec.Ordered{{Name: "type", Value: "array"}, {Name: "items", Value: strings.TrimSuffix(p[0], "[]")}}, path)
		if err != nil {
			return nil, err
		}
		schema = append(codec.Ordered(nil), r.Schema...)
	} else {
		schema = codec.Ordered{{Name: "type", Value: p[0]}}
	}
	for _, s := range p[1:] {
		if idx := strings.Index(s, ":"); idx >= 0 {
			key := codec.JSTrim(s[:idx])
			schema = schema.Set(key, vShorthandValue(codec.JSTrim(s[idx+1:])))
		} else if strings.HasPrefix(s, "no-") {
			schema = schema.Set(s[3:], false)
		} else {
			schema = schema.Set(s, true)
		}
	}
	return schema, nil
}

// vDeepExtend is fastest-validator's deepExtend with skipIfExist: fills in what dst lacks.
func vDeepExtend(dst, src codec.Ordered) codec.Ordered {
	out := append(codec.Ordered(nil), dst...)
	for _, m := range src {
		if sub, ok := vAsOrdered(m.Value); ok && len(sub) > 0 {
			cur, _ := out.Get(m.Name)
			curObj, isObj := vAsOrdered(cur)
			if !vTruthy(cur) {
				curObj, isObj = codec.Ordered{}, true
			}
			if isObj {
				out = out.Set(m.Name, vDeepExtend(curObj, sub))
			}
			continue
		}
		if _, has := out.Get(m.Name); has {
			continue
		}
		out = out.Set(m.Name, m.Value)
	}
	return out
}

// vResolve turns a definition value into a schema object (fastest-validator's resolveType).
func vResolve(def any, path string) (codec.Ordered, error) {
	var schema codec.Ordered
	switch t := def.(type) {
	case string:
		s, err := vFVShorthand(t, path)
		if err != nil {
			return nil, err
		}
		schema = s
	case []any:
		return nil, &DefinitionError{Attribute: path, Problem: "alternative rules (an array of definitions, " +
			"fastest-validator's 'multi') are not supported by s3db-go; use 'any' or 'json'"}
	default:
		obj, ok := vAsOrdered(def)
		if !ok {
			return nil, &DefinitionError{Attribute: path, Problem: "Invalid 'undefined' type in validator schema. " +
				"A definition is a rule string such as 'string|optional' or an object"}
		}
		schema = append(codec.Ordered(nil), obj...)
	}
	if meta, has := schema.Get("$$type"); has {
		other, err := vCompile(meta, path)
		if err != nil {
			return nil, err
		}
		props := vWithout(schema, "$$type")
		schema = append(append(codec.Ordered(nil), other.Schema...), codec.Member{Name: "props", Value: props})
	}
	return schema, nil
}

// vCompile compiles one definition value (after vPreprocess) into a Rule, as fastest-validator's
// getRuleFromSchema and the rule compilers do.
func vCompile(def any, path string) (*Rule, error) {
	schema, err := vResolve(def, path)
	if err != nil {
		return nil, err
	}
	typeValue, _ := schema.Get("type")
	typeName, _ := typeValue.(string)
	r := &Rule{}
	if alias, ok := vAliasOf(typeName); ok {
		r.Alias = typeName
		r.custom = alias.custom
		schema = vDeepExtend(vWithout(schema, "type"), alias.schema)
		typeValue, _ = schema.Get("type")
		typeName, _ = typeValue.(string)
	}
	why, known := vRuleNames[typeName]
	if !known {
		return nil, &DefinitionError{Attribute: path, Problem: vInvalidTypeProblem(typeValue)}
	}
	if why != "" {
		return nil, &DefinitionError{Attribute: path, Problem: fmt.Sprintf("type %q %s", typeName, why)}
	}
	schema = vDeepExtend(schema, vTypeDefaults(typeName))
	r.Type = typeName
	r.Schema = schema
	if err := r.load(path); err != nil {
		return nil, err
	}
	return r, nil
}

func vInvalidTypeProblem(t any) string {
	name := "undefined"
	if s, ok := t.(string); ok {
		name = s
	}
	msg := fmt.Sprintf("Invalid '%s' type in validator schema.", name)
	switch name {
	case "bool":
		msg += " s3db.js 21.6.2 cannot create a resource with 'bool' (format §13.7); use 'boolean'"
	case "text":
		msg += " s3db.js 21.6.2 cannot create a resource with 'text' (format §13.7); use 'string'"
	}
	return msg
}

// vTruthy is JavaScript truthiness.
func vTruthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	}
	if f, ok := codec.AsNumber(v); ok {
		return f == f && f != 0
	}
	return true
}

// load reads the rule parameters from r.Schema, refusing parameters that would make the
// generated JavaScript throw (s3db.js then fails every record with a ReferenceError).
func (r *Rule) load(path string) error {
	s := r.Schema
	get := func(name string) (any, bool) {
		v, ok := s.Get(name)
		return v, ok && v != nil
	}
	isTrue := func(name string) bool { v, _ := s.Get(name); return v == true }
	truthy := func(name string) bool { v, _ := s.Get(name); return vTruthy(v) }
	num := func(name string) (vOptNum, error) {
		v, ok := get(name)
		if !ok {
			return vOptNum{}, nil
		}
		if f, isNum := codec.AsNumber(v); isNum {
			return vOptNum{f, true}, nil
		}
		if str, isStr := v.(string); isStr && vDecimalLiteral.MatchString(str) {
			return vOptNum{codec.ParseJSNumber(str), true}, nil
		}
		return vOptNum{}, &DefinitionError{Attribute: path, Problem: fmt.Sprintf(
			"rule parameter %q of type %q must be a number, got %s", name, r.Type, codec.JSString(v))}
	}
	var err error
	p := &r.p
	for _, n := range []struct {
		name string
		dst  *vOptNum
	}{{"min", &p.min}, {"max", &p.max}, {"length", &p.length}, {"equal", &p.equal}, {"notEqual", &p.notEqual},
		{"minProps", &p.minProps}, {"maxProps", &p.maxProps}, {"padStart", &p.padStart}, {"padEnd", &p.padEnd}} {
		if *n.dst, err = num(n.name); err != nil {
			if r.Type != "number" && (n.name == "equal" || n.name == "notEqual") {
				*n.dst, err = vOptNum{}, nil // only the number rule reads them
				continue
			}
			return err
		}
	}
	r.Optional = isTrue("optional")
	r.Nullable = isTrue("nullable")
	if d, ok := get("default"); ok {
		r.Default, r.HasDefault = vClone(d), true
	}
	if l, ok := s.Get("label"); ok && vTruthy(l) {
		r.Label = codec.JSString(l)
	}
	if pc, ok := get("padChar"); ok {
		p.padChar = codec.JSString(pc)
	} else {
		p.padChar = " "
	}
	p.integer, p.positive, p.negative, p.convert = isTrue("integer"), isTrue("positive"), isTrue("negative"), isTrue("convert")
	p.trim, p.trimLeft, p.trimRight = truthy("trim"), truthy("trimLeft"), truthy("trimRight")
	p.lowercase, p.uppercase = truthy("lowercase") || truthy("localeLowercase"), truthy("uppercase") || truthy("localeUppercase")
	p.numeric, p.alpha, p.alphanum, p.alphadash = isTrue("numeric"), isTrue("alpha"), isTrue("alphanum"), isTrue("alphadash")
	p.hex, p.singleLine, p.base64, p.unique = isTrue("hex"), isTrue("singleLine"), isTrue("base64"), isTrue("unique")
	p.normalize, p.strictEq, p.remove = truthy("normalize"), truthy("strict"), truthy("remove")
	emptyV, _ := s.Get("empty")
	p.emptyFalse, p.emptyTrue, p.emptyTruthy = emptyV == false, emptyV == true, vTruthy(emptyV)
	if m, ok := s.Get("mode"); ok {
		p.precise = m == "precise"
	}
	if msgs, ok := s.Get("messages"); ok {
		if o, isObj := vAsOrdered(msgs); isObj {
			r.messages = map[string]string{}
			for _, mm := range o {
				r.messages[mm.Name] = codec.JSString(mm.Value)
			}
		}
	}
	switch r.Type {
	case "string":
		if pat, ok := get("pattern"); ok {
			flags, _ := s.Get("patternFlags")
			if err := r.loadPattern(path, pat, flags); err != nil {
				return err
			}
		}
		if c, ok := get("contains"); ok {
			p.contains, p.hasContains = codec.JSString(c), true
		}
		if err := r.loadEnum(path); err != nil {
			return err
		}
	case "array":
		if c, ok := get("contains"); ok {
			p.contains, p.hasContains = vClone(c), true
		}
		if err := r.loadEnum(path); err != nil {
			return err
		}
		if items, ok := get("items"); ok {
			ir, err := vCompile(items, path+"[]")
			if err != nil {
				return err
			}
			r.Items = ir
		}
	case "object":
		return r.loadProps(path)
	case "enum":
		vals, _ := s.Get("values")
		arr, ok := vals.([]any)
		if !ok {
			return &DefinitionError{Attribute: path, Problem: "schema.values.join is not a function: " +
				"an 'enum' needs its allowed values as an array, e.g. {type:\"enum\", values:[\"a\",\"b\"]}"}
		}
		p.values = make([]any, len(arr))
		for i, x := range arr {
			p.values[i] = vClone(x)
		}
	case "uuid":
		if v, ok := get("version"); ok {
			if f := math.Trunc(codec.JSNumber(v)); finite(f) && f < 9 {
				p.uuidVersion = vOptNum{f, true}
			}
		}
	case "equal":
		if f, ok := get("field"); ok && vTruthy(f) {
			p.equalField = codec.JSString(f)
		} else {
			v, _ := s.Get("value")
			p.equalValue = vClone(v)
		}
	}
	return nil
}

func (r *Rule) loadEnum(path string) error {
	e, ok := r.Schema.Get("enum")
	if !ok || e == nil {
		return nil
	}
	arr, isArr := e.([]any)
	if !isArr {
		return &DefinitionError{Attribute: path, Problem: "rule parameter \"enum\" must be an array of allowed values"}
	}
	r.p.enum, r.p.hasEnum = make([]any, len(arr)), true
	for i, x := range arr {
		r.p.enum[i] = vClone(x)
	}
	return nil
}

// loadPattern compiles a JavaScript regular expression source with Go's RE2 engine; sources that
// RE2 cannot express (look-arounds, back-references) are refused.
func (r *Rule) loadPattern(path string, pat, flags any) error {
	src, ok := pat.(string)
	if !ok {
		return &DefinitionError{Attribute: path, Problem: "rule parameter \"pattern\" must be a string"}
	}
	prefix := ""
	if f, isStr := flags.(string); isStr {
		for _, c := range f {
			switch c {
			case 'i', 'm', 's':
				prefix += string(c)
			}
		}
	}
	goSrc := src
	if prefix != "" {
		goSrc = "(?" + prefix + ")" + src
	}
	re, err := regexp.Compile(goSrc)
	if err != nil {
		return &DefinitionError{Attribute: path, Problem: fmt.Sprintf("pattern /%s/ cannot be compiled (Go regular expressions have no look-arounds or back-references): %v", src, err)}
	}
	r.p.pattern, r.p.patternText = re, "/"+src+"/"+fmt.Sprint(flags)
	if flags == nil {
		r.p.patternText = "/" + src + "/"
	}
	return nil
}

func (r *Rule) loadProps(path string) error {
	var sub any
	for _, name := range []string{"properties", "props"} {
		if v, ok := r.Schema.Get(name); ok && vTruthy(v) {
			sub = v
			break
		}
	}
	if st, _ := r.Schema.Get("strict"); vTruthy(st) {
		r.Strict = "error"
		if st == "remove" {
			r.Strict = "remove"
		}
	}
	if sub == nil {
		return nil
	}
	obj, ok := vAsOrdered(sub)
	if !ok {
		return &DefinitionError{Attribute: path, Problem: "object properties must be an object of definitions"}
	}
	r.HasProps = true
	for _, m := range obj {
		if strings.HasPrefix(m.Name, "$$") {
			continue
		}
		pr, err := vCompile(m.Value, joinAttrPath(path, m.Name))
		if err != nil {
			return err
		}
		r.Props = append(r.Props, Prop{Name: m.Name, Rule: pr})
	}
	return nil
}

// vDecimalLiteral is a signed decimal number literal (no white space, hex or Infinity): the
// text forms accepted for numeric rule parameters such as "min:5".
var vDecimalLiteral = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)
