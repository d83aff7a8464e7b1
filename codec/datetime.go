package codec

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Datetimes follow JavaScript's Date: a time value is a whole number of milliseconds since the
// epoch, valid within ±8.64e15 (about ±275760 years), written by toISOString. s3db.js stores
// `datetime` as base62 epoch milliseconds, `dateonly` as base62 days since the epoch and
// `timeonly` as base62 milliseconds since midnight (format spec §4.2).

const (
	msPerDay  = 86_400_000
	maxTimeMs = 8.64e15 // JavaScript's TimeClip bound
)

// FormatISO is JavaScript's Date.prototype.toISOString for the instant t truncated to milliseconds
// (JS dates hold whole milliseconds; the floor is taken, so 1 ns before the epoch is
// 1969-12-31T23:59:59.999Z): `YYYY-MM-DDTHH:mm:ss.sssZ`, with years outside 0..9999 written as a
// sign and six digits (`+275760-09-13T00:00:00.000Z`, `-000001-01-01T00:00:00.000Z`).
// JavaScript throws for instants outside ±8.64e15 ms; FormatISO formats them anyway.
func FormatISO(t time.Time) string {
	return isoFromMs(timeToMs(t))
}

// timeToMs is the JavaScript time value of t (floor to milliseconds).
func timeToMs(t time.Time) int64 {
	return t.Unix()*1000 + int64(t.Nanosecond()/1_000_000)
}

// isoFromMs formats a time value as toISOString does.
func isoFromMs(ms int64) string {
	t := time.UnixMilli(ms).UTC()
	y := t.Year()
	if y >= 0 && y <= 9999 { // the common case, without time's general formatter
		var buf [24]byte
		mo, d := t.Month(), t.Day()
		h, mi, sec := t.Clock()
		milli := int(ms % 1000)
		if milli < 0 {
			milli += 1000
		}
		put := func(at, v, width int) {
			for i := at + width - 1; i >= at; i-- {
				buf[i] = byte('0' + v%10)
				v /= 10
			}
		}
		put(0, y, 4)
		buf[4] = '-'
		put(5, int(mo), 2)
		buf[7] = '-'
		put(8, d, 2)
		buf[10] = 'T'
		put(11, h, 2)
		buf[13] = ':'
		put(14, mi, 2)
		buf[16] = ':'
		put(17, sec, 2)
		buf[19] = '.'
		put(20, milli, 3)
		buf[23] = 'Z'
		return string(buf[:])
	}
	var b []byte
	switch {
	case y >= 0 && y <= 9999:
		b = append(b, txtPadStart(strconv.Itoa(y), 4)...)
	case y < 0:
		b = append(b, '-')
		b = append(b, txtPadStart(strconv.Itoa(-y), 6)...)
	default:
		b = append(b, '+')
		b = append(b, txtPadStart(strconv.Itoa(y), 6)...)
	}
	b = t.AppendFormat(b, "-01-02T15:04:05.000Z")
	return string(b)
}

// isValidTimeValue reports whether ms (already integral) is a valid JavaScript time value.
func isValidTimeValue(ms float64) bool {
	return !math.IsNaN(ms) && math.Abs(ms) <= maxTimeMs
}

// parseJSDate is `new Date(s).getTime()`: the ISO 8601 grammar first (parseISOJSDate), then the
// part of V8's legacy fallback that parseLegacyJSDate reproduces. ok is false where JavaScript
// gives an Invalid Date and for the legacy forms not reproduced. Texts without an offset are
// local time in loc, as JavaScript reads them in the process time zone; the exported functions
// pass time.UTC (see NormalizeDatetime).
func parseJSDate(s string, loc *time.Location) (int64, bool) {
	if ms, ok := parseISOJSDate(s, loc); ok {
		return ms, true
	}
	return parseLegacyJSDate(s, loc)
}

