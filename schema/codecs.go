package schema

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// hookKind is the value transformation s3db.js attaches to an attribute path (its beforeMap /
// afterUnmap hook pair). It is chosen from the definition string by the first matching rule, in
// s3db.js's order; see fieldHook.
type hookKind int

const (
	hookNone hookKind = iota
	hookEmbedding
	hookStringArray
	hookIntegerArray
	hookDecimalArray
	hookSecret
	hookIP4
	hookIP6
	hookMoney
	hookDecimal
	hookGeoLat
	hookGeoLon
	hookGeoPoint
	hookInteger
	hookNumber
	hookBool
	hookJSON
)

// hook is one path's transformation with its numeric parameter (decimals or precision).
type hook struct {
	path  string
	kind  hookKind
	param int
}

var (
	reLength     = regexp.MustCompile(`length:(\d+)`)
	reMoney      = regexp.MustCompile(`(?i)(?:money|crypto):(\d+)`)
	reDecimal    = regexp.MustCompile(`decimal:(\d+)`)
	reGeoLat     = regexp.MustCompile(`geo:lat:(\d+)`)
	reGeoLon     = regexp.MustCompile(`geo:lon:(\d+)`)
	reGeoPoint   = regexp.MustCompile(`geo:point:(\d+)`)
	reTextPrefix = regexp.MustCompile(`^text(\||$)`)
)

func atoiMatch(re *regexp.Regexp, s string, def int) int {
	if m := re.FindStringSubmatch(s); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
	}
	return def
}

func isIntegerDef(def string) bool {
	return strings.Contains(def, "integer:true") || strings.Contains(def, "|integer:") || strings.Contains(def, "|integer")
}

// fieldHook picks the hook for a leaf definition string, in the order s3db.js 21.6.2 tests them
// (mostly substring tests on the definition). ok is false for definitions without a hook.
func fieldHook(def string) (hookKind, int, bool) {
	switch {
	case strings.Contains(def, "embedding"):
		return hookEmbedding, 0, true
	case strings.Contains(def, "array"):
		switch {
		case strings.Contains(def, "items:string"):
			return hookStringArray, 0, true
		case strings.Contains(def, "items:number"):
			return numberArrayHook(def, isIntegerDef(def), atoiMatch(reLength, def, -1))
		}
		return hookNone, 0, false
	case strings.Contains(def, "secret"):
		return hookSecret, 0, true
	case strings.Contains(def, "password"):
		return hookNone, 0, false // hashed by the validator; stored as is
	case strings.Contains(def, "ip4"):
		return hookIP4, 0, true
	case strings.Contains(def, "ip6"):
		return hookIP6, 0, true
	case strings.Contains(def, "buffer"), strings.Contains(def, "bits"):
		return hookNone, 0, false // refused by the validator (see docs/compatibility.md)
	case strings.Contains(def, "money"), strings.Contains(def, "crypto"):
		d := 2
		if strings.Contains(def, "crypto") {
			d = 8
		}
		return hookMoney, atoiMatch(reMoney, def, d), true
	case strings.Contains(def, "decimal"):
		return hookDecimal, atoiMatch(reDecimal, def, 2), true
	case reTextPrefix.MatchString(def):
		return hookNone, 0, false // refused by the validator, as by s3db.js
	case strings.Contains(def, "geo:lat"):
		return hookGeoLat, atoiMatch(reGeoLat, def, 6), true
	case strings.Contains(def, "geo:lon"):
		return hookGeoLon, atoiMatch(reGeoLon, def, 6), true
	case strings.Contains(def, "geo:point"):
		return hookGeoPoint, atoiMatch(reGeoPoint, def, 6), true
	case strings.Contains(def, "number"):
		if isIntegerDef(def) {
			return hookInteger, 0, true
		}
		return hookNumber, 0, true
	case strings.Contains(def, "boolean"), strings.Contains(def, "bool"):
		return hookBool, 0, true
	case strings.Contains(def, "json"), strings.Contains(def, "object"):
		return hookJSON, 0, true
	}
	return hookNone, 0, false
}

func numberArrayHook(def string, integer bool, length int) (hookKind, int, bool) {
	switch {
	case integer:
		return hookIntegerArray, 0, true
	case length >= 256:
		return hookEmbedding, 0, true
	default:
		return hookDecimalArray, 0, true
	}
}

