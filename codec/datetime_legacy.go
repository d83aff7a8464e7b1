package codec

import (
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
		if clock, ok = p.clock(p.shortNumber); !ok {
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
	case hasClock:
		off, ok := p.offset()
		if !ok {
			return 0, false
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
