package schema

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/s3db-go/s3db/codec"
)

// The built-in checks of the s3db custom types: ports of the aliases registered by s3db.js
// 21.6.2's Validator. They return what s3db.js stores (normalised text, or milliseconds for
// durations).

func vBuiltinNormalizers() Normalizers {
	return Normalizers{
		Datetime: vNormDatetime, DateOnly: vNormDateOnly, TimeOnly: vNormTimeOnly, MAC: vNormMAC,
		CIDR: vNormCIDR, Semver: vNormSemver, Phone: vNormPhone, Color: vNormColor,
		Duration: vNormDuration, Cron: vNormCron, Locale: vNormLocale, Currency: vNormCurrency,
		Country: vNormCountry, EAN: vNormEAN,
	}
}

// vMaxDateMs is the range of a JavaScript Date (±8.64e15 ms around the epoch).
const vMaxDateMs = 8.64e15

var vReJSDate = regexp.MustCompile(`^([+-]\d{6}|\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?` +
	`(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([Zz]|[+-]\d{2}:?\d{2})?)?$`)

// vParseJSDate parses the date texts `new Date(text)` accepts in ISO 8601 form (and the common
// "YYYY-MM-DD HH:mm:ss" and "YYYY/MM/DD" variants), returning epoch milliseconds. Day overflow
// rolls into the next month as in V8 (2024-02-30 is March 1st). Texts without an offset are read
// as UTC (Node reads date-times without offset in the process time zone; s3db servers run UTC).
// V8's other legacy formats ("Jan 2 2024") are refused.
func vParseJSDate(text string) (float64, bool) {
	m := vReJSDate.FindStringSubmatch(codec.JSTrim(text))
	if m == nil || m[1] == "-000000" {
		return 0, false
	}
	atoi := func(s string, def int) int {
		if s == "" {
			return def
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	year, month, day := atoi(m[1], 0), atoi(m[2], 1), atoi(m[3], 1)
	hour, minute, sec := atoi(m[4], 0), atoi(m[5], 0), atoi(m[6], 0)
	ms := 0
	if m[7] != "" {
		frac := (m[7] + "00")[:3]
		ms = atoi(frac, 0)
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || sec > 59 || hour > 24 ||
		(hour == 24 && (minute != 0 || sec != 0 || ms != 0)) {
		return 0, false
	}
	offset := 0
	if tz := m[8]; tz != "" && tz != "Z" && tz != "z" {
		digits := strings.ReplaceAll(tz[1:], ":", "")
		oh, om := atoi(digits[:2], 0), atoi(digits[2:], 0)
		if oh > 23 || om > 59 {
			return 0, false
		}
		offset = oh*60 + om
		if tz[0] == '-' {
			offset = -offset
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	msTotal := float64(t.Unix())*1000 + float64(ms) - float64(offset)*60000
	if math.Abs(msTotal) > vMaxDateMs {
		return 0, false
	}
	return msTotal, true
}

// vISODate is Date.prototype.toISOString for epoch milliseconds (already clipped to whole ms).
func vISODate(ms float64) string {
	t := time.UnixMilli(int64(ms)).UTC()
	y := t.Year()
	var year string
	switch {
	case y >= 0 && y <= 9999:
		year = fmt.Sprintf("%04d", y)
	case y < 0:
		year = fmt.Sprintf("-%06d", -y)
	default:
		year = fmt.Sprintf("+%06d", y)
	}
	return fmt.Sprintf("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", year, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6)
}

// vDateMs is `new Date(v).getTime()` for a number or a string: (ms, valid).
func vDateMs(v any) (float64, bool) {
	switch t := v.(type) {
	case string:
		return vParseJSDate(t)
	}
	f, ok := codec.AsNumber(v)
	if !ok || !finite(f) || math.Abs(f) > vMaxDateMs {
		return 0, false
	}
	return math.Trunc(f) + 0, true // TimeClip
}

func vNormDatetime(v any) (any, error) {
	if _, isBool := v.(bool); isBool {
		return nil, errInvalidCustom
	}
	ms, ok := vDateMs(v)
	if !ok {
		return nil, errInvalidCustom
	}
	return vISODate(ms), nil
}

func vNormDateOnly(v any) (any, error) {
	var ms float64
	var ok bool
	switch t := v.(type) {
	case string:
		if strings.Contains(t, "T") {
			ms, ok = vParseJSDate(t)
		} else {
			ms, ok = vParseJSDate(t + "T00:00:00.000Z")
		}
	case bool:
	default:
		ms, ok = vDateMs(v)
	}
	if !ok {
		return nil, errInvalidCustom
	}
	return vISODate(ms)[:10], nil
}

var vReTimeOnly = regexp.MustCompile(`^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$`)

func vNormTimeOnly(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	if m := vReTimeOnly.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		sec, ms := 0, 0
		if m[3] != "" {
			sec, _ = strconv.Atoi(m[3])
		}
		if m[4] != "" {
			ms, _ = strconv.Atoi((m[4] + "00")[:3])
		}
		if h <= 23 && mi <= 59 && sec <= 59 {
			return fmt.Sprintf("%02d:%02d:%02d.%03d", h, mi, sec, ms), nil
		}
	}
	if strings.Contains(s, "T") {
		if ms, ok := vParseJSDate(s); ok {
			return vISODate(ms)[11:23], nil
		}
	}
	return nil, errInvalidCustom
}

var (
	vReMACSeparators = regexp.MustCompile(`[:\-.]`)
	vReHex12         = regexp.MustCompile(`^[0-9a-f]{12}$`)
)

func vNormMAC(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	c := vLower(vReMACSeparators.ReplaceAllString(s, ""))
	if !vReHex12.MatchString(c) {
		return nil, errInvalidCustom
	}
	return c[0:2] + ":" + c[2:4] + ":" + c[4:6] + ":" + c[6:8] + ":" + c[8:10] + ":" + c[10:12], nil
}

var vReCIDR = regexp.MustCompile(`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})$`)

func vNormCIDR(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	m := vReCIDR.FindStringSubmatch(s)
	if m == nil {
		return nil, errInvalidCustom
	}
	parts := make([]string, 4)
	for i := 0; i < 4; i++ {
		n, _ := strconv.Atoi(m[i+1])
		if n > 255 {
			return nil, errInvalidCustom
		}
		parts[i] = strconv.Itoa(n)
	}
	prefix, _ := strconv.Atoi(m[5])
	if prefix > 32 {
		return nil, errInvalidCustom
	}
	return strings.Join(parts, ".") + "/" + strconv.Itoa(prefix), nil
}

var vReSemver = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)

func vNormSemver(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	m := vReSemver.FindStringSubmatch(strings.TrimPrefix(s, "v"))
	if m == nil {
		return nil, errInvalidCustom
	}
	n := func(d string) string { return codec.FormatNumber(codec.ParseJSNumber(d)) }
	return n(m[1]) + "." + n(m[2]) + "." + n(m[3]), nil
}

var (
	vRePhoneStrip  = regexp.MustCompile(`[` + vJSSpaceClass + `\-().]`)
	vRePhoneDigits = regexp.MustCompile(`^\d{7,15}$`)
)

func vNormPhone(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	d := vRePhoneStrip.ReplaceAllString(s, "")
	if !strings.HasPrefix(d, "+") {
		d = "+" + d
	}
	if !vRePhoneDigits.MatchString(d[1:]) {
		return nil, errInvalidCustom
	}
	return d, nil
}

var (
	vReHex3 = regexp.MustCompile(`^[0-9a-f]{3}$`)
	vReHex6 = regexp.MustCompile(`^[0-9a-f]{6}$`)
)

func vNormColor(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	h := vLower(strings.TrimPrefix(s, "#"))
	if vReHex3.MatchString(h) {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if !vReHex6.MatchString(h) {
		return nil, errInvalidCustom
	}
	return "#" + h, nil
}

var (
	vReISODuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	vReDurMs       = regexp.MustCompile(`(\d+)ms`)
	vReDurD        = regexp.MustCompile(`(\d+(?:\.\d+)?)d`)
	vReDurH        = regexp.MustCompile(`(\d+(?:\.\d+)?)h`)
	vReDurM        = regexp.MustCompile(`(\d+(?:\.\d+)?)m`)
	vReDurS        = regexp.MustCompile(`(\d+(?:\.\d+)?)s`)
)

// vJSRound is Math.round: halves round towards +∞.
func vJSRound(f float64) float64 { return math.Floor(f + 0.5) }

func vNormDuration(v any) (any, error) {
	if f, ok := v.(float64); ok {
		if f >= 0 && finite(f) {
			return f, nil
		}
		return nil, errInvalidCustom
	}
	if _, isNum := codec.AsNumber(v); isNum {
		return vNormDuration(codec.JSNumber(v))
	}
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	num := func(t string) float64 { return codec.ParseJSNumber(t) }
	if m := vReISODuration.FindStringSubmatch(s); m != nil && s != "P" && s != "PT" {
		ms := (num(m[1])*86400 + num(m[2])*3600 + num(m[3])*60 + num(m[4])) * 1000
		return vJSRound(ms), nil
	}
	low := vLower(s)
	ms, matched := 0.0, false
	if m := vReDurMs.FindStringSubmatch(low); m != nil {
		ms += num(m[1])
		matched = true
	}
	clean := vReDurMs.ReplaceAllString(low, "")
	for _, u := range []struct {
		re *regexp.Regexp
		k  float64
	}{{vReDurD, 86400000}, {vReDurH, 3600000}, {vReDurM, 60000}, {vReDurS, 1000}} {
		if m := u.re.FindStringSubmatch(clean); m != nil {
			ms += num(m[1]) * u.k
			matched = true
		}
	}
	if !matched {
		return nil, errInvalidCustom
	}
	return vJSRound(ms), nil
}

var (
	vReSpaces   = regexp.MustCompile(`[` + vJSSpaceClass + `]+`)
	vReCronPart = regexp.MustCompile(`^(\*|(\d+(-\d+)?(/\d+)?)(,(\d+(-\d+)?(/\d+)?))*|\*/\d+)$`)
)

func vNormCron(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	parts := vReSpaces.Split(codec.JSTrim(s), -1)
	if len(parts) != 5 {
		return nil, errInvalidCustom
	}
	for _, p := range parts {
		if !vReCronPart.MatchString(p) {
			return nil, errInvalidCustom
		}
	}
	return strings.Join(parts, " "), nil
}

var (
	vReLocalePair = regexp.MustCompile(`^([a-zA-Z]{2})[-_]([a-zA-Z]{2})$`)
	vReLetters2   = regexp.MustCompile(`^[a-zA-Z]{2}$`)
	vReLetters3   = regexp.MustCompile(`^[a-zA-Z]{3}$`)
)

func vNormLocale(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	if m := vReLocalePair.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1]) + "-" + strings.ToUpper(m[2]), nil
	}
	if vReLetters2.MatchString(s) {
		return strings.ToLower(s), nil
	}
	return nil, errInvalidCustom
}

func vNormCurrency(v any) (any, error) {
	if s, ok := v.(string); ok && vReLetters3.MatchString(s) {
		return strings.ToUpper(s), nil
	}
	return nil, errInvalidCustom
}

func vNormCountry(v any) (any, error) {
	if s, ok := v.(string); ok && vReLetters2.MatchString(s) {
		return strings.ToUpper(s), nil
	}
	return nil, errInvalidCustom
}

var vReEAN = regexp.MustCompile(`^\d{8}$|^\d{12}$|^\d{13}$|^\d{14}$`)

func vNormEAN(v any) (any, error) {
	if s, ok := v.(string); ok {
		if vReEAN.MatchString(s) {
			return s, nil
		}
		return nil, errInvalidCustom
	}
	f, ok := codec.AsNumber(v)
	if !ok || !finite(f) || f != math.Trunc(f) || f < 0 {
		return nil, errInvalidCustom
	}
	s := codec.FormatNumber(f)
	if len(s) > 14 {
		return nil, errInvalidCustom
	}
	return strings.Repeat("0", max(0, 13-len(s))) + s, nil
}
