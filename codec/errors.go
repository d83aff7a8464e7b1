package codec

import "errors"

// Sentinel errors of the codec package. Functions wrap them with %w and add the detail (the
// offending character, the reason a hash is malformed, …), so callers test with errors.Is.
var (
	// ErrDecrypt reports that a stored secret could not be decrypted with any configured
	// passphrase: the text is not base64 of salt‖iv‖ciphertext‖tag, or the GCM tag does not
	// verify (wrong passphrase or damaged data). s3db.js then shows the stored text unchanged.
	ErrDecrypt = errors.New("codec: cannot decrypt secret")

	// ErrInvalidID reports an id that cannot be used as an S3 key segment (empty, or containing
	// "/", "\", "=" or "%").
	ErrInvalidID = errors.New("codec: invalid id")

	// ErrInvalidPassword reports a password that s3db.js would refuse to hash (the empty string)
	// or a bcrypt cost outside 12–31.
	ErrInvalidPassword = errors.New("codec: invalid password")

	// ErrInvalidPasswordHash reports a stored password hash that is neither a compact nor a full
	// bcrypt or argon2 hash, or whose parameters cannot be used.
	ErrInvalidPasswordHash = errors.New("codec: invalid password hash")
)
