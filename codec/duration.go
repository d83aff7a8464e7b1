package codec

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

var (
	// durationISO is the ISO 8601 subset s3db.js reads: days, hours, minutes, (fractional) seconds.
	durationISO = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	durationMs  = regexp.MustCompile(`(\d+)ms`)
	durationD   = regexp.MustCompile(`(\d+(?:\.\d+)?)d`)
	durationH   = regexp.MustCompile(`(\d+(?:\.\d+)?)h`)
	durationM   = regexp.MustCompile(`(\d+(?:\.\d+)?)m`)
	durationS   = regexp.MustCompile(`(\d+(?:\.\d+)?)s`)
)

// parseDurationText reproduces s3db.js's duration parsing (identical in its validator and its
// mapper): an ISO P…D T…H…M…S text, or a human text where the first "<n>ms", "<n>d", "<n>h",
// "<n>m" and "<n>s" (case-insensitive, each at most once) are added up. The result is rounded
// to whole milliseconds; ok is false when nothing matched.
func parseDurationText(s string) (float64, bool) {
	if g := durationISO.FindStringSubmatch(s); g != nil && s != "P" && s != "PT" {
		secs := txtParseIntOrZero(g[1])*86400 + txtParseIntOrZero(g[2])*3600 + txtParseIntOrZero(g[3])*60 + parseFloatOrZero(g[4])
		return jsRound(secs * 1000), true
	}
	low := asciiLower(s)
	total, matched := 0.0, false
	if g := durationMs.FindStringSubmatch(low); g != nil {
		total += txtParseInt(g[1], 10)
		matched = true
	}
	clean := durationMs.ReplaceAllString(low, "")
	for _, u := range []struct {
		re    *regexp.Regexp
		scale float64
	}{{durationD, 86_400_000}, {durationH, 3_600_000}, {durationM, 60_000}, {durationS, 1000}} {
		if g := u.re.FindStringSubmatch(clean); g != nil {
			total += parseFloatOrZero(g[1]) * u.scale
			matched = true
		}
	}
	if !matched {
		return 0, false
	}
	return jsRound(total), true
}

func txtParseIntOrZero(s string) float64 {
	if s == "" {
		return 0
	}
	return txtParseInt(s, 10)
}

// parseFloatOrZero is parseFloat of a digits[.digits] text, 0 for "".
func parseFloatOrZero(s string) float64 {
	if s == "" {
		return 0
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// asciiLower lowercases ASCII letters only; for the duration patterns (digits and d, h, m, s) this
// matches JavaScript's toLowerCase.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// durationNumber reports whether s is the JavaScript text of a finite non-negative number (what
// NormalizeDuration returns), so that EncodeDuration treats it like the number s3db.js's
// validator hands to its mapper.
func durationNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || FormatNumber(f) != s {
		return 0, false
	}
	return f, true
}

// NormalizeDuration is s3db.js's `duration` validator, which turns every accepted value into a
// number of milliseconds; the result is that number's JavaScript text (see NormalizeDurationMs
// for the number itself and the accepted forms).
func NormalizeDuration(v any) (string, error) {
	ms, err := NormalizeDurationMs(v)
	if err != nil {
		return "", err
	}
	return FormatNumber(ms), nil
}

// NormalizeDurationMs is s3db.js's `duration` validator: the number of milliseconds it stores.
// Accepted: a finite non-negative number of milliseconds (kept as it is, fractions included: the
// mapper rounds); ISO 8601 texts with days, hours, minutes and (fractional) seconds (PT1H30M →
// 5400000, P1DT2H); and human texts such as 1h30m, 90m, 1.5h, 500ms, 1d2h3m4s5ms
// (case-insensitive; the first occurrence of each unit counts), rounded to whole milliseconds.
// Weeks, months and years are not understood. Durations above 2^53-1 ms are refused (s3db.js
// accepts them but reads them back altered).
func NormalizeDurationMs(v any) (float64, error) {
	if f, ok := AsNumber(v); ok {
		if f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return checkDurationRange(v, f)
		}
		return 0, valueErr("duration", v, "must be a non-negative finite number of milliseconds")
	}
	if s, ok := v.(string); ok {
		if ms, ok := parseDurationText(s); ok {
			return checkDurationRange(v, ms)
		}
	}
	return 0, valueErr("duration", v, "not a duration (e.g. PT1H30M, 1h30m, 90m, or milliseconds as a number)")
}

// maxDurationMs is the largest duration that reads back exactly: s3db.js decodes with float64
// arithmetic, which is exact only up to 2^53 milliseconds (about 285 616 years).
const maxDurationMs = 1<<53 - 1

// checkDurationRange refuses durations that s3db.js would store but read back altered.
func checkDurationRange(v any, ms float64) (float64, error) {
	if jsRound(ms) > maxDurationMs {
		return 0, valueErr("duration", v, "longer than 2^53-1 milliseconds (about 285616 years), which cannot be stored exactly")
	}
	return ms, nil
}

// EncodeDuration is the s3db.js mapper for `duration`: base62 of the milliseconds
// (PT1H30M → mEMM, 1234 → jU). The text of a non-negative number (what NormalizeDuration
// returns) is rounded and encoded as the number JavaScript's validator produced; other text is
// parsed as ISO or human duration as in s3db.js, and stored as it is when nothing matches.
// (s3db.js itself would store a digits-only string as it is, but its validator never lets one
// reach the mapper.)
func EncodeDuration(s string) string {
	if f, ok := durationNumber(s); ok {
		return EncodeInteger(jsRound(f))
	}
	if s == "" {
		return s
	}
	ms, ok := parseDurationText(s)
	if !ok || ms < 0 {
		return s
	}
	return EncodeInteger(ms)
}

// DecodeDuration reads a stored `duration`: a non-empty text not starting with "P" is base62
// milliseconds → ISO 8601 (PT1H30M, PT1.234S, P1DT2H, PT0.5S → "PT0.500S", zero → PT0S), with
// JavaScript's arithmetic. Other text, or text with a character outside base62, is returned
// unchanged.
func DecodeDuration(s string) string {
	if s == "" || s[0] == 'P' {
		return s
	}
	ms, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	days := math.Floor(ms / 86_400_000)
	hours := math.Floor(math.Mod(ms, 86_400_000) / 3_600_000)
	minutes := math.Floor(math.Mod(ms, 3_600_000) / 60_000)
	seconds := math.Floor(math.Mod(ms, 60_000) / 1000)
	millis := math.Mod(ms, 1000)
	var b strings.Builder
	b.WriteString("P")
	if days != 0 {
		b.WriteString(FormatNumber(days) + "D")
	}
	if hours != 0 || minutes != 0 || seconds != 0 || millis != 0 {
		b.WriteString("T")
		if hours != 0 {
			b.WriteString(FormatNumber(hours) + "H")
		}
		if minutes != 0 {
			b.WriteString(FormatNumber(minutes) + "M")
		}
		switch {
		case seconds != 0 && millis != 0:
			b.WriteString(FormatNumber(seconds) + "." + txtPadStart(FormatNumber(millis), 3) + "S")
		case seconds != 0:
			b.WriteString(FormatNumber(seconds) + "S")
		case millis != 0:
			b.WriteString("0." + txtPadStart(FormatNumber(millis), 3) + "S")
		}
	}
	if b.Len() == 1 {
		return "PT0S"
	}
	return b.String()
}