// collectHooks finds every path with a hook: object-notation arrays ({type:"array", items:…}) first,
// then every leaf definition string, as s3db.js's generateAutoHooks does. A path keeps its first hook.
func collectHooks(attrs codec.Ordered) []hook {
	var out []hook
	seen := map[string]bool{}
	add := func(h hook) {
		if !seen[h.path] {
			seen[h.path] = true
			out = append(out, h)
		}
	}
	var objectArrays func(defs codec.Ordered, prefix string)
	objectArrays = func(defs codec.Ordered, prefix string) {
		for _, m := range defs {
			if strings.HasPrefix(m.Name, "$$") {
				continue
			}
			sub, ok := m.Value.(codec.Ordered)
			if !ok {
				continue
			}
			p := joinPath(prefix, m.Name)
			t, hasType := sub.Get("type")
			if !hasType || t == nil || t == "" || t == false {
				objectArrays(sub, p)
				continue
			}
			items, _ := sub.Get("items")
			if t != "array" || items == nil {
				continue
			}
			itemsDef, _ := items.(string)
			length := -1
			if l, ok := sub.Get("length"); ok {
				if f, ok := l.(float64); ok {
					length = int(f)
				}
			}
			switch {
			case strings.Contains(itemsDef, "string"):
				add(hook{path: p, kind: hookStringArray})
			case strings.Contains(itemsDef, "number"):
				k, param, _ := numberArrayHook(itemsDef, strings.Contains(itemsDef, "integer"), length)
				add(hook{path: p, kind: k, param: param})
			}
		}
	}
	objectArrays(attrs, "")
	var leaves func(defs codec.Ordered, prefix string)
	leaves = func(defs codec.Ordered, prefix string) {
		for _, m := range defs {
			p := joinPath(prefix, m.Name)
			if sub, ok := m.Value.(codec.Ordered); ok && len(sub) > 0 {
				leaves(sub, p)
				continue
			}
			def, ok := m.Value.(string)
			if !ok || strings.Contains(p, "$$") || seen[p] {
				continue
			}
			if k, param, ok := fieldHook(def); ok {
				add(hook{path: p, kind: k, param: param})
			} else {
				seen[p] = true // first matching rule wins, even when it adds no hook
			}
		}
	}
	leaves(attrs, "")
	return out
}

// textKind is the encoding that the mapper itself (not a hook) applies to string values of the
// s3db custom text types.
type textKind int

const (
	textNone textKind = iota
	textUUID
	textDatetime
	textDateOnly
	textTimeOnly
	textMAC
	textCIDR
	textSemver
	textPhone
	textColor
	textDuration
	textEAN
)

func exactType(def, name string) bool { return def == name || strings.HasPrefix(def, name+"|") }

// textType mirrors the mapper's own chain of type tests (after hooks).
func textType(def string) textKind {
	switch {
	case exactType(def, "uuid"):
		return textUUID
	case strings.Contains(def, "datetime"):
		return textDatetime
	case strings.Contains(def, "dateonly"):
		return textDateOnly
	case exactType(def, "timeonly"):
		return textTimeOnly
	case exactType(def, "mac"):
		return textMAC
	case exactType(def, "cidr"):
		return textCIDR
	case exactType(def, "semver"):
		return textSemver
	case exactType(def, "phone"):
		return textPhone
	case exactType(def, "color"):
		return textColor
	case exactType(def, "duration"):
		return textDuration
	case exactType(def, "ean"):
		return textEAN
	}
	return textNone
}

func (k textKind) encode(s string) string {
	switch k {
	case textUUID:
		return codec.EncodeUUID(s)
	case textDatetime:
		return codec.EncodeDatetime(s)
	case textDateOnly:
		return codec.EncodeDateOnly(s)
	case textTimeOnly:
		return codec.EncodeTimeOnly(s)
	case textMAC:
		return codec.EncodeMAC(s)
	case textCIDR:
		return codec.EncodeCIDR(s)
	case textSemver:
		return codec.EncodeSemver(s)
	case textPhone:
		return codec.EncodePhone(s)
	case textColor:
		return codec.EncodeColor(s)
	case textDuration:
		return codec.EncodeDuration(s)
	case textEAN:
		return codec.EncodeEAN(s)
	}
	return s
}

func (k textKind) decode(s string) string {
	switch k {
	case textUUID:
		return codec.DecodeUUID(s)
	case textDatetime:
		return codec.DecodeDatetime(s)
	case textDateOnly:
		return codec.DecodeDateOnly(s)
	case textTimeOnly:
		return codec.DecodeTimeOnly(s)
	case textMAC:
		return codec.DecodeMAC(s)
	case textCIDR:
		return codec.DecodeCIDR(s)
	case textSemver:
		return codec.DecodeSemver(s)
	case textPhone:
		return codec.DecodePhone(s)
	case textColor:
		return codec.DecodeColor(s)
	case textDuration:
		return codec.DecodeDuration(s)
	case textEAN:
		return codec.DecodeEAN(s)
	}
	return s
}