// parseISOJSDate reproduces `new Date(s).getTime()` for the ISO 8601 forms of the ECMAScript
// Date Time String Format as V8 reads them; ok is false where JavaScript gives an Invalid Date
// and also for the non-ISO forms V8's legacy parser accepts but this parser does not (see
// NormalizeDatetime). Forms with a time and no offset are local time in loc, as in JavaScript.
func parseISOJSDate(s string, loc *time.Location) (int64, bool) {
	p := dateScanner{s: s}
	year, ok := p.year()
	if !ok {
		return 0, false
	}
	month, day, fullDate := 1, 1, false
	if p.eat('-') {
		if month, ok = p.digits(2); !ok {
			return 0, false
		}
		if p.eat('-') {
			if day, ok = p.digits(2); !ok {
				return 0, false
			}
			fullDate = true
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return 0, false
	}
	// V8 accepts days up to 31 in every month and lets them overflow (2024-02-30 is March 1).
	days := daysFromCivil(int64(year), month) + int64(day-1)
	if p.done() {
		ms := float64(days) * msPerDay
		return int64(ms), isValidTimeValue(ms)
	}
	if !(p.eat('T') || fullDate && (p.eat('t') || p.eat(' '))) {
		return 0, false
	}
	clock, ok := p.clock(p.twoDigits)
	if !ok {
		return 0, false
	}
	local := float64(days)*msPerDay + float64(clock)
	var ms float64
	switch {
	case p.done():
		if !isValidTimeValue(local) {
			return 0, false
		}
		ms = float64(localToUTC(int64(local), loc))
	case p.eat('Z') || p.eat('z'):
		if !p.done() {
			return 0, false
		}
		ms = local
	default:
		off, ok := p.offset()
		if !ok || !p.done() {
			return 0, false
		}
		ms = local + float64(off)
	}
	if !isValidTimeValue(ms) {
		return 0, false
	}
	return int64(ms), true
}

// localToUTC converts a local wall-clock time value to UTC as ECMAScript's UTC(t) does: when the
// wall time exists twice (clocks set back) the earlier instant wins; when it does not exist
// (clocks set forward) the offset in force before the transition is used.
func localToUTC(local int64, loc *time.Location) int64 {
	offsetAt := func(ms int64) int64 {
		_, off := time.UnixMilli(ms).In(loc).Zone()
		return int64(off) * 1000
	}
	before := offsetAt(local - msPerDay)
	after := offsetAt(local + msPerDay)
	best, found := int64(0), false
	for _, off := range []int64{before, after, offsetAt(local)} {
		inst := local - off
		if offsetAt(inst) == off && (!found || inst < best) {
			best, found = inst, true
		}
	}
	if found {
		return best
	}
	return local - before
}

// daysFromCivil counts days from 1970-01-01 to the first day of month m of year y (proleptic
// Gregorian, astronomical years).
func daysFromCivil(y int64, m int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp + 2) / 5
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateScanner walks an ISO date text.
type dateScanner struct {
	s string
	i int
}

func (p *dateScanner) done() bool { return p.i == len(p.s) }

func (p *dateScanner) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// digits reads exactly n ASCII digits.
func (p *dateScanner) digits(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(p.s[p.i : p.i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

// twoDigits reads exactly two ASCII digits.
func (p *dateScanner) twoDigits() (int, bool) { return p.digits(2) }

// clock reads H:m[:s[.fraction]], each field read by field, and returns milliseconds since
// midnight. Like V8 it keeps the first three fraction digits (any number may follow), allows 24:00
// (with zero seconds and fraction) for the next midnight, and refuses minutes or seconds above 59.
func (p *dateScanner) clock(field func() (int, bool)) (int, bool) {
	hour, ok1 := field()
	colon := p.eat(':')
	minute, ok2 := field()
	if !ok1 || !colon || !ok2 {
		return 0, false
	}
	second, milli, fracZero := 0, 0, true
	if p.eat(':') {
		var ok bool
		if second, ok = field(); !ok {
			return 0, false
		}
		if p.eat('.') {
			start := p.i
			for p.i < len(p.s) && isDigit(p.s[p.i]) {
				p.i++
			}
			frac := p.s[start:p.i]
			if frac == "" {
				return 0, false
			}
			fracZero = strings.Trim(frac, "0") == ""
			milli, _ = strconv.Atoi((frac + "00")[:3])
		}
	}
	if hour > 24 || minute > 59 || second > 59 || hour == 24 && (minute != 0 || second != 0 || !fracZero) {
		return 0, false
	}
	return ((hour*60+minute)*60+second)*1000 + milli, true
}

// offset reads a UTC offset ±HH:MM or ±HHMM (hours to 23, minutes to 59) and returns what to
// add to a local time value to get UTC.
func (p *dateScanner) offset() (int64, bool) {
	if p.done() || p.s[p.i] != '+' && p.s[p.i] != '-' {
		return 0, false
	}
	sign := p.s[p.i]
	p.i++
	oh, ok1 := p.digits(2)
	p.eat(':')
	om, ok2 := p.digits(2)
	if !ok1 || !ok2 || oh > 23 || om > 59 {
		return 0, false
	}
	off := int64((oh*60 + om) * 60000)
	if sign == '+' {
		off = -off
	}
	return off, true
}

// year reads YYYY or ±YYYYYY (-000000 is not allowed).
func (p *dateScanner) year() (int, bool) {
	if p.eat('+') {
		return p.digits(6)
	}
	if p.eat('-') {
		y, ok := p.digits(6)
		return -y, ok && y != 0
	}
	return p.digits(4)
}

// dateInputMs turns a JavaScript-Date-like input (time.Time or a number of epoch milliseconds) into
// a time value, as `new Date(number)` and Date objects do. ok is false for other types; valid is
// false for NaN and out-of-range values.
func dateInputMs(v any) (ms int64, ok, valid bool) {
	switch x := v.(type) {
	case time.Time:
		m := timeToMs(x)
		return m, true, math.Abs(float64(m)) <= maxTimeMs && x.Unix() > -maxTimeMs/1000-1 && x.Unix() < maxTimeMs/1000+1
	case *time.Time:
		if x == nil {
			return 0, false, false
		}
		return dateInputMs(*x)
	}
	f, isNum := AsNumber(v)
	if !isNum {
		return 0, false, false
	}
	if !isValidTimeValue(f) || math.IsInf(f, 0) {
		return 0, true, false
	}
	return int64(math.Trunc(f)), true, true // TimeClip truncates toward zero
}

const datetimeForms = "expected an ISO 8601 date or date-time such as 2024-01-02 or 2024-01-02T03:04:05.678Z, epoch milliseconds, or a time.Time"

// NormalizeDatetime is what s3db.js's `datetime` validator does to a value before it is stored:
// the result is the toISOString text (`2024-01-02T03:04:05.678Z`). Accepted inputs:
//   - strings in the ISO forms of `new Date(string)`: YYYY, YYYY-MM, YYYY-MM-DD (UTC midnight),
//     optionally followed by THH:mm, THH:mm:ss or THH:mm:ss.fraction (any number of fraction
//     digits, truncated to milliseconds) and Z or ±HH:mm / ±HHmm; extended years ±YYYYYY. Like
//     V8, days up to 31 roll over into the next month (2024-02-30 is 2024-03-01), hour 24 is
//     allowed for 24:00:00, and after a full date the separator may also be a lowercase t or a
//     space, the Z a lowercase z;
//   - the common forms of V8's legacy fallback parser: white space around the text
//     ("  2024-01-02  "), 1-digit fields and "/" separators (2024/1/2), white space before the
//     time ("2024-01-02  3:04") and before Z or an offset, a date followed by Z;
//   - numbers (any Go integer or float type, json.Number): epoch milliseconds, truncated toward
//     zero;
//   - time.Time, truncated to milliseconds (a JavaScript Date).
//
// Time zone: JavaScript reads a date-time without an offset (and a legacy date-only form) in the
// process time zone. s3db-go pins UTC instead, whatever the machine's zone, so that what a
// server stores never depends on its TZ; this equals s3db.js running with TZ=UTC.
//
// Not accepted, although V8's legacy fallback parser takes them: "+2024-01-02", two-digit and
// six-digit legacy years, "Jan 2 2024", 12/31/2024, am/pm, RFC 2822 texts ("Tue, 02 Jan 2024
// 03:04:05 GMT"), "UTC"/"GMT" words and "-000000-…"; these return a *ValueError instead. Values
// outside ±8.64e15 ms are rejected as JavaScript does.
func NormalizeDatetime(v any) (string, error) { return normalizeDatetimeIn(v, time.UTC) }

func normalizeDatetimeIn(v any, loc *time.Location) (string, error) {
	if s, ok := v.(string); ok {
		ms, ok := parseJSDate(s, loc)
		if !ok {
			return "", valueErr("datetime", v, "not a valid datetime (%s)", datetimeForms)
		}
		return isoFromMs(ms), nil
	}
	ms, ok, valid := dateInputMs(v)
	if !ok {
		return "", valueErr("datetime", v, "unsupported type (%s)", datetimeForms)
	}
	if !valid {
		return "", valueErr("datetime", v, "outside the range of JavaScript dates (±8.64e15 ms around 1970)")
	}
	return isoFromMs(ms), nil
}

// NormalizeDateOnly is s3db.js's `dateonly` validator: the first ten characters of the
// toISOString text (`2024-01-02`). Strings without a "T" are read as that text followed by
// T00:00:00.000Z (so 2024-01-02 is that UTC day); strings with a "T" are parsed as by
// NormalizeDatetime. Numbers and time.Time are epoch milliseconds / instants, as for datetime.
// For years outside 0..9999 JavaScript's slice gives texts such as "+275760-09"; they are
// reproduced.
func NormalizeDateOnly(v any) (string, error) { return normalizeDateOnlyIn(v, time.UTC) }

func normalizeDateOnlyIn(v any, loc *time.Location) (string, error) {
	if s, ok := v.(string); ok {
		ms, ok := parseJSDate(dateOnlyText(s), loc)
		if !ok {
			return "", valueErr("dateonly", v, "not a valid date (expected YYYY-MM-DD, an ISO date-time, epoch milliseconds or a time.Time)")
		}
		return isoFromMs(ms)[:10], nil
	}
	ms, ok, valid := dateInputMs(v)
	if !ok {
		return "", valueErr("dateonly", v, "unsupported type (expected YYYY-MM-DD, an ISO date-time, epoch milliseconds or a time.Time)")
	}
	if !valid {
		return "", valueErr("dateonly", v, "outside the range of JavaScript dates (±8.64e15 ms around 1970)")
	}
	return isoFromMs(ms)[:10], nil
}

// dateOnlyText is the text s3db.js hands to new Date() for a dateonly string.
func dateOnlyText(s string) string {
	if strings.Contains(s, "T") {
		return s
	}
	return s + "T00:00:00.000Z"
}

// timeOnlyPattern is the HH:mm[:ss[.SSS]] form of s3db.js's timeonly type.
var timeOnlyPattern = regexp.MustCompile(`^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$`)

// parseTimeOnly splits a timeonly text into its fields (milliseconds right-padded to 3 digits).
func parseTimeOnly(s string) (h, m, sec, ms int, ok bool) {
	g := timeOnlyPattern.FindStringSubmatch(s)
	if g == nil {
		return 0, 0, 0, 0, false
	}
	h, _ = strconv.Atoi(g[1])
	m, _ = strconv.Atoi(g[2])
	if g[3] != "" {
		sec, _ = strconv.Atoi(g[3])
	}
	if g[4] != "" {
		ms, _ = strconv.Atoi((g[4] + "00")[:3])
	}
	return h, m, sec, ms, true
}

// NormalizeTimeOnly is s3db.js's `timeonly` validator: `HH:MM:SS.mmm`. Accepted: "HH:mm",
// "HH:mm:ss" and "HH:mm:ss.S" to ".SSS" within 00:00–23:59:59.999; a string containing "T" that
// NormalizeDatetime accepts (its UTC time of day); a time.Time (its UTC time of day). Numbers are
// refused, as in JavaScript. Like JavaScript, the time of day is characters 11–22 of the ISO text,
// which for years outside 0..9999 is not a time ("3T00:00:00.0"); that quirk is reproduced.
func NormalizeTimeOnly(v any) (string, error) { return normalizeTimeOnlyIn(v, time.UTC) }

func normalizeTimeOnlyIn(v any, loc *time.Location) (string, error) {
	const forms = "expected HH:mm, HH:mm:ss or HH:mm:ss.SSS, an ISO date-time, or a time.Time"
	switch x := v.(type) {
	case string:
		if h, m, s, ms, ok := parseTimeOnly(x); ok {
			if h <= 23 && m <= 59 && s <= 59 {
				return formatClock(h, m, s, ms), nil
			}
		}
		if strings.Contains(x, "T") {
			if ms, ok := parseJSDate(x, loc); ok {
				return txtSlice16(isoFromMs(ms), 11, 23), nil
			}
		}
		return "", valueErr("timeonly", v, "not a valid time (%s)", forms)
	case time.Time, *time.Time:
		ms, ok, valid := dateInputMs(v)
		if !ok || !valid {
			return "", valueErr("timeonly", v, "outside the range of JavaScript dates (±8.64e15 ms around 1970)")
		}
		return txtSlice16(isoFromMs(ms), 11, 23), nil
	}
	return "", valueErr("timeonly", v, "unsupported type (%s)", forms)
}

func formatClock(h, m, s, ms int) string {
	return txtPadStart(strconv.Itoa(h), 2) + ":" + txtPadStart(strconv.Itoa(m), 2) + ":" +
		txtPadStart(strconv.Itoa(s), 2) + "." + txtPadStart(strconv.Itoa(ms), 3)
}

// EncodeDatetime is the s3db.js mapper for `datetime`: base62 epoch milliseconds of
// `new Date(s)` (2024-01-02T03:04:05.678Z → u0aFbhc). The empty string and text that does not
// parse (see NormalizeDatetime for the accepted forms) are stored as they are, as JavaScript does
// for invalid dates.
func EncodeDatetime(s string) string { return encodeDatetimeIn(s, time.UTC) }

func encodeDatetimeIn(s string, loc *time.Location) string {
	if s == "" {
		return s
	}
	ms, ok := parseJSDate(s, loc)
	if !ok {
		return s
	}
	return EncodeInteger(float64(ms))
}

// DecodeDatetime reads a stored `datetime`: base62 epoch milliseconds → ISO text with
// milliseconds and Z. The empty string stays empty. Where JavaScript throws (a character outside
// base62, or a value beyond ±8.64e15 ms) the stored text is returned unchanged, so values that
// were stored as they are come back as they are.
func DecodeDatetime(s string) string {
	if s == "" {
		return s
	}
	ms, ok := DecodeInteger(s)
	if !ok || !isValidTimeValue(ms) {
		return s
	}
	return isoFromMs(int64(ms))
}

// EncodeDateOnly is the s3db.js mapper for `dateonly`: base62 of floor(ms / 86400000), where ms is
// new Date(s + "T00:00:00.000Z") (or new Date(s) when s contains "T"): 2024-01-02 → 588,
// 1815-12-10 → -eDA. Empty and unparseable text is stored as it is.
func EncodeDateOnly(s string) string { return encodeDateOnlyIn(s, time.UTC) }

func encodeDateOnlyIn(s string, loc *time.Location) string {
	if s == "" {
		return s
	}
	ms, ok := parseJSDate(dateOnlyText(s), loc)
	if !ok {
		return s
	}
	return EncodeInteger(math.Floor(float64(ms) / msPerDay))
}

// DecodeDateOnly reads a stored `dateonly`: base62 days since 1970-01-01 → YYYY-MM-DD (the first
// ten characters of toISOString). Text that is not base62 or out of range is returned unchanged
// (JavaScript throws).
func DecodeDateOnly(s string) string {
	if s == "" {
		return s
	}
	days, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	ms := days * msPerDay
	if !isValidTimeValue(ms) {
		return s
	}
	return isoFromMs(int64(ms))[:10]
}

// EncodeTimeOnly is the s3db.js mapper for `timeonly`: base62 milliseconds since midnight of an
// HH:mm[:ss[.SSS]] text (13:45:30.250 → 3lP50). The fields are not range-checked here (the
// normaliser does that); text of any other shape is stored as it is.
func EncodeTimeOnly(s string) string {
	h, m, sec, ms, ok := parseTimeOnly(s)
	if !ok {
		return s
	}
	return EncodeInteger(float64(((h*3600 + m*60 + sec) * 1000) + ms))
}

// DecodeTimeOnly reads a stored `timeonly`: base62 milliseconds since midnight → HH:MM:SS.mmm
// (3lP50 → 13:45:30.250). s3db.js's own reads show NaN:NaN:NaN.NaN for such values when a second
// unmap pass runs (format spec §13.2); this decodes what the writer meant. Values beyond a day or
// negative are formatted with JavaScript's arithmetic as the first pass does (90000000 ms →
// 25:00:00.000). Text that is not base62 is returned unchanged.
func DecodeTimeOnly(s string) string {
	if s == "" {
		return s
	}
	total, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	ms := math.Mod(total, 1000)
	secs := math.Floor(total / 1000)
	sec := math.Mod(secs, 60)
	mins := math.Floor(secs / 60)
	m := math.Mod(mins, 60)
	h := math.Floor(mins / 60)
	return txtPadStart(FormatNumber(h), 2) + ":" + txtPadStart(FormatNumber(m), 2) + ":" +
		txtPadStart(FormatNumber(sec), 2) + "." + txtPadStart(FormatNumber(ms), 3)
}
