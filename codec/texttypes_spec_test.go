package codec

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked examples of format spec §4.2, in both directions.
func TestTextTypesSpecExamples(t *testing.T) {
	tests := []struct {
		name    string
		encode  func(string) string
		decode  func(string) string
		value   string
		stored  string
		readsAs string // when reading gives a canonical form different from value
	}{
		{"datetime", func(s string) string { return encodeDatetimeIn(s, time.UTC) }, DecodeDatetime, "2024-01-02T03:04:05.678Z", "u0aFbhc", ""},
		{"datetime midnight", func(s string) string { return encodeDatetimeIn(s, time.UTC) }, DecodeDatetime, "2024-01-02T00:00:00.000Z", "u09UPN6", ""},
		{"dateonly", func(s string) string { return encodeDateOnlyIn(s, time.UTC) }, DecodeDateOnly, "2024-01-02", "588", ""},
		{"dateonly before 1970", func(s string) string { return encodeDateOnlyIn(s, time.UTC) }, DecodeDateOnly, "1815-12-10", "-eDA", ""},
		{"timeonly", EncodeTimeOnly, DecodeTimeOnly, "13:45:30.250", "3lP50", ""},
		{"timeonly midnight", EncodeTimeOnly, DecodeTimeOnly, "00:00", "0", "00:00:00.000"},
		{"uuid", EncodeUUID, DecodeUUID, "123e4567-e89b-12d3-a456-426614174000", "0kIf1d4g6oxB30AzXg0mOiNa", ""},
		{"mac", EncodeMAC, DecodeMAC, "aa:bb:cc:dd:ee:ff", "0RiYGo9Lp", ""},
		{"cidr", EncodeCIDR, DecodeCIDR, "10.0.0.0/8", "0blXcA8", ""},
		{"semver", EncodeSemver, DecodeSemver, "1.2.3", "4cFl", ""},
		{"phone", EncodePhone, DecodePhone, "+5511999998888", "1z2ASgAw", ""},
		{"color", EncodeColor, DecodeColor, "#ff8800", "18gwM", ""},
		{"duration iso", EncodeDuration, DecodeDuration, "PT1H30M", "mEMM", ""},
		{"duration ms", EncodeDuration, DecodeDuration, "1234", "jU", "PT1.234S"},
		{"ean-13", EncodeEAN, DecodeEAN, "4006381333931", "118x8XMN5", ""},
		{"ean-8", EncodeEAN, DecodeEAN, "96385074", "06wq9Y", ""},
		{"ip4", EncodeIP4, DecodeIP4, "192.168.1.1", "wKgBAQ==", ""},
		{"ip4 other", EncodeIP4, DecodeIP4, "195.169.65.66", "w6lBQg==", ""},
		{"ip6", EncodeIP6, DecodeIP6, "2001:db8::1", "IAENuAAAAAAAAAAAAAAAAQ==", ""},
		{"ip6 loopback", EncodeIP6, DecodeIP6, "::1", "AAAAAAAAAAAAAAAAAAAAAQ==", ""},
		{"ip6 link-local", EncodeIP6, DecodeIP6, "fe80::1", "/oAAAAAAAAAAAAAAAAAAAQ==", ""},
		{"ip6 full form", EncodeIP6, DecodeIP6, "2001:0db8:0000:0000:0000:0000:0000:0001", "IAENuAAAAAAAAAAAAAAAAQ==", "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.stored, tt.encode(tt.value))
			want := tt.readsAs
			if want == "" {
				want = tt.value
			}
			assert.Equal(t, want, tt.decode(tt.stored))
		})
	}
}

