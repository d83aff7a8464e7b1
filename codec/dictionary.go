package codec

import "strings"

// The metadata dictionary of s3db.js (§5.3 of the format): whole values and URL prefixes that
// the client writes as "d:" + a short code. The tables are immutable.

// dictExact maps the whole values to their one-character codes. "font/woff2" shares "f" with
// "failed"; decoding "d:f" gives "failed", so EncodeMeta never writes that code for font/woff2.
var dictExact = map[string]string{
	"application/json":                  "j",
	"application/xml":                   "X",
	"application/ld+json":               "J",
	"text/html":                         "H",
	"text/plain":                        "T",
	"text/css":                          "C",
	"text/javascript":                   "V",
	"text/csv":                          "v",
	"image/png":                         "P",
	"image/jpeg":                        "I",
	"image/gif":                         "G",
	"image/svg+xml":                     "S",
	"image/webp":                        "W",
	"application/pdf":                   "Q",
	"application/zip":                   "z",
	"application/octet-stream":          "o",
	"application/x-www-form-urlencoded": "u",
	"multipart/form-data":               "F",
	"font/woff":                         "w",
	"font/woff2":                        "f",
	"processing":                        "p",
	"completed":                         "c",
	"succeeded":                         "s",
	"failed":                            "f",
	"cancelled":                         "x",
	"timeout":                           "t",
	"retrying":                          "r",
	"authorized":                        "a",
	"captured":                          "K",
	"refunded":                          "R",
	"declined":                          "d",
	"shipped":                           "h",
	"delivered":                         "D",
	"returned":                          "e",
	"in_transit":                        "i",
	"initialized":                       "n",
	"terminated":                        "m",
}

// dictExactReverse maps codes back to values; for "f" the status table wins, as in s3db.js
// (its reverse table is built from the content types first, then the statuses over them).
var dictExactReverse = func() map[string]string {
	m := make(map[string]string, len(dictExact))
	for v, c := range dictExact {
		if v == "font/woff2" {
			continue
		}
		m[c] = v
	}
	return m
}()

// dictPrefix is one URL prefix and its two-character code.
type dictPrefix struct{ prefix, code string }

// dictPrefixes lists the URL prefixes longest first, ties in s3db.js's table order: the order in
// which the encoder tries them (only the first match is considered).
var dictPrefixes = []dictPrefix{
	{"https://s3.amazonaws.com/", "@s"},
	{"https://api.example.com/", "@A"},
	{"http://localhost:", "@L"},
	{"http://localhost", "@l"},
	{"https://api.", "@H"},
	{"https://www.", "@W"},
	{"https://s3-", "@S"},
	{"/products/", "@p"},
	{"/api/v1/", "@1"},
	{"/api/v2/", "@2"},
	{"/api/v3/", "@3"},
	{"https://", "@h"},
	{"http://", "@t"},
	{"/users/", "@u"},
	{"/api/", "@a"},
	{"/v1/", "@v"},
}

// dictPrefixByCode maps "@x" codes back to prefixes.
var dictPrefixByCode = func() map[string]string {
	m := make(map[string]string, len(dictPrefixes))
	for _, p := range dictPrefixes {
		m[p.code] = p.prefix
	}
	return m
}()

// dictEncode returns the "d:" form of s when s3db.js would use it: s is a whole dictionary value,
// or starts with a URL prefix (the longest that matches), and the result is strictly shorter in
// UTF-16 code units. Since every table entry is ASCII, the saving is the same in bytes and units.
func dictEncode(s string) (string, bool) {
	// Every exact value is at most 33 bytes and every prefix starts with 'h' or '/': most values
	// are rejected without a lookup.
	if s == "" || (len(s) > 33 && s[0] != 'h' && s[0] != '/') {
		return "", false
	}
	if c, ok := dictExact[s]; ok {
		if len(s) > 2+len(c) {
			return "d:" + c, true
		}
		return "", false
	}
	if s[0] != 'h' && s[0] != '/' {
		return "", false
	}
	for _, p := range dictPrefixes {
		if strings.HasPrefix(s, p.prefix) {
			if len(p.prefix) > 2+len(p.code) {
				return "d:" + p.code + s[len(p.prefix):], true
			}
			return "", false
		}
	}
	return "", false
}

// dictDecode reverses dictEncode for a text starting with "d:"; ok is false when the code is
// unknown (the text is then decoded by the other rules, in practice returned unchanged).
func dictDecode(s string) (string, bool) {
	payload, found := strings.CutPrefix(s, "d:")
	if !found || payload == "" {
		return "", false
	}
	if len(payload) == 1 {
		if v, ok := dictExactReverse[payload]; ok {
			return v, true
		}
	}
	if payload[0] == '@' && len(payload) >= 2 {
		if p, ok := dictPrefixByCode[payload[:2]]; ok {
			return p + payload[2:], true
		}
	}
	return "", false
}
