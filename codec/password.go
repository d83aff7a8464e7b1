package codec

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// s3db.js stores `password` fields as a one-way hash in a compact form (§4.2 of the format):
//   - bcrypt "$2b$12$<53 chars>" → "$" + base62(cost) + "$" + the 53 characters ("$c$…");
//   - argon2id "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<digest>" →
//     "$" + base62 of v, log2(m), t, p joined by "|" + "$<salt>$<digest>" ("$j|g|3|4$…").
// Verification expands the compact form back (bcrypt always as "$2b$"). The full forms are
// accepted too.

// Password hashing defaults of s3db.js.
const (
	DefaultBcryptCost = 12
	minBcryptCost     = 12 // s3db.js refuses fewer rounds
	maxBcryptCost     = 31
	bcryptMaxBytes    = 72 // bcrypt only uses the first 72 bytes of a password

	DefaultArgon2Memory      = 65536 // KiB, must be a power of two for the compact form
	DefaultArgon2Time        = 3
	DefaultArgon2Parallelism = 4
	argon2SaltSize           = 16
	argon2KeySize            = 32
	argon2Version            = 19
)

// HashPassword hashes plain with bcrypt at cost (DefaultBcryptCost when 0) and returns the compact
// form s3db.js stores ("$c$…" for cost 12). Like s3db.js it refuses the empty password and costs
// outside 12–31 (errors wrap ErrInvalidPassword), and, like the bcrypt library s3db.js uses, it
// hashes only the first 72 bytes of longer passwords. The password is taken as UTF-8 (see the
// WTF-8 note in jsjson.go for strings that are not).
func HashPassword(plain string, cost int) (string, error) {
	if plain == "" {
		return "", fmt.Errorf("%w: Password must be a non-empty string", ErrInvalidPassword)
	}
	if cost == 0 {
		cost = DefaultBcryptCost
	}
	if cost < minBcryptCost || cost > maxBcryptCost {
		return "", fmt.Errorf("%w: Bcrypt rounds must be between 12 and 31, got %d", ErrInvalidPassword, cost)
	}
	full, err := bcrypt.GenerateFromPassword(bcryptInput(plain), cost)
	if err != nil {
		return "", fmt.Errorf("codec: bcrypt: %w", err)
	}
	// Go writes "$2a$NN$<53>"; the compact form drops the version, and "$2a$" and "$2b$" hash
	// passwords of at most 72 bytes identically.
	parts := strings.Split(string(full), "$")
	if len(parts) != 4 || len(parts[3]) != 53 {
		return "", fmt.Errorf("codec: unexpected bcrypt output %q", full)
	}
	return "$" + pwBase62(int64(cost)) + "$" + parts[3], nil
}

// HashPasswordArgon2id hashes plain as s3db.js does with passwordAlgorithm "argon2id" and the
// default parameters (m=65536 KiB, t=3, p=4, 16-byte salt, 32-byte digest) and returns the compact
// form ("$j|g|3|4$<salt>$<digest>").
func HashPasswordArgon2id(plain string) (string, error) {
	if plain == "" {
		return "", fmt.Errorf("%w: Password must be a non-empty string", ErrInvalidPassword)
	}
	salt := make([]byte, argon2SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("codec: random salt: %w", err)
	}
	digest := argon2.IDKey([]byte(jsWellFormed(plain)), salt, DefaultArgon2Time, DefaultArgon2Memory,
		DefaultArgon2Parallelism, argon2KeySize)
	return "$" + pwBase62(argon2Version) + "|" + pwBase62(16) + "|" + pwBase62(DefaultArgon2Time) + "|" +
		pwBase62(DefaultArgon2Parallelism) + "$" + base64.RawStdEncoding.EncodeToString(salt) + "$" +
		base64.RawStdEncoding.EncodeToString(digest), nil
}

func bcryptInput(plain string) []byte {
	b := []byte(jsWellFormed(plain))
	if len(b) > bcryptMaxBytes {
		b = b[:bcryptMaxBytes]
	}
	return b
}

// IsPasswordHash reports whether s looks like a password hash to s3db.js (its isPasswordHash):
// a 60-character "$2…" bcrypt hash, anything starting with "$argon2", or a compact form — a "$"
// followed by at least one character before the next "$", or a "$" text containing "|". The test
// is deliberately as loose as s3db.js's: it decides whether a value is hashed again.
func IsPasswordHash(s string) bool {
	if !strings.HasPrefix(s, "$") {
		return false
	}
	if strings.HasPrefix(s, "$argon2") || strings.Contains(s, "|") {
		return true
	}
	if strings.HasPrefix(s, "$2") {
		return len(s) == 60
	}
	return strings.IndexByte(s[1:], '$') > 0
}

