package schema

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// errInvalidCustom is what the schema-local normalizers (cron, locale, currency, country, geo point)
// return for a value of the wrong form; the codec ones return a *codec.ValueError.
var errInvalidCustom = errors.New("invalid value")

// custom runs the custom checker s3db.js attaches to an alias. fastest-validator runs it after
// the rule even when the value is missing; s3db.js then stores placeholders for missing optional
// secrets and passwords (format §13.6), which s3db-go does not: a missing value stays missing.
func (run *vRun) custom(r *Rule, val any, has bool, path string) (any, bool) {
	switch r.custom {
	case "secret":
		if !has {
			return val, has
		}
		return run.secret(val, path), true
	case "password:bcrypt", "password:argon2id":
		if !has || val == nil {
			return val, has
		}
		return run.password(r.custom, val, path), true
	case "json":
		if !has {
			return val, has
		}
		if _, isStr := val.(string); isStr {
			return val, true
		}
		if text, err := codec.MarshalJS(vOrdered(val)); err == nil {
			return string(text), true
		}
		return val, true // a Go value JSON cannot hold (func, chan): left for the mapper
	}
	if !has || val == nil {
		return val, has
	}
	n := run.v.norm.get(r.custom)
	if n == nil {
		return val, has
	}
	out, err := n(vExport(val))
	if err != nil {
		typ, msg := vCustomMessage(r.custom, path, val)
		run.failCustom(typ, path, msg, val, vSuggestion(typ, nil))
		return val, true
	}
	return vClone(out), true
}

// vCustomMessage is the error s3db.js's alias reports for an invalid value.
func vCustomMessage(kind, path string, val any) (string, string) {
	f := "The '" + path + "' field must be a valid "
	switch kind {
	case "datetime":
		return "datetime", f + "datetime."
	case "dateonly":
		return "date", f + "date."
	case "timeonly":
		if _, isStr := val.(string); isStr {
			return "timeonly", f + "time (HH:mm, HH:mm:ss, or HH:mm:ss.SSS)."
		}
		return "timeonly", f + "time."
	case "s3db-mac":
		return "mac", f + "MAC address (e.g., AA:BB:CC:DD:EE:FF)."
	case "cidr":
		return "cidr", f + "CIDR notation (e.g., 192.168.1.0/24)."
	case "semver":
		return "semver", f + "semantic version (e.g., 1.2.3)."
	case "phone":
		return "phone", f + "phone number in E.164 format (e.g., +5511999999999)."
	case "color":
		return "color", f + "hex color (e.g., #FF5733 or #F57)."
	case "duration":
		if _, isNum := val.(float64); isNum {
			return "duration", "The '" + path + "' field must be a non-negative duration."
		}
		return "duration", f + "duration (e.g., PT1H30M, 1h30m, 90m)."
	case "cron":
		return "cron", f + "5-field cron expression (e.g., 0 */5 * * *)."
	case "locale":
		return "locale", f + "locale (e.g., pt-BR, en-US, or just en)."
	case "s3db-currency":
		return "currency", f + "3-letter currency code (e.g., USD, BRL, EUR)."
	case "country":
		return "country", f + "2-letter country code (e.g., BR, US, DE)."
	case "ean":
		return "ean", f + "barcode (EAN-8, UPC-A 12, EAN-13, or GTIN-14 digits)."
	case vGeoPointAlias:
		return "geoPoint", f + "geographic point ({lat, lon}, {latitude, longitude} or [lat, lon])."
	}
	return kind, f + "value."
}

// secret encrypts String(value) unless it already decrypts (a stored ciphertext).
func (run *vRun) secret(val any, path string) any {
	c := run.v.opts.Cipher
	if c == nil {
		run.failCustom("encryptionKeyMissing", path, vMessages["encryptionKeyMissing"], val, vSuggestion("encryptionKeyMissing", nil))
		return val
	}
	if len(run.errs) > 0 {
		return val // the record is rejected anyway: skip the key derivation
	}
	plain := codec.JSString(val)
	if _, err := c.Decrypt(plain); err == nil {
		return val
	}
	enc, err := c.Encrypt(plain)
	if err != nil {
		msg := strings.ReplaceAll(vMessages["encryptionProblem"], "{actual}", plain)
		run.failCustom("encryptionProblem", path, msg, val, fmt.Sprintf("Check the passphrase and input value (%v).", err))
		return val
	}
	return enc
}

