package schema

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// vRun is one Validate call: fastest-validator's generated check function, interpreted.
type vRun struct {
	ctx  context.Context
	v    *Validator
	errs []*FieldError
}

// fail records a fastest-validator error with its message template filled in.
func (run *vRun) fail(r *Rule, typ, field, label string, expected, actual any) {
	tmpl, ok := r.messages[typ]
	if !ok {
		tmpl = vMessages[typ]
	}
	name := field
	if label != "" {
		name = label
	}
	msg := strings.ReplaceAll(tmpl, "{field}", name)
	msg = strings.ReplaceAll(msg, "{expected}", vTemplateText(expected))
	msg = strings.ReplaceAll(msg, "{actual}", vTemplateText(actual))
	run.errs = append(run.errs, &FieldError{
		Field: field, Rule: typ, Value: vExport(actual), Expected: vExport(expected),
		Message: msg, Suggestion: vSuggestion(typ, expected),
	})
}

// failCustom records an error raised by an s3db custom type: its message is already final and
// names the field by its schema path.
func (run *vRun) failCustom(typ, path, message string, actual any, suggestion string) {
	run.errs = append(run.errs, &FieldError{
		Field: path, Rule: typ, Value: vExport(actual), Message: message, Suggestion: suggestion,
	})
}

func vTemplateText(v any) string {
	if v == nil {
		return ""
	}
	return codec.JSString(v)
}

// check validates one value against r, as the code fastest-validator generates around each rule:
// the required/optional/default handling, then the rule, then the rule's custom checker (which
// runs even for a missing value). has is false for a missing (undefined) value; so is the second
// result when the value ends up undefined (the key is then left out).
func (run *vRun) check(r *Rule, val any, has bool, field, reqField, path string, parent *vObject, label string) (any, bool) {
	skipUndefined := r.Optional || r.Type == "forbidden"
	skipNull := r.Optional || r.Nullable || r.Type == "forbidden"
	if r.HasDefault {
		skipUndefined = false
		if !r.Nullable {
			skipNull = false
		}
	}
	switch {
	case !has:
		if !skipUndefined {
			if r.HasDefault {
				val, has = vClone(r.Default), true
			} else {
				run.fail(r, "required", reqField, label, nil, nil)
			}
		}
	case val == nil:
		if !skipNull {
			if r.HasDefault {
				val = vClone(r.Default)
			} else {
				run.fail(r, "required", reqField, label, nil, val)
			}
		}
	default:
		val, has = run.apply(r, val, field, path, parent, label)
	}
	if r.custom != "" {
		val, has = run.custom(r, val, has, path)
	}
	return val, has
}

// apply runs the rule itself on a present, non-null value.
func (run *vRun) apply(r *Rule, val any, field, path string, parent *vObject, label string) (any, bool) {
	switch r.Type {
	case "string":
		return run.checkString(r, val, field, label), true
	case "number":
		return run.checkNumber(r, val, field, label), true
	case "boolean":
		return run.checkBoolean(r, val, field, label), true
	case "array":
		return run.array(r, val, field, path, parent, label), true
	case "object":
		return run.object(r, val, field, path, false)
	case "email":
		return run.checkEmail(r, val, field, label), true
	case "url":
		return run.checkURL(r, val, field, label), true
	case "uuid":
		return run.checkUUID(r, val, field, label), true
	case "mac":
		return run.checkMAC(r, val, field, label), true
	case "luhn":
		return run.checkLuhn(r, val, field, label), true
	case "enum":
		if !vIndexOf(r.p.values, val) {
			run.fail(r, "enumValue", field, label, vJoin(r.p.values), val)
		}
	case "equal":
		run.checkEqual(r, val, field, parent, label)
	case "forbidden":
		if r.p.remove {
			return nil, false
		}
		run.fail(r, "forbidden", field, label, nil, val)
	}
	return val, true
}

var vIdentifier = regexp.MustCompile(`^[_$a-zA-Z][_$a-zA-Z0-9]*$`)

