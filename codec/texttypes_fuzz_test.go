package codec

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Every decoder must accept any stored text without panicking, and every value a normaliser
// accepts must read back (after encode then decode) as the same value.

func fuzzSeeds(f *testing.F, seeds ...string) {
	for _, s := range append(seeds, "", "-", "undefined", "ZZZZZZZZZZZZZZZZZZZZZZZZZ", "é", "\xff", "-0000000000") {
		f.Add(s)
	}
}

func FuzzDatetime(f *testing.F) {
	fuzzSeeds(f, "2024-01-02T03:04:05.678Z", "u0aFbhc", "2024-01-02", "+275760-09-13T00:00:00.000Z", "2024-01-02T03:04:05+05:30", "2018-11-04T00:30",
		"  2024-01-02  ", "2024/1/2 3:04:05.6 +0530", "2024-01-02 24:00 Z")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeDatetime(s)
		stored := EncodeDatetime(s)
		iso, err := NormalizeDatetime(s)
		if err != nil {
			return
		}
		if EncodeDatetime(iso) != stored {
			t.Fatalf("%q: normalised %q encodes to %q, raw to %q", s, iso, EncodeDatetime(iso), stored)
		}
		if got := DecodeDatetime(EncodeDatetime(iso)); got != iso {
			t.Fatalf("%q: %q reads back as %q", s, iso, got)
		}
	})
}

func FuzzDateOnly(f *testing.F) {
	fuzzSeeds(f, "2024-01-02", "588", "-eDA", "1815-12-10", "2024-01-02T23:00:00-05:00")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeDateOnly(s)
		EncodeDateOnly(s)
		d, err := NormalizeDateOnly(s)
		if err != nil {
			return
		}
		if got := DecodeDateOnly(EncodeDateOnly(d)); got != d {
			t.Fatalf("%q: %q reads back as %q", s, d, got)
		}
	})
}

func FuzzTimeOnly(f *testing.F) {
	fuzzSeeds(f, "13:45:30.250", "3lP50", "00:00", "23:59:59.999", "2024-01-02T13:45:30.250Z")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeTimeOnly(s)
		EncodeTimeOnly(s)
		v, err := NormalizeTimeOnly(s)
		if err != nil {
			return
		}
		if got := DecodeTimeOnly(EncodeTimeOnly(v)); got != v {
			t.Fatalf("%q: %q reads back as %q", s, v, got)
		}
	})
}

func FuzzUUID(f *testing.F) {
	fuzzSeeds(f, "123e4567-e89b-12d3-a456-426614174000", "0kIf1d4g6oxB30AzXg0mOiNa", "00000000-0000-0000-0000-000000000000")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeUUID(s)
		EncodeUUID(s)
		v, err := NormalizeUUID(s)
		if err != nil {
			return
		}
		if got := DecodeUUID(EncodeUUID(v)); got != strings.ToLower(v) {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzMAC(f *testing.F) {
	fuzzSeeds(f, "aa:bb:cc:dd:ee:ff", "0RiYGo9Lp", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeMAC(s)
		EncodeMAC(s)
		v, err := NormalizeMAC(s)
		if err != nil {
			return
		}
		if got := DecodeMAC(EncodeMAC(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzCIDR(f *testing.F) {
	fuzzSeeds(f, "10.0.0.0/8", "0blXcA8", "255.255.255.255/32", "0x10.1e2.-1.4/8")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeCIDR(s)
		EncodeCIDR(s)
		v, err := NormalizeCIDR(s)
		if err != nil {
			return
		}
		if got := DecodeCIDR(EncodeCIDR(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzSemver(f *testing.F) {
	fuzzSeeds(f, "1.2.3", "4cFl", "v01.02.03", "1.1000.0")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeSemver(s)
		EncodeSemver(s)
		v, err := NormalizeSemver(s)
		if err != nil {
			return
		}
		if got := DecodeSemver(EncodeSemver(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzPhone(f *testing.F) {
	fuzzSeeds(f, "+5511999998888", "1z2ASgAw", "+55 (11) 99999-8888", "+0012345678")
	f.Fuzz(func(t *testing.T, s string) {
		DecodePhone(s)
		EncodePhone(s)
		v, err := NormalizePhone(s)
		if err != nil {
			return
		}
		if got := DecodePhone(EncodePhone(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzColor(f *testing.F) {
	fuzzSeeds(f, "#ff8800", "18gwM", "F80", "#0x1234")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeColor(s)
		EncodeColor(s)
		v, err := NormalizeColor(s)
		if err != nil {
			return
		}
		if got := DecodeColor(EncodeColor(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzDuration(f *testing.F) {
	fuzzSeeds(f, "PT1H30M", "mEMM", "1h30m", "1234", "1d2h3m4s5ms", "PT1.5S", "1e+21")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeDuration(s)
		EncodeDuration(s)
		v, err := NormalizeDuration(s)
		if err != nil {
			return
		}
		stored := EncodeDuration(v)
		// The read form is ISO text; encoding it again must give the same milliseconds.
		if again := EncodeDuration(DecodeDuration(stored)); again != stored {
			t.Fatalf("%q: stored %q reads as %q which stores as %q", s, stored, DecodeDuration(stored), again)
		}
	})
}

func FuzzEAN(f *testing.F) {
	fuzzSeeds(f, "4006381333931", "118x8XMN5", "96385074", "06wq9Y", "0", "00000000")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeEAN(s)
		EncodeEAN(s)
		v, err := NormalizeEAN(s)
		if err != nil {
			return
		}
		if got := DecodeEAN(EncodeEAN(v)); got != v {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzIP4(f *testing.F) {
	fuzzSeeds(f, "192.168.1.1", "wKgBAQ==", "999.1.1.1", "01.002.3.4", "-_-_-_==")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeIP4(s)
		EncodeIP4(s)
		v, err := NormalizeIP4(s)
		if err != nil {
			return
		}
		o, _ := ipv4Octets(v)
		want := netip.AddrFrom4(o).String()
		if got := DecodeIP4(EncodeIP4(v)); got != want {
			t.Fatalf("%q reads back as %q, want %q", v, got, want)
		}
	})
}

func FuzzIP6(f *testing.F) {
	fuzzSeeds(f, "2001:db8::1", "IAENuAAAAAAAAAAAAAAAAQ==", "::ffff:1.2.3.4", "fe80::1%eth0", "fe80:::::%x", "1:0:0:1:0:0:0:1")
	f.Fuzz(func(t *testing.T, s string) {
		DecodeIP6(s)
		EncodeIP6(s)
		v, err := NormalizeIP6(s)
		if err != nil {
			return
		}
		want, perr := netip.ParseAddr(v)
		if perr != nil {
			t.Fatalf("normalised %q is not an address: %v", v, perr)
		}
		got := DecodeIP6(EncodeIP6(v))
		if g, err := netip.ParseAddr(got); err != nil || g != want || got != strings.ToLower(got) {
			t.Fatalf("%q reads back as %q", v, got)
		}
	})
}

func FuzzFormatISO(f *testing.F) {
	for _, ms := range []int64{0, -1, 8.64e15, -8.64e15, 1704164645678, -62198755200000} {
		f.Add(ms)
	}
	f.Fuzz(func(t *testing.T, ms int64) {
		if ms > maxTimeMs || ms < -maxTimeMs {
			return
		}
		iso := FormatISO(time.UnixMilli(ms))
		back, ok := parseJSDate(iso, time.UTC)
		if !ok || back != ms {
			t.Fatalf("%d → %q → %d, %v", ms, iso, back, ok)
		}
	})
}
