package codec

import (
	"math"
	"regexp"
	"strings"
)

var semverPattern = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)

// NormalizeSemver is s3db.js's `semver` validator: MAJOR.MINOR.PATCH digits, an optional leading
// "v" removed, each part written without leading zeros (v01.02.03 → 1.2.3). Pre-release and build
// suffixes are refused, as in JavaScript.
//
// s3db.js stores a version packed as MAJOR·10^6 + MINOR·10^3 + PATCH, so it silently corrupts
// versions whose minor or patch exceed 999 (1.1000.0 reads back as 2.0.0) or whose major is too
// large for exact float64 arithmetic; those are refused here.
func NormalizeSemver(v any) (string, error) {
	if s, ok := v.(string); ok {
		cleaned := strings.TrimPrefix(s, "v")
		if g := semverPattern.FindStringSubmatch(cleaned); g != nil {
			out := FormatNumber(txtParseInt(g[1], 10)) + "." + FormatNumber(txtParseInt(g[2], 10)) + "." +
				FormatNumber(txtParseInt(g[3], 10))
			if DecodeSemver(EncodeSemver(out)) != out {
				return "", valueErr("semver", v, "minor and patch must be at most 999 and major at most 9007199253 (s3db.js packs versions into one number)")
			}
			return out, nil
		}
	}
	return "", valueErr("semver", v, "not a semantic version MAJOR.MINOR.PATCH (e.g. 1.2.3 or v1.2.3)")
}

// EncodeSemver is the s3db.js mapper for `semver`: MAJOR.MINOR.PATCH → base62 of
// MAJOR·10^6 + MINOR·10^3 + PATCH (1.2.3 → 4cFl). Other text is stored as it is.
func EncodeSemver(s string) string {
	g := semverPattern.FindStringSubmatch(s)
	if g == nil {
		return s
	}
	packed := txtParseInt(g[1], 10)*1_000_000 + txtParseInt(g[2], 10)*1000 + txtParseInt(g[3], 10)
	return EncodeInteger(packed)
}

// DecodeSemver reads a stored `semver`: a non-empty text without "." is a base62 number unpacked
// into floor(n/10^6).floor(n%10^6/10^3).n%10^3. Other text, or text with a character outside
// base62, is returned unchanged.
func DecodeSemver(s string) string {
	if s == "" || strings.Contains(s, ".") {
		return s
	}
	packed, ok := DecodeInteger(s)
	if !ok {
		return s
	}
	major := math.Floor(packed / 1_000_000)
	minor := math.Floor(math.Mod(packed, 1_000_000) / 1000)
	patch := math.Mod(packed, 1000)
	return FormatNumber(major) + "." + FormatNumber(minor) + "." + FormatNumber(patch)
}
