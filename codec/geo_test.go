package codec_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

// hookStoredText is what s3db.js stores for a hook output: the string, or String(number)
// when the hook left the number unencoded.
func hookStoredText(t *testing.T, v jsValue) string {
	t.Helper()
	if v.Num != nil {
		return codec.FormatNumber(bitsFloat(t, *v.Num))
	}
	if assert.NotNil(t, v.Str) {
		return *v.Str
	}
	return ""
}

func TestEncodeGeoOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.GeoLat {
		x := bitsFloat(t, rawString(t, c[0]))
		p := rawInt(t, c[1])
		assert.Equalf(t, hookStoredText(t, rawTagged(t, c[2])), codec.EncodeGeoLat(x, p), "EncodeGeoLat(%v, %d)", x, p)
	}
	for _, c := range o.GeoLon {
		x := bitsFloat(t, rawString(t, c[0]))
		p := rawInt(t, c[1])
		assert.Equalf(t, hookStoredText(t, rawTagged(t, c[2])), codec.EncodeGeoLon(x, p), "EncodeGeoLon(%v, %d)", x, p)
	}
}

func TestDecodeGeoOracle(t *testing.T) {
	o := loadNumericOracle(t)
	check := func(name, s string, p int, hook jsValue, got float64, ok bool) {
		if hook.Num == nil { // text kept by the hook
			assert.Falsef(t, ok, "%s(%q, %d)", name, s, p)
			return
		}
		want := bitsFloat(t, *hook.Num)
		assert.Truef(t, sameFloat(want, got), "%s(%q, %d): want %v, got %v", name, s, p, want, got)
		assert.Equalf(t, !math.IsNaN(want), ok, "%s(%q, %d) ok", name, s, p)
	}
	for _, c := range o.GeoDecode {
		s := rawString(t, c[0])
		p := rawInt(t, c[1])
		lat, ok := codec.DecodeGeoLat(s, p)
		check("DecodeGeoLat", s, p, rawTagged(t, c[2]), lat, ok)
		lon, ok := codec.DecodeGeoLon(s, p)
		check("DecodeGeoLon", s, p, rawTagged(t, c[3]), lon, ok)
	}
}

func TestEncodeGeoPointOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.GeoPoint {
		lat := bitsFloat(t, rawString(t, c[0]))
		lon := bitsFloat(t, rawString(t, c[1]))
		p := rawInt(t, c[2])
		hook := rawTagged(t, c[3])
		want := "" // the hook threw and kept the pair
		if hook.Str != nil {
			want = *hook.Str
		}
		assert.Equalf(t, want, codec.EncodeGeoPoint(lat, lon, p), "EncodeGeoPoint(%v, %v, %d)", lat, lon, p)
	}
}

func TestDecodeGeoPointOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.GeoPointDecode {
		s := rawString(t, c[0])
		p := rawInt(t, c[1])
		hook := rawTagged(t, c[2])
		wantLat := bitsFloat(t, *hook.Obj["latitude"].Num)
		wantLon := bitsFloat(t, *hook.Obj["longitude"].Num)
		lat, lon, ok := codec.DecodeGeoPoint(s, p)
		assert.Truef(t, sameFloat(wantLat, lat), "DecodeGeoPoint(%q) lat: want %v, got %v", s, wantLat, lat)
		assert.Truef(t, sameFloat(wantLon, lon), "DecodeGeoPoint(%q) lon: want %v, got %v", s, wantLon, lon)
		assert.Equalf(t, !math.IsNaN(wantLat) && !math.IsNaN(wantLon), ok, "DecodeGeoPoint(%q) ok", s)
	}
}

func TestGeoExamples(t *testing.T) {
	assert.Equal(t, "~4uOxO", codec.EncodeGeoLat(-23.55052, 6))
	assert.Equal(t, "~91ALG", codec.EncodeGeoLon(-46.633308, 6))
	assert.Equal(t, "~6bVks~c1OTu", codec.EncodeGeoPoint(1.5, -2.25, 6))
	assert.Equal(t, "100", codec.EncodeGeoLat(100, 6))
	assert.Equal(t, "", codec.EncodeGeoPoint(100, 0, 6))
	assert.Equal(t, "NaN~c1OTu", codec.EncodeGeoPoint(math.NaN(), -2.25, 6))
	lat, ok := codec.DecodeGeoLat("~4uOxO", 6)
	assert.True(t, ok)
	assert.Equal(t, -23.550520000000006, lat)
	assert.False(t, codec.ValidGeoLat(math.NaN()))
	assert.True(t, codec.ValidGeoLon(-180))
}

func ExampleEncodeGeoPoint() {
	s := codec.EncodeGeoPoint(1.5, -2.25, 6)
	lat, lon, ok := codec.DecodeGeoPoint(s, 6)
	fmt.Println(s, lat, lon, ok)
	// Output: ~6bVks~c1OTu 1.5 -2.25 true
}

func FuzzDecodeGeoPoint(f *testing.F) {
	for _, s := range []string{"~6bVks~c1OTu", "", "~", "~a~b~c", "a~b", "~é~1", "~4uOxO"} {
		f.Add(s, 6)
	}
	f.Fuzz(func(t *testing.T, s string, p int) {
		p %= 400
		lat, lon, ok := codec.DecodeGeoPoint(s, p)
		if ok && (math.IsNaN(lat) || math.IsNaN(lon)) {
			t.Fatalf("DecodeGeoPoint(%q) ok with NaN", s)
		}
		if v, ok := codec.DecodeGeoLat(s, p); ok == math.IsNaN(v) {
			t.Fatalf("DecodeGeoLat(%q) = %v, %v", s, v, ok)
		}
		if v, ok := codec.DecodeGeoLon(s, p); ok == math.IsNaN(v) {
			t.Fatalf("DecodeGeoLon(%q) = %v, %v", s, v, ok)
		}
	})
}

// FuzzGeoRoundTrip checks that in-range points read back within half a unit of precision.
func FuzzGeoRoundTrip(f *testing.F) {
	f.Add(-23.55052, -46.633308, uint8(6))
	f.Add(90.0, -180.0, uint8(0))
	f.Fuzz(func(t *testing.T, lat, lon float64, pb uint8) {
		p := int(pb % 10)
		if !codec.ValidGeoLat(lat) || !codec.ValidGeoLon(lon) {
			return
		}
		tolerance := 0.5/math.Pow(10, float64(p)) + 1e-12
		gotLat, gotLon, ok := codec.DecodeGeoPoint(codec.EncodeGeoPoint(lat, lon, p), p)
		if !ok || math.Abs(gotLat-lat) > tolerance || math.Abs(gotLon-lon) > tolerance {
			t.Fatalf("(%v, %v) at %d reads back as (%v, %v), %v", lat, lon, p, gotLat, gotLon, ok)
		}
	})
}