// password hashes String(value) unless it already looks like a stored hash.
func (run *vRun) password(kind string, val any, path string) any {
	plain := codec.JSString(val)
	isHash := run.v.opts.IsPasswordHash
	if isHash == nil {
		isHash = codec.IsPasswordHash
	}
	if isHash(plain) {
		return val
	}
	hasher := run.v.opts.HashPassword
	if kind == "password:argon2id" {
		hasher = run.v.opts.HashPasswordArgon2
	}
	fail := func(why string) any {
		run.failCustom("passwordHashingProblem", path, vMessages["passwordHashingProblem"], val, why)
		return val
	}
	if _, isStr := val.(string); !isStr || len(run.errs) > 0 {
		return val // already reported by the string rule, or the record is rejected anyway
	}
	if plain == "" {
		return fail("Password must be a non-empty string.")
	}
	if hasher == nil {
		return fail("No password hasher is configured for " + kind + " (ValidatorOptions).")
	}
	h, err := hasher(plain)
	if err != nil {
		return fail(fmt.Sprintf("Check the password value and %s configuration (%v).", strings.TrimPrefix(kind, "password:"), err))
	}
	return h
}

// vApplyDefaults is ResourceValidator.applyDefaults: a missing top-level field whose definition
// string has "default:x" gets x before validation (a boolean when the definition mentions
// boolean, a number when it mentions number, else the text).
func vApplyDefaults(attrs codec.Ordered, data *vObject) *vObject {
	for _, m := range attrs {
		def, ok := m.Value.(string)
		if !ok || !strings.Contains(def, "default:") {
			continue
		}
		if _, has := data.get(m.Name); has || vDangerousKey(m.Name) {
			continue
		}
		match := vReDefault.FindStringSubmatch(def)
		if match == nil {
			continue
		}
		var v any = match[1]
		switch {
		case strings.Contains(def, "boolean"):
			v = match[1] == "true"
		case strings.Contains(def, "number"):
			v = codec.ParseJSNumber(match[1])
		}
		data.set(m.Name, v)
	}
	return data
}

var vReDefault = regexp.MustCompile(`default:([^|]+)`)

// get returns the normalizer of a custom alias.
func (n *Normalizers) get(kind string) func(any) (any, error) {
	switch kind {
	case "datetime":
		return n.Datetime
	case "dateonly":
		return n.DateOnly
	case "timeonly":
		return n.TimeOnly
	case "s3db-mac":
		return n.MAC
	case "cidr":
		return n.CIDR
	case "semver":
		return n.Semver
	case "phone":
		return n.Phone
	case "color":
		return n.Color
	case "duration":
		return n.Duration
	case "cron":
		return n.Cron
	case "locale":
		return n.Locale
	case "s3db-currency":
		return n.Currency
	case "country":
		return n.Country
	case "ean":
		return n.EAN
	case vGeoPointAlias:
		return vGeoPoint
	}
	return nil
}

// override replaces the built-in normalizers by the non-nil ones of o.
func (n *Normalizers) override(o Normalizers) {
	pick := func(dst *func(any) (any, error), src func(any) (any, error)) {
		if src != nil {
			*dst = src
		}
	}
	pick(&n.Datetime, o.Datetime)
	pick(&n.DateOnly, o.DateOnly)
	pick(&n.TimeOnly, o.TimeOnly)
	pick(&n.MAC, o.MAC)
	pick(&n.CIDR, o.CIDR)
	pick(&n.Semver, o.Semver)
	pick(&n.Phone, o.Phone)
	pick(&n.Color, o.Color)
	pick(&n.Duration, o.Duration)
	pick(&n.Cron, o.Cron)
	pick(&n.Locale, o.Locale)
	pick(&n.Currency, o.Currency)
	pick(&n.Country, o.Country)
	pick(&n.EAN, o.EAN)
}

// vGeoPoint accepts the point forms the s3db.js geo:point encoder reads: {lat, lon},
// {latitude, longitude} or [lat, lon], with numbers in range. s3db.js itself does not check.
func vGeoPoint(v any) (any, error) {
	var lat, lon any
	switch t := v.(type) {
	case []any:
		if len(t) != 2 {
			return nil, errInvalidCustom
		}
		lat, lon = t[0], t[1]
	default:
		o, ok := vAsOrdered(v)
		if !ok {
			return nil, errInvalidCustom
		}
		if a, has := o.Get("lat"); has {
			lat, _ = a, has
			lon, _ = o.Get("lon")
		} else {
			lat, _ = o.Get("latitude")
			lon, _ = o.Get("longitude")
		}
	}
	la, ok1 := codec.AsNumber(lat)
	lo, ok2 := codec.AsNumber(lon)
	if !ok1 || !ok2 || !finite(la) || !finite(lo) || math.Abs(la) > 90 || math.Abs(lo) > 180 {
		return nil, errInvalidCustom
	}
	return v, nil
}