// Where Go deliberately differs from s3db.js (format spec §13 and lossy packings).
func TestTextTypesDeviations(t *testing.T) {
	t.Run("ip4 invalid text is refused on write and kept as text on read (§13.8)", func(t *testing.T) {
		_, err := NormalizeIP4("999.1.1.1")
		require.ErrorIs(t, err, ErrInvalidValue)
		assert.Equal(t, "999.1.1.1", EncodeIP4("999.1.1.1"))
		assert.Equal(t, "999.1.1.1", DecodeIP4("999.1.1.1")) // JS: 247.223.117.215
	})
	t.Run("timeonly decodes correctly (§13.2)", func(t *testing.T) {
		assert.Equal(t, "13:45:30.250", DecodeTimeOnly("3lP50"))
	})
	t.Run("ip6 zone ids are refused, embedded IPv4 rewritten", func(t *testing.T) {
		_, err := NormalizeIP6("fe80::1%eth0")
		require.Error(t, err)
		got, err := NormalizeIP6("::ffff:1.2.3.4")
		require.NoError(t, err)
		assert.Equal(t, "::ffff:102:304", got)
		assert.Equal(t, "::ffff:102:304", DecodeIP6(EncodeIP6(got)))
		assert.Equal(t, "::ffff:1", DecodeIP6(EncodeIP6("::ffff:1.2.3.4")), "the encoder reproduces s3db.js")
	})
	t.Run("semver parts above 999 are refused", func(t *testing.T) {
		_, err := NormalizeSemver("1.1000.0")
		require.ErrorIs(t, err, ErrInvalidValue)
		assert.Equal(t, "2.0.0", DecodeSemver(EncodeSemver("1.1000.0")), "what s3db.js would read")
	})
	t.Run("phone with leading zero is refused", func(t *testing.T) {
		_, err := NormalizePhone("+0012345678")
		require.ErrorIs(t, err, ErrInvalidValue)
	})
	t.Run("undecodable stored text is kept", func(t *testing.T) {
		assert.Equal(t, "not-a-date", DecodeDatetime("not-a-date"))
		assert.Equal(t, "abc!!", DecodeColor("abc!!"))
		assert.Equal(t, "x.y", DecodePhone("x.y"))
	})
}

func TestNormalizeTextTypes(t *testing.T) {
	tests := []struct {
		name string
		fn   func(any) (string, error)
		in   any
		want string
	}{
		{"datetime date-only is UTC midnight", NormalizeDatetime, "2024-01-02", "2024-01-02T00:00:00.000Z"},
		{"datetime offset", NormalizeDatetime, "2024-01-02T03:04:05+05:30", "2024-01-01T21:34:05.000Z"},
		{"datetime epoch ms", NormalizeDatetime, int64(1704164645678), "2024-01-02T03:04:05.678Z"},
		{"datetime time.Time", NormalizeDatetime, time.Date(2024, 1, 2, 3, 4, 5, 678_900_000, time.UTC), "2024-01-02T03:04:05.678Z"},
		{"datetime extended year", NormalizeDatetime, -62198755200000.0, "-000001-01-01T00:00:00.000Z"},
		{"dateonly", NormalizeDateOnly, "2024-02-30", "2024-03-01"},
		{"timeonly short", NormalizeTimeOnly, "7:05", ""},
		{"timeonly", NormalizeTimeOnly, "07:05", "07:05:00.000"},
		{"timeonly fraction", NormalizeTimeOnly, "07:05:09.5", "07:05:09.500"},
		{"uuid keeps case", NormalizeUUID, "123E4567-E89B-12D3-A456-426614174000", "123E4567-E89B-12D3-A456-426614174000"},
		{"uuid variant", NormalizeUUID, "123e4567-e89b-42d3-c456-426614174000", ""},
		{"mac dashes", NormalizeMAC, "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff"},
		{"cidr zeros", NormalizeCIDR, "01.02.003.4/09", "1.2.3.4/9"},
		{"semver v", NormalizeSemver, "v01.2.3", "1.2.3"},
		{"phone", NormalizePhone, "+55 (11) 99999-8888", "+5511999998888"},
		{"color short", NormalizeColor, "F80", "#ff8800"},
		{"duration iso", NormalizeDuration, "PT1H30M", "5400000"},
		{"duration human", NormalizeDuration, "1h30m", "5400000"},
		{"duration number", NormalizeDuration, 1.5, "1.5"},
		{"ean number", NormalizeEAN, 96385074, "0000096385074"},
		{"ip4 trimmed", NormalizeIP4, " 10.0.0.1 ", "10.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn(tt.in)
			if tt.want == "" {
				var ve *ValueError
				require.True(t, errors.As(err, &ve), "want a *ValueError, got %v", err)
				assert.NotEmpty(t, ve.Reason)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValueErrorMessage(t *testing.T) {
	_, err := NormalizeIP4("999.1.1.1")
	assert.EqualError(t, err, `invalid ip4 value "999.1.1.1": not a dotted-quad IPv4 address with octets 0-255 (e.g. 192.168.1.1)`)
	_, err = NormalizeDatetime(true)
	assert.Contains(t, err.Error(), "invalid datetime value true (bool): unsupported type")
	assert.ErrorIs(t, err, ErrInvalidValue)
}
