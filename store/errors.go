package store

import (
	"errors"
	"fmt"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/schema"
)

// Sentinels for errors.Is. The typed errors below match them; validation failures match
// schema.ErrValidation and metadata-limit failures behaviors.ErrMetadataLimit.
var (
	ErrNotFound        = errors.New("not found")
	ErrAlreadyExists   = errors.New("already exists")
	ErrConflict        = errors.New("conflicting concurrent write")
	ErrUnknownResource = errors.New("unknown resource")
	ErrLocked          = errors.New("s3db.json is locked by another writer")
	ErrValidation      = schema.ErrValidation
	ErrMetadataLimit   = behaviors.ErrMetadataLimit
)

// NotFoundError says a record does not exist.
type NotFoundError struct{ Resource, ID string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %q not found", e.Resource, e.ID)
}

// Unwrap makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// AlreadyExistsError says an insert met an existing record (S3 answered 412 to If-None-Match: *).
type AlreadyExistsError struct{ Resource, ID string }

func (e *AlreadyExistsError) Error() string {
	return fmt.Sprintf("%s %q already exists: use update or upsert to change it", e.Resource, e.ID)
}

// Unwrap makes errors.Is(err, ErrAlreadyExists) true.
func (e *AlreadyExistsError) Unwrap() error { return ErrAlreadyExists }

// UnknownResourceError names a resource the database does not define.
type UnknownResourceError struct {
	Name  string
	Known []string
}

func (e *UnknownResourceError) Error() string {
	return fmt.Sprintf("unknown resource %q (defined: %v): create it first", e.Name, e.Known)
}

// Unwrap makes errors.Is(err, ErrUnknownResource) true.
func (e *UnknownResourceError) Unwrap() error { return ErrUnknownResource }

// ErrCrypto matches every CryptoError.
var ErrCrypto = errors.New("secret fields could not be decrypted")

// CryptoError says secret fields of a record did not decrypt: the passphrase is not the one they
// were written with. The record is still returned, with those fields holding their ciphertext (what
// s3db.js's get shows); nothing was changed.
type CryptoError struct {
	Resource, ID string
	Fields       []string
}

func (e *CryptoError) Error() string {
	return fmt.Sprintf("%s %q: secret field(s) %v did not decrypt: the passphrase differs from the one they were written with "+
		"(s3db.js reads security.passphrase, default \"secret\"; set the same with --passphrase / S3DB_PASSPHRASE / Options.Passphrase, "+
		"or list old ones in Options.FallbackPassphrases)", e.Resource, e.ID, e.Fields)
}

// Unwrap makes errors.Is(err, ErrCrypto) true.
func (e *CryptoError) Unwrap() error { return ErrCrypto }
