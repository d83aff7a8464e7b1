package codec

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
)

// ipv4Pattern is s3db.js's isValidIPv4 shape: four dot-separated runs of 1–3 ASCII digits (leading
// zeros allowed); each octet must also be at most 255.
var ipv4Pattern = regexp.MustCompile(`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$`)

// ipv6Pattern is s3db.js's isValidIPv6 regular expression (concerns/ip.js), alternatives in the
// same order. It also admits zone ids (fe80::1%eth0) and embedded IPv4 (::ffff:1.2.3.4), which
// s3db.js then encodes wrongly; NormalizeIP6 handles those.
var ipv6Pattern = regexp.MustCompile(`^(` +
	`([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|` +
	`([0-9a-fA-F]{1,4}:){1,7}:|` +
	`([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|` +
	`([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|` +
	`([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|` +
	`([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|` +
	`([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|` +
	`[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|` +
	`:((:[0-9a-fA-F]{1,4}){1,7}|:)|` +
	`fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+|` +
	`::(ffff(:0{1,4})?:)?((25[0-5]|(2[0-4]|1?[0-9])?[0-9])\.){3}(25[0-5]|(2[0-4]|1?[0-9])?[0-9])|` +
	`([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1?[0-9])?[0-9])\.){3}(25[0-5]|(2[0-4]|1?[0-9])?[0-9])` +
	`)$`)

// ipv4Octets returns the octets of a dotted quad accepted by s3db.js's isValidIPv4.
func ipv4Octets(s string) ([4]byte, bool) {
	var out [4]byte
	g := ipv4Pattern.FindStringSubmatch(s)
	if g == nil {
		return out, false
	}
	for i := range 4 {
		n, _ := strconv.Atoi(g[i+1])
		if n > 255 {
			return out, false
		}
		out[i] = byte(n)
	}
	return out, true
}

// NormalizeIP4 validates an `ip4` value. s3db.js validates ip4 only as a string (trimmed) and
// stores any other text as it is, which later reads back as unrelated bytes (format spec §13.8);
// this refuses everything that is not a dotted quad of 0–255 (leading zeros allowed, as in
// s3db.js). The result is the trimmed text.
func NormalizeIP4(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", valueErr("ip4", v, "must be a string such as 192.168.1.1")
	}
	s = JSTrim(s)
	if _, ok := ipv4Octets(s); !ok {
		return "", valueErr("ip4", v, "not a dotted-quad IPv4 address with octets 0-255 (e.g. 192.168.1.1)")
	}
	return s, nil
}

// EncodeIP4 is the s3db.js mapper for `ip4`: the standard base64 of the four octets, always 8
// characters (192.168.1.1 → wKgBAQ==). Text that is not a valid dotted quad is stored as it is.
func EncodeIP4(s string) string {
	b, ok := ipv4Octets(s)
	if !ok {
		return s
	}
	return base64.StdEncoding.EncodeToString(b[:])
}

// DecodeIP4 reads a stored `ip4`: 8 characters of standard base64 ending in "==" that decode to 4
// bytes → dotted quad. Anything else is returned unchanged. s3db.js instead base64-decodes any
// text leniently and shows 4 resulting bytes as an address (999.1.1.1 reads as
// 247.223.117.215, format spec §13.8); only texts that s3db.js itself could have written by
// encoding are decoded here.
func DecodeIP4(s string) string {
	if len(s) != 8 || s[6:] != "==" {
		return s
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 4 {
		return s
	}
	return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[3]))
}

