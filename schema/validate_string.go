package schema

import (
	"regexp"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// JavaScript's \s and \S are Unicode-aware; RE2's are ASCII only.
const vJSSpaceClass = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

var (
	vReNumeric   = regexp.MustCompile(`^-?[0-9]\d*(\.\d+)?$`)
	vReAlpha     = regexp.MustCompile(`^[a-zA-Z]+$`)
	vReAlphanum  = regexp.MustCompile(`^[a-zA-Z0-9]+$`)
	vReAlphadash = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	vReHex       = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	vReBase64    = regexp.MustCompile(`^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+/]{3}=)?$`)
	vReEmail     = regexp.MustCompile(`^[^` + vJSSpaceClass + `]+@[^` + vJSSpaceClass + `]+\.[^` + vJSSpaceClass + `]+$`)
	vReEmailFull = regexp.MustCompile(`^(([^<>()\[\]\\.,;:` + vJSSpaceClass + `@"]+(\.[^<>()\[\]\\.,;:` + vJSSpaceClass +
		`@"]+)*)|("[^\n\r\x{2028}\x{2029}]+"))@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$`)
	vReURL  = regexp.MustCompile(`^https?://[^` + vJSSpaceClass + `]+`)
	vReUUID = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|[0]{8}-[0]{4}-[0]{4}-[0]{4}-[0]{12})$`)
	vReMAC  = regexp.MustCompile(`^((([a-f0-9][a-f0-9]+[-]){5}|([a-f0-9][a-f0-9]+[:]){5})([a-f0-9][a-f0-9])$)|(^([a-f0-9][a-f0-9][a-f0-9][a-f0-9]+[.]){2}([a-f0-9][a-f0-9][a-f0-9][a-f0-9]))$`)
)

// checkString is fastest-validator's string rule (with s3db.js's default trim).
func (run *vRun) checkString(r *Rule, val any, field, label string) any {
	p := &r.p
	if p.convert {
		if _, ok := val.(string); !ok {
			val = codec.JSString(val)
		}
	}
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	orig := s
	if p.trim {
		s = codec.JSTrim(s)
	}
	if p.trimLeft {
		s = strings.TrimLeftFunc(s, codec.IsJSSpace)
	}
	if p.trimRight {
		s = strings.TrimRightFunc(s, codec.IsJSSpace)
	}
	if p.padStart.ok && p.padStart.v > 0 {
		s = vPad(s, int(min(p.padStart.v, 1<<20)), p.padChar, true)
	}
	if p.padEnd.ok && p.padEnd.v > 0 {
		s = vPad(s, int(min(p.padEnd.v, 1<<20)), p.padChar, false)
	}
	if p.lowercase {
		s = vLower(s)
	}
	if p.uppercase {
		s = vUpper(s)
	}
	n := float64(codec.JSLength(s))
	if p.emptyFalse && n == 0 {
		run.fail(r, "stringEmpty", field, label, nil, s)
	} else if p.emptyTrue && n == 0 {
		return s
	}
	if p.min.ok && n < p.min.v {
		run.fail(r, "stringMin", field, label, p.min.v, n)
	}
	if p.max.ok && n > p.max.v {
		run.fail(r, "stringMax", field, label, p.max.v, n)
	}
	if p.length.ok && n != p.length.v {
		run.fail(r, "stringLength", field, label, p.length.v, n)
	}
	if p.pattern != nil && !p.pattern.MatchString(s) {
		run.fail(r, "stringPattern", field, label, p.patternText, orig)
	}
	if p.hasContains && !strings.Contains(s, p.contains.(string)) {
		run.fail(r, "stringContains", field, label, p.contains, orig)
	}
	if p.hasEnum && !vIndexOf(p.enum, s) {
		run.fail(r, "stringEnum", field, label, vJoin(p.enum), orig)
	}
	if p.numeric && !vReNumeric.MatchString(s) {
		run.fail(r, "stringNumeric", field, label, nil, orig)
	}
	if p.alpha && !vReAlpha.MatchString(s) {
		run.fail(r, "stringAlpha", field, label, nil, orig)
	}
	if p.alphanum && !vReAlphanum.MatchString(s) {
		run.fail(r, "stringAlphanum", field, label, nil, orig)
	}
	if p.alphadash && !vReAlphadash.MatchString(s) {
		run.fail(r, "stringAlphadash", field, label, nil, orig)
	}
	if p.hex && (codec.JSLength(s)%2 != 0 || !vReHex.MatchString(s)) {
		run.fail(r, "stringHex", field, label, nil, orig)
	}
	if p.singleLine && strings.Contains(s, "\n") {
		run.fail(r, "stringSingleLine", field, label, nil, nil)
	}
	if p.base64 && !vReBase64.MatchString(s) {
		run.fail(r, "stringBase64", field, label, nil, orig)
	}
	return s
}

// checkEmail is fastest-validator's email rule (no trimming unless normalize).
func (run *vRun) checkEmail(r *Rule, val any, field, label string) any {
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	if !r.p.emptyTruthy {
		if s == "" {
			run.fail(r, "emailEmpty", field, label, nil, s)
			return s
		}
	} else if s == "" {
		return s
	}
	if r.p.normalize {
		s = vLower(codec.JSTrim(s))
	}
	n := float64(codec.JSLength(s))
	if r.p.min.ok && n < r.p.min.v {
		run.fail(r, "emailMin", field, label, r.p.min.v, n)
	}
	if r.p.max.ok && n > r.p.max.v {
		run.fail(r, "emailMax", field, label, r.p.max.v, n)
	}
	re := vReEmail
	if r.p.precise {
		re = vReEmailFull
	}
	if !re.MatchString(s) {
		run.fail(r, "email", field, label, nil, s)
	}
	return s
}

// checkURL is fastest-validator's url rule: http(s):// followed by anything but whitespace.
func (run *vRun) checkURL(r *Rule, val any, field, label string) any {
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	if s == "" {
		if !r.p.emptyTruthy {
			run.fail(r, "urlEmpty", field, label, nil, s)
		}
		return s
	}
	if !vReURL.MatchString(s) {
		run.fail(r, "url", field, label, nil, s)
	}
	return s
}

// checkUUID is fastest-validator's uuid rule, with its version and variant checks.
func (run *vRun) checkUUID(r *Rule, val any, field, label string) any {
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	low := vLower(s)
	if !vReUUID.MatchString(low) {
		run.fail(r, "uuid", field, label, nil, s)
		return s
	}
	version := int(low[14] - '0')
	if r.p.uuidVersion.ok && int(r.p.uuidVersion.v) != version {
		run.fail(r, "uuidVersion", field, label, r.p.uuidVersion.v, float64(version))
		return s
	}
	switch version {
	case 3, 4, 5, 7, 8:
		if !strings.ContainsRune("89ab", rune(low[19])) {
			run.fail(r, "uuid", field, label, nil, s)
		}
	}
	return s
}

// checkMAC is fastest-validator's mac rule (s3db.js's 'mac' type is the s3db-mac alias instead).
func (run *vRun) checkMAC(r *Rule, val any, field, label string) any {
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	if !vReMAC.MatchString(vLower(s)) {
		run.fail(r, "mac", field, label, nil, s)
	}
	return s
}

// checkLuhn is fastest-validator's luhn rule.
func (run *vRun) checkLuhn(r *Rule, val any, field, label string) any {
	s, ok := val.(string)
	if !ok {
		run.fail(r, "string", field, label, nil, val)
		return val
	}
	digits := strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, s)
	table := [10]int{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}
	sum, bit := 0, 1
	for i := len(digits) - 1; i >= 0; i-- {
		bit ^= 1
		d := int(digits[i] - '0')
		if bit == 0 {
			sum += d
		} else {
			sum += table[d]
		}
	}
	if !(sum%10 == 0 && sum > 0) {
		run.fail(r, "luhn", field, label, nil, s)
	}
	return s
}