// VerifyPassword reports whether plain matches a stored hash in compact or full form (bcrypt,
// argon2id or argon2i). A mismatch is (false, nil); the empty password never matches, as in
// s3db.js. A hash that cannot be used gives an error wrapping ErrInvalidPasswordHash (s3db.js
// answers false). Peppers (security.pepper) are appended to plain by the caller.
func VerifyPassword(compact, plain string) (bool, error) {
	full, err := expandPasswordHash(compact)
	if err != nil {
		return false, err
	}
	if plain == "" {
		return false, nil
	}
	if strings.HasPrefix(full, "$argon2") {
		return verifyArgon2(full, plain)
	}
	err = bcrypt.CompareHashAndPassword([]byte(full), bcryptInput(plain))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	}
	return false, fmt.Errorf("%w: %w", ErrInvalidPasswordHash, err)
}

// expandPasswordHash turns a compact hash into the full form, as s3db.js's expandHash.
func expandPasswordHash(h string) (string, error) {
	switch {
	case strings.HasPrefix(h, "$argon2") || strings.HasPrefix(h, "$2"):
		return h, nil
	case strings.HasPrefix(h, "$") && strings.Contains(h, "|"):
		return expandArgon2(h)
	case strings.HasPrefix(h, "$") && strings.IndexByte(h[1:], '$') > 0:
		sep := 1 + strings.IndexByte(h[1:], '$')
		cost, ok := pwParseBase62(h[1:sep])
		if !ok || cost > 99 {
			return "", fmt.Errorf("%w: bad bcrypt cost %q", ErrInvalidPasswordHash, h[1:sep])
		}
		return fmt.Sprintf("$2b$%02d$%s", cost, h[sep+1:]), nil
	}
	return "", fmt.Errorf("%w: unrecognized hash format", ErrInvalidPasswordHash)
}

func expandArgon2(h string) (string, error) {
	end := 1 + strings.IndexByte(h[1:], '$')
	if end == 0 {
		return "", fmt.Errorf("%w: compact argon2 hash without parameters", ErrInvalidPasswordHash)
	}
	params := strings.Split(h[1:end], "|")
	if len(params) != 4 {
		return "", fmt.Errorf("%w: compact argon2 hash needs 4 parameters", ErrInvalidPasswordHash)
	}
	var vals [4]int64
	for i, p := range params {
		v, ok := pwParseBase62(p)
		if !ok {
			return "", fmt.Errorf("%w: bad argon2 parameter %q", ErrInvalidPasswordHash, p)
		}
		vals[i] = v
	}
	if vals[1] > 32 {
		return "", fmt.Errorf("%w: argon2 memory 2^%d too large", ErrInvalidPasswordHash, vals[1])
	}
	rest := h[end+1:]
	last := strings.LastIndexByte(rest, '$')
	if last < 0 {
		return "", fmt.Errorf("%w: compact argon2 hash without digest", ErrInvalidPasswordHash)
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", vals[0], int64(1)<<vals[1], vals[2], vals[3],
		rest[:last], rest[last+1:]), nil
}

// argon2 parameter bounds accepted on verification, so that a damaged hash cannot make a read
// allocate unbounded memory or spin.
const (
	maxArgon2Memory = 4 << 20 // KiB (4 GiB)
	maxArgon2Time   = 1 << 10
)

// verifyArgon2 checks plain against a PHC-format argon2id/argon2i hash.
func verifyArgon2(full, plain string) (bool, error) {
	parts := strings.Split(full, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, digest
	if len(parts) != 6 {
		return false, fmt.Errorf("%w: malformed argon2 hash", ErrInvalidPasswordHash)
	}
	variant := parts[1]
	if variant != "argon2id" && variant != "argon2i" {
		return false, fmt.Errorf("%w: unsupported variant %s", ErrInvalidPasswordHash, variant)
	}
	if parts[2] != "v="+strconv.Itoa(argon2Version) {
		return false, fmt.Errorf("%w: unsupported argon2 version %q", ErrInvalidPasswordHash, parts[2])
	}
	var m, t, p uint64
	for _, kv := range strings.Split(parts[3], ",") {
		name, val, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return false, fmt.Errorf("%w: bad argon2 parameter %q", ErrInvalidPasswordHash, kv)
		}
		switch name {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		}
	}
	if m == 0 || t == 0 || p == 0 || p > 255 || m > maxArgon2Memory || t > maxArgon2Time || m < 8*p {
		return false, fmt.Errorf("%w: argon2 parameters out of range", ErrInvalidPasswordHash)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(strings.TrimRight(parts[4], "="))
	want, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(parts[5], "="))
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > math.MaxUint32 {
		return false, fmt.Errorf("%w: bad argon2 salt or digest", ErrInvalidPasswordHash)
	}
	key := argon2.IDKey
	if variant == "argon2i" {
		key = argon2.Key
	}
	got := key([]byte(jsWellFormed(plain)), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

const pwBase62Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

func pwBase62(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 62 {
		b = append([]byte{pwBase62Alphabet[n%62]}, b...)
	}
	return string(b)
}

// pwParseBase62 decodes a non-negative base62 number of up to 6 digits.
func pwParseBase62(s string) (int64, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(pwBase62Alphabet, s[i])
		if d < 0 {
			return 0, false
		}
		n = n*62 + int64(d)
	}
	return n, true
}