// object is fastest-validator's object rule; root is the record itself (field names have no
// parent prefix there).
func (run *vRun) object(r *Rule, val any, field, path string, root bool) (any, bool) {
	obj, ok := val.(*vObject)
	if !ok {
		run.fail(r, "object", field, "", nil, val)
		return val, true
	}
	if r.HasProps {
		for _, prop := range r.Props {
			if run.ctx.Err() != nil {
				return obj, true
			}
			child := prop.Name
			if field != "" {
				if vIdentifier.MatchString(prop.Name) {
					child = field + "." + prop.Name
				} else {
					child = field + "['" + prop.Name + "']"
				}
			}
			childPath := prop.Name
			if path != "" {
				childPath = path + "." + prop.Name
			}
			cur, has := obj.get(prop.Name)
			res, keep := run.check(prop.Rule, cur, has, child, child, childPath, obj, prop.Rule.Label)
			if keep {
				obj.set(prop.Name, res)
			} else {
				obj.del(prop.Name)
			}
		}
		if r.Strict != "" {
			allowed := make(map[string]bool, len(r.Props))
			names := make([]string, 0, len(r.Props))
			for _, m := range r.Schema {
				if m.Name == "props" || m.Name == "properties" {
					if o, isObj := vAsOrdered(m.Value); isObj {
						for _, pm := range o {
							allowed[pm.Name] = true
							names = append(names, pm.Name)
						}
					}
					break
				}
			}
			var invalid []string
			for _, k := range obj.keys {
				if !allowed[k] {
					invalid = append(invalid, k)
				}
			}
			if len(invalid) > 0 {
				if r.Strict == "remove" {
					if len(run.errs) == 0 {
						for _, k := range invalid {
							obj.del(k)
						}
					}
				} else {
					run.fail(r, "objectStrict", field, "", strings.Join(names, ", "), strings.Join(invalid, ", "))
				}
			}
		}
	}
	n := float64(len(obj.keys))
	if r.p.minProps.ok && n < r.p.minProps.v {
		run.fail(r, "objectMinProps", field, "", r.p.minProps.v, n)
	}
	if r.p.maxProps.ok && n > r.p.maxProps.v {
		run.fail(r, "objectMaxProps", field, "", r.p.maxProps.v, n)
	}
	return obj, true
}

// array is fastest-validator's array rule.
func (run *vRun) array(r *Rule, val any, field, path string, parent *vObject, label string) any {
	p := &r.p
	if p.convert && val != nil {
		if _, isArr := val.([]any); !isArr {
			val = []any{val}
		}
	}
	arr, ok := val.([]any)
	if !ok {
		run.fail(r, "array", field, label, nil, val)
		return val
	}
	n := float64(len(arr))
	if p.emptyFalse && len(arr) == 0 {
		run.fail(r, "arrayEmpty", field, label, nil, arr)
	}
	if p.min.ok && n < p.min.v {
		run.fail(r, "arrayMin", field, label, p.min.v, n)
	}
	if p.max.ok && n > p.max.v {
		run.fail(r, "arrayMax", field, label, p.max.v, n)
	}
	if p.length.ok && n != p.length.v {
		run.fail(r, "arrayLength", field, label, p.length.v, n)
	}
	if p.hasContains && !vIndexOf(arr, p.contains) {
		run.fail(r, "arrayContains", field, label, p.contains, arr)
	}
	if p.unique {
		var dups []any
		for i, x := range arr {
			first := vIndex(arr, x)
			if first != i && first >= 0 && !vIndexOf(dups, x) {
				dups = append(dups, x)
			}
		}
		if len(dups) > 0 {
			run.fail(r, "arrayUnique", field, label, dups, arr)
		}
	}
	if p.hasEnum {
		for _, x := range arr {
			if !vIndexOf(p.enum, x) {
				run.fail(r, "arrayEnum", field, label, vJoin(p.enum), x)
			}
		}
	}
	if r.Items != nil {
		for i := range arr {
			if run.ctx.Err() != nil {
				break
			}
			itemField := field + "[" + strconv.Itoa(i) + "]"
			res, keep := run.check(r.Items, arr[i], true, itemField, field, path+"[]", parent, "")
			if !keep {
				res = nil
			}
			arr[i] = res
		}
	}
	return arr
}

// vStrictEq is JavaScript's === on validator values (objects and arrays are never equal: each
// value is a fresh copy).
func vStrictEq(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case *vObject:
		y, ok := b.(*vObject)
		return ok && x == y
	}
	return false
}

// vIndex is Array.prototype.indexOf.
func vIndex(list []any, v any) int {
	for i, x := range list {
		if vStrictEq(x, v) {
			return i
		}
	}
	return -1
}

func vIndexOf(list []any, v any) bool { return vIndex(list, v) >= 0 }

// vJoin is Array.prototype.join(", ").
func vJoin(list []any) string {
	parts := make([]string, len(list))
	for i, x := range list {
		if x != nil {
			parts[i] = codec.JSString(x)
		}
	}
	return strings.Join(parts, ", ")
}
