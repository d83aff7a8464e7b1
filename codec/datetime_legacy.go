package codec

import (
	"strings"
	"time"
	"unicode/utf8"
)

// parseLegacyJSDate is the part of V8's legacy (non-ISO) date parser that `new Date(text)` falls
// back to for texts the ISO grammar refuses, limited to the forms where its result is certain
// (checked against V8 in testdata/jsdates.json):
//
//	[ws] YYYY [(-|/) M [(-|/) D [ws+ H:m[:s[.fraction]] [ws] [±HH:MM | ±HHMM]]]] [ws] [Z] [ws]
//
// with JavaScript white space around it, 1–2 digit month, day, hour, minute and second fields
// and a four-digit year of at least 100 (V8 reads smaller years as 19xx/20xx). As in V8, the
// text is local time in loc unless it ends in Z or an offset — including date-only forms, which
// the ISO grammar would read as UTC — days up to 31 roll over into the next month, and 24:00 is
// the next midnight. V8's other legacy forms (month names, am/pm, "UTC", MM/DD/YYYY, two-digit
// years, a T separator after white space) are refused.
func parseLegacyJSDate(s string, loc *time.Location) (int64, bool) {
	p := dateScanner{s: JSTrim(s)}
	year, ok := p.digits(4)
	if !ok || year < 100 {
		return 0, false
	}
	month, day, fullDate := 1, 1, false
	if p.eatSeparator() {
		if month, ok = p.shortNumber(); !ok {
			return 0, false
		}
		if p.eatSeparator() {
			if day, ok = p.shortNumber(); !ok {
				return 0, false
			}
			fullDate = true
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return 0, false
	}
	clock, hasClock := 0, false
	if p.skipSpace() && fullDate && p.i < len(p.s) && isDigit(p.s[p.i]) {
		if clock, ok = p.legacyClock(); !ok {
			return 0, false
		}
		hasClock = true
		p.skipSpace()
	}
	local := int64(float64(daysFromCivil(int64(year), month)+int64(day-1))*msPerDay) + int64(clock)
	var ms int64
	switch {
	case p.done():
		ms = localToUTC(local, loc)
	case p.eat('Z') || p.eat('z'):
		ms = local
	case hasClock && (p.s[p.i] == '+' || p.s[p.i] == '-'):
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
		ms = local + off
	default:
		return 0, false
	}
	if !p.done() || !isValidTimeValue(float64(ms)) {
		return 0, false
	}
	return ms, true
}

// legacyClock reads H:m[:s[.fraction]] (1–2 digit fields, the first three fraction digits kept)
// and returns milliseconds since midnight; 24:00 is allowed for the next midnight.
func (p *dateScanner) legacyClock() (int, bool) {
	hour, ok1 := p.shortNumber()
	colon := p.eat(':')
	minute, ok2 := p.shortNumber()
	if !ok1 || !colon || !ok2 {
		return 0, false
	}
	second, milli, fracZero := 0, 0, true
	if p.eat(':') {
		var ok bool
		if second, ok = p.shortNumber(); !ok {
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
			for _, c := range []byte((frac + "00")[:3]) {
				milli = milli*10 + int(c-'0')
			}
		}
	}
	if hour > 24 || minute > 59 || second > 59 || hour == 24 && (minute != 0 || second != 0 || !fracZero) {
		return 0, false
	}
	return ((hour*60+minute)*60+second)*1000 + milli, true
}

// shortNumber reads one or two ASCII digits.
func (p *dateScanner) shortNumber() (int, bool) {
	if n, ok := p.digits(2); ok {
		return n, true
	}
	return p.digits(1)
}

// eatSeparator consumes a "-" or "/" between date fields.
func (p *dateScanner) eatSeparator() bool { return p.eat('-') || p.eat('/') }

// skipSpace consumes JavaScript white space and reports whether there was any or the text ended.
func (p *dateScanner) skipSpace() bool {
	start := p.i
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if !IsJSSpace(r) {
			break
		}
		p.i += size
	}
	return p.i > start || p.done()
}
