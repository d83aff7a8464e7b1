package codec

import (
	"math"
	"strings"
)

// ValidGeoLat reports whether lat is a finite latitude in [-90, 90], the range s3db.js's
// encoder accepts. Outside it (finite values only) the JavaScript encoder throws and the
// mapper stores the value unencoded.
func ValidGeoLat(lat float64) bool { return lat >= -90 && lat <= 90 }

// ValidGeoLon reports whether lon is a finite longitude in [-180, 180].
func ValidGeoLon(lon float64) bool { return lon >= -180 && lon <= 180 }

// EncodeGeoLat writes a `geo:lat[:P]` value: "~" + base62 of Math.round((lat + 90) · 10^P).
// −23.55052 → "~4uOxO" at P = 6. When s3db.js cannot encode the value — NaN, ±Infinity, or a
// latitude outside [-90, 90] — it stores the number as JavaScript text, so that is what this
// returns ("NaN", "Infinity", "100"); validation normally rejects those first.
func EncodeGeoLat(lat float64, precision int) string {
	if math.IsNaN(lat) || math.IsInf(lat, 0) || !ValidGeoLat(lat) {
		return FormatNumber(lat)
	}
	return encodeGeoOffset(float64(lat+90), precision)
}

// EncodeGeoLon writes a `geo:lon[:P]` value: "~" + base62 of Math.round((lon + 180) · 10^P).
// Unencodable values give their JavaScript text, as for EncodeGeoLat.
func EncodeGeoLon(lon float64, precision int) string {
	if math.IsNaN(lon) || math.IsInf(lon, 0) || !ValidGeoLon(lon) {
		return FormatNumber(lon)
	}
	return encodeGeoOffset(float64(lon+180), precision)
}

func encodeGeoOffset(normalized float64, precision int) string {
	var buf [maxBase62Digits + 2]byte
	return string(appendInteger(append(buf[:0], '~'), scaled(normalized, precision)))
}

// DecodeGeoLat reads a latitude: the base62 integer after "~", divided by 10^P, minus 90 (with
// float noise: "~4uOxO" → −23.550520000000006, as in JavaScript). ok is false when the text
// does not start with "~" (s3db.js then returns the text itself) or is not base62 (NaN).
func DecodeGeoLat(s string, precision int) (float64, bool) {
	return decodeGeoOffset(s, precision, 90)
}

// DecodeGeoLon reads a longitude: the base62 integer after "~", divided by 10^P, minus 180.
func DecodeGeoLon(s string, precision int) (float64, bool) {
	return decodeGeoOffset(s, precision, 180)
}

func decodeGeoOffset(s string, precision int, offset float64) (float64, bool) {
	rest, found := strings.CutPrefix(s, "~")
	if !found {
		return math.NaN(), false
	}
	n, ok := DecodeInteger(rest)
	if !ok {
		return math.NaN(), false
	}
	return notNaN(float64(n/powerOfTen(precision)) - offset)
}

// EncodeGeoPoint writes a `geo:point[:P]` value: the latitude part followed by the longitude
// part, {lat: 1.5, lon: −2.25} → "~6bVks~c1OTu". NaN or infinite coordinates are written as
// their JavaScript text in place of their part ("NaN~c1OTu"), as s3db.js does.
//
// A finite coordinate out of range makes s3db.js throw inside the hook and store the original
// object or array unencoded; EncodeGeoPoint returns "" then. Callers check ValidGeoLat and
// ValidGeoLon first.
func EncodeGeoPoint(lat, lon float64, precision int) string {
	if outOfRange(lat, ValidGeoLat) || outOfRange(lon, ValidGeoLon) {
		return ""
	}
	return EncodeGeoLat(lat, precision) + EncodeGeoLon(lon, precision)
}

func outOfRange(v float64, valid func(float64) bool) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && !valid(v)
}

// DecodeGeoPoint reads a point as s3db.js does: the text is split on "~", empty pieces are
// dropped, and exactly two must remain (so "~a~b", "a~b" and "~~a~~b" all read); each is
// decoded as a latitude and a longitude. ok is false, with NaN in the failed coordinates, when
// there are not two pieces or a piece is not base62; s3db.js returns {latitude: NaN,
// longitude: NaN} or the NaN coordinate then.
func DecodeGeoPoint(s string, precision int) (lat, lon float64, ok bool) {
	var parts [2]string
	count := 0
	for piece := range strings.SplitSeq(s, "~") {
		if piece == "" {
			continue
		}
		if count < len(parts) {
			parts[count] = piece
		}
		count++
	}
	if count != 2 {
		return math.NaN(), math.NaN(), false
	}
	lat, okLat := DecodeGeoLat("~"+parts[0], precision)
	lon, okLon := DecodeGeoLon("~"+parts[1], precision)
	return lat, lon, okLat && okLon
}
