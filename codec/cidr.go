package codec

import (
	"regexp"
	"strconv"
	"strings"
)

var cidrPattern = regexp.MustCompile(`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})$`)

// NormalizeCIDR is s3db.js's `cidr` validator: an IPv4 network a.b.c.d/p with octets 0–255 and
// prefix 0–32, returned with leading zeros removed (01.02.003.4/09 → 1.2.3.4/9).
func NormalizeCIDR(v any) (string, error) {
	if s, ok := v.(string); ok {
		if g := cidrPattern.FindStringSubmatch(s); g != nil {
			var n [5]int
			valid := true
			for i := range n {
				n[i], _ = strconv.Atoi(g[i+1])
				valid = valid && n[i] <= 255
			}
			if valid && n[4] <= 32 {
				return strconv.Itoa(n[0]) + "." + strconv.Itoa(n[1]) + "." + strconv.Itoa(n[2]) + "." +
					strconv.Itoa(n[3]) + "/" + strconv.Itoa(n[4]), nil
			}
		}
	}
	return "", valueErr("cidr", v, "not an IPv4 CIDR block a.b.c.d/prefix with octets 0-255 and prefix 0-32 (e.g. 192.168.1.0/24)")
}

// EncodeCIDR is the s3db.js mapper for `cidr`: for text containing "/", the address as a 32-bit
// number in base62 left-padded to 6, then the prefix in base62: 10.0.0.0/8 → 0blXcA8. The octets go
// through JavaScript's Number() and 32-bit shifts exactly as in s3db.js, so malformed text is
// encoded the same (wrong) way. Text without "/" is stored as it is.
func EncodeCIDR(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	parts := strings.Split(s, "/")
	octets := strings.Split(parts[0], ".")
	var o [4]int32
	for i := range o {
		if i < len(octets) {
			o[i] = txtToInt32(ParseJSNumber(octets[i]))
		}
	}
	ip := uint32(o[0]<<24 | o[1]<<16 | o[2]<<8 | o[3])
	return txtPadStart(EncodeInteger(float64(ip)), 6) + EncodeInteger(txtParseInt(parts[1], 10))
}

// DecodeCIDR reads a stored `cidr`: a 7-character text without "." is a 6-character base62
// address and a 1-character base62 prefix → a.b.c.d/p. Other text, or text with a character
// outside base62, is returned unchanged.
func DecodeCIDR(s string) string {
	if JSLength(s) != 7 || strings.Contains(s, ".") {
		return s
	}
	ipv, ok1 := DecodeInteger(txtSlice16(s, 0, 6))
	prefix, ok2 := DecodeInteger(txtSlice16(s, 6, 7))
	if !ok1 || !ok2 {
		return s
	}
	ip := txtToUint32(ipv)
	return strconv.Itoa(int(ip>>24)) + "." + strconv.Itoa(int(ip>>16&0xFF)) + "." + strconv.Itoa(int(ip>>8&0xFF)) + "." +
		strconv.Itoa(int(ip&0xFF)) + "/" + FormatNumber(prefix)
}