// NormalizeIP6 validates an `ip6` value (trimmed string accepted by s3db.js's isValidIPv6).
// s3db.js encodes two of the forms its check admits into the wrong bytes; this fixes or refuses
// them so that the stored value reads back as the same address:
//   - an embedded IPv4 tail (::ffff:1.2.3.4) is rewritten to hexadecimal groups (::ffff:102:304);
//   - a zone id (fe80::1%eth0) is refused: the 16 stored bytes cannot hold it.
func NormalizeIP6(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", valueErr("ip6", v, "must be a string such as 2001:db8::1")
	}
	s = JSTrim(s)
	if !ipv6Pattern.MatchString(s) {
		return "", valueErr("ip6", v, "not a valid IPv6 address (e.g. 2001:db8::1)")
	}
	if strings.Contains(s, "%") {
		return "", valueErr("ip6", v, "zone ids (%%…) cannot be stored; remove the zone")
	}
	if i := strings.LastIndexByte(s, ':'); strings.Contains(s[i:], ".") {
		quad, _ := ipv4Octets(s[i+1:])
		s = s[:i+1] + strconv.FormatUint(uint64(quad[0])<<8|uint64(quad[1]), 16) + ":" +
			strconv.FormatUint(uint64(quad[2])<<8|uint64(quad[3]), 16)
		if !ipv6Pattern.MatchString(s) {
			return "", valueErr("ip6", v, "embedded IPv4 form not representable; write it in hexadecimal groups")
		}
	}
	return s, nil
}

// ipv6Groups is s3db.js's expandIPv6 followed by the split into groups: "::" expands to the
// missing zero groups (only the text around the first "::" counts, as with JS split). ok is false
// where JavaScript throws (more than eight groups around "::").
func ipv6Groups(s string) ([]string, bool) {
	if s == "::" {
		return []string{"0", "0", "0", "0", "0", "0", "0", "0"}, true
	}
	if strings.Contains(s, "::") {
		parts := strings.Split(s, "::")
		var left, right []string
		if parts[0] != "" {
			left = strings.Split(parts[0], ":")
		}
		if parts[1] != "" {
			right = strings.Split(parts[1], ":")
		}
		missing := 8 - len(left) - len(right)
		if missing < 0 {
			return nil, false
		}
		groups := append(append(left, make([]string, missing)...), right...)
		for i := len(left); i < len(left)+missing; i++ {
			groups[i] = "0"
		}
		return groups, true
	}
	return strings.Split(s, ":"), true
}

// EncodeIP6 is the s3db.js mapper for `ip6`: the standard base64 of the 16 bytes (24 characters):
// 2001:db8::1 → IAENuAAAAAAAAAAAAAAAAQ==. Text that fails s3db.js's isValidIPv6 is stored as it
// is. For the forms its check admits but its encoder mishandles (zone ids, embedded IPv4) the
// same bytes as s3db.js are produced: each group is parseInt(group, 16) (NaN → 0), so
// ::ffff:1.2.3.4 encodes as ::ffff:1; NormalizeIP6 keeps such values out.
func EncodeIP6(s string) string {
	if !ipv6Pattern.MatchString(s) {
		return s
	}
	groups, ok := ipv6Groups(s)
	if !ok {
		return s
	}
	b := make([]byte, 0, 2*len(groups))
	for _, g := range groups {
		v := txtToInt32(txtParseInt(g, 16))
		b = append(b, byte(v>>8), byte(v))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// DecodeIP6 reads a stored `ip6` exactly as s3db.js does: text that is a valid IPv6 address and
// not 24 characters long is returned as it is; anything else is base64-decoded with Node's lenient
// decoder (characters outside the alphabet skipped, "-"/"_" accepted, decoding stops at "=") and,
// when that gives 16 bytes, written as lowercase groups without leading zeros with the longest run
// of two or more zero groups (the first on ties) as "::". Otherwise the text is returned.
func DecodeIP6(s string) string {
	if JSLength(s) != 24 && ipv6Pattern.MatchString(s) {
		return s
	}
	b := nodeBase64Decode(s)
	if len(b) != 16 {
		return s
	}
	var groups [8]uint16
	for i := range groups {
		groups[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return compressIPv6(groups)
}

// compressIPv6 writes eight groups in s3db.js's compressed form.
func compressIPv6(g [8]uint16) string {
	bestStart, bestLen := -1, 0
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i >= 2 && j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	hex := func(from, to int) string {
		parts := make([]string, 0, to-from)
		for _, v := range g[from:to] {
			parts = append(parts, strconv.FormatUint(uint64(v), 16))
		}
		return strings.Join(parts, ":")
	}
	if bestStart < 0 {
		return hex(0, 8)
	}
	return hex(0, bestStart) + "::" + hex(bestStart+bestLen, 8)
}
