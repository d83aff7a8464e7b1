package schema

import (
	"math"

	"github.com/s3db-go/s3db/codec"
)

// checkNumber is fastest-validator's number rule (s3db.js turns convert on by default).
func (run *vRun) checkNumber(r *Rule, val any, field, label string) any {
	p := &r.p
	orig := val
	if p.convert {
		if _, ok := val.(float64); !ok {
			val = codec.JSNumber(val)
		}
	}
	f, ok := val.(float64)
	if !ok || !finite(f) {
		run.fail(r, "number", field, label, nil, orig)
		return val
	}
	if p.min.ok && f < p.min.v {
		run.fail(r, "numberMin", field, label, p.min.v, orig)
	}
	if p.max.ok && f > p.max.v {
		run.fail(r, "numberMax", field, label, p.max.v, orig)
	}
	if p.equal.ok && f != p.equal.v {
		run.fail(r, "numberEqual", field, label, p.equal.v, orig)
	}
	if p.notEqual.ok && f == p.notEqual.v {
		run.fail(r, "numberNotEqual", field, label, p.notEqual.v, orig)
	}
	if p.integer && math.Mod(f, 1) != 0 {
		run.fail(r, "numberInteger", field, label, nil, orig)
	}
	if p.positive && f <= 0 {
		run.fail(r, "numberPositive", field, label, nil, orig)
	}
	if p.negative && f >= 0 {
		run.fail(r, "numberNegative", field, label, nil, orig)
	}
	return f
}

// checkBoolean is fastest-validator's boolean rule (s3db.js turns convert on by default).
func (run *vRun) checkBoolean(r *Rule, val any, field, label string) any {
	orig := val
	if r.p.convert {
		switch val {
		case 1.0, "true", "1", "on":
			val = true
		case 0.0, "false", "0", "off":
			val = false
		}
	}
	if _, ok := val.(bool); !ok {
		run.fail(r, "boolean", field, label, nil, orig)
	}
	return val
}

// checkEqual is fastest-validator's equal rule: against a fixed value or a sibling field, with
// JavaScript's == unless strict.
func (run *vRun) checkEqual(r *Rule, val any, field string, parent *vObject, label string) {
	if r.p.equalField != "" {
		var other any
		if parent != nil {
			other = parent.vals[r.p.equalField]
		}
		if !vEq(val, other, r.p.strictEq) {
			run.fail(r, "equalField", field, label, r.p.equalField, val)
		}
		return
	}
	if !vEq(val, r.p.equalValue, r.p.strictEq) {
		run.fail(r, "equalValue", field, label, r.p.equalValue, val)
	}
}

func vEq(a, b any, strict bool) bool {
	if strict {
		return vStrictEq(a, b)
	}
	return vLooseEq(a, b, 0)
}

// vLooseEq is JavaScript's == on validator values.
func vLooseEq(a, b any, depth int) bool {
	if depth > 4 {
		return false
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case bool:
		return vLooseEq(codec.JSNumber(x), b, depth+1)
	case *vObject, []any:
		switch b.(type) {
		case *vObject, []any:
			return vStrictEq(a, b)
		}
		return vLooseEq(codec.JSString(x), b, depth+1)
	case string:
		switch y := b.(type) {
		case string:
			return x == y
		case float64:
			return codec.ParseJSNumber(x) == y
		}
		return vLooseEq(b, a, depth+1)
	case float64:
		switch y := b.(type) {
		case float64:
			return x == y
		case string:
			return x == codec.ParseJSNumber(y)
		}
		return vLooseEq(b, a, depth+1)
	}
	return false
}
