package objstore

import (
	"errors"
	"io/fs"
	"strings"
)

// kind is a sentinel error; also names a stdlib error it matches too (fs.ErrNotExist for ErrNotFound).
type kind struct {
	msg  string
	also error
}

func (k *kind) Error() string { return k.msg }

// Is lets a sentinel match a stdlib error as well, so that errors.Is(err, fs.ErrNotExist) works on a
// missing object as it does on a missing file (litestream's convention).
func (k *kind) Is(target error) bool { return k.also != nil && target == k.also }

// The sentinels. Every error of a Store that belongs to one of these classes matches it with errors.Is.
var (
	// ErrNotFound: no object at the key (S3 404 NoSuchKey/NotFound). Also matches fs.ErrNotExist.
	ErrNotFound error = &kind{msg: "object not found", also: fs.ErrNotExist}
	// ErrPreconditionFailed: a conditional write lost (S3 412): If-None-Match: * on an existing key,
	// or If-Match with an ETag that is no longer current.
	ErrPreconditionFailed error = &kind{msg: "precondition failed"}
	// ErrConflict: S3 409. AWS answers ConditionalRequestConflict when conditional writes race (retry
	// with fresh data); versitygw's posix backend answers 409 when a key would need a file where a
	// directory is (keys "a" and "a/b"), which no retry fixes.
	ErrConflict error = &kind{msg: "conflict"}
	// ErrMetadataTooLarge: user metadata over MaxMetadataBytes (S3 400 MetadataTooLarge).
	ErrMetadataTooLarge error = &kind{msg: "metadata too large"}
	// ErrNoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket error = &kind{msg: "no such bucket"}
	// ErrAccessDenied: the credentials are missing, invalid, or not allowed to do this (S3 403,
	// InvalidAccessKeyId, SignatureDoesNotMatch).
	ErrAccessDenied error = &kind{msg: "access denied"}
	// ErrInvalidKey: the key is empty, too long or not valid UTF-8 (checked before any I/O), or the
	// local-directory backend cannot store it.
	ErrInvalidKey error = &kind{msg: "invalid key"}
	// ErrUncertain: the request may or may not have been applied: the server answered 5xx or 429, or
	// no answer came (timeout, broken connection). Only writes sent with SendOnce report it (other
	// requests are retried by the backend); the caller finds out what happened before trying again.
	ErrUncertain error = &kind{msg: "outcome unknown"}
	// ErrTornRead: every read of an object paired its body with another version's ETag (the server
	// was replacing it the whole time); reading again later normally succeeds.
	ErrTornRead error = &kind{msg: "torn read"}
)

// hints are the actionable suggestions attached to each class of error.
var hints = map[error]string{
	ErrNotFound:           "",
	ErrPreconditionFailed: "the object changed since it was read (If-Match) or already exists (If-None-Match): read it again and retry, or treat it as already done",
	ErrConflict:           "another conditional write raced this one: read the object again and retry; if it persists, the key may clash with a key that is its parent path (\"a\" and \"a/b\" cannot both exist on some S3 servers)",
	ErrMetadataTooLarge:   "user metadata (names plus values) must fit in 2048 bytes: move fields to the body (behaviors body-overflow or body-only)",
	ErrNoSuchBucket:       "create the bucket first, or check the bucket name in the connection string",
	ErrAccessDenied:       "check the access key and secret (URL-encode special characters of the secret in the connection string, e.g. / as %2F) and the permissions on the bucket",
	ErrUncertain:          "the server failed or did not answer: read the object to see whether the write happened before retrying it",
	ErrTornRead:           "the object was being overwritten during every read: retry the operation",
	ErrInvalidKey:         "keys must be non-empty UTF-8 of at most 1024 bytes including the prefix",
}

// Error is the error of a Store operation: which operation on which key, its class (one of the
// sentinels, or nil), the underlying backend error, and a suggestion. It never contains credentials.
type Error struct {
	Op   string // "put", "get", "head", "delete", "list", "copy", "open"
	Key  string // relative key (or prefix for list), "" when not about one key
	Kind error  // one of the sentinels, nil when the failure is of no known class
	Err  error  // the backend's error (AWS API error, *fs.PathError, context error…), may be nil
	Hint string // what to do about it, may be empty
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Key != "" {
		b.WriteString(" ")
		b.WriteString(e.Key)
	}
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the class and the backend error, so errors.Is and errors.As see both.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// newError builds an *Error of class kind (nil for none) with that class's standard hint.
func newError(op, key string, kind, err error) *Error {
	return &Error{Op: op, Key: key, Kind: kind, Err: err, Hint: hints[kind]}
}

// IsNotFound reports whether err means that the object (not the bucket) does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsPreconditionFailed reports whether a conditional write or delete lost (412).
func IsPreconditionFailed(err error) bool { return errors.Is(err, ErrPreconditionFailed) }

// IsConflict reports whether S3 answered 409.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsMetadataTooLarge reports whether the metadata exceeded MaxMetadataBytes.
func IsMetadataTooLarge(err error) bool { return errors.Is(err, ErrMetadataTooLarge) }

// IsNoSuchBucket reports whether the bucket does not exist.
func IsNoSuchBucket(err error) bool { return errors.Is(err, ErrNoSuchBucket) }

// IsAccessDenied reports whether the credentials were refused.
func IsAccessDenied(err error) bool { return errors.Is(err, ErrAccessDenied) }

// IsUncertain reports whether a write sent with SendOnce may or may not have happened (see
// ErrUncertain).
func IsUncertain(err error) bool { return errors.Is(err, ErrUncertain) }

// IsRaceLost reports whether a conditional update lost a race and may succeed if retried with fresh
// data: 412 or 409. The read-modify-write loops of the store retry on it (with a bound, since a 409 may
// also be permanent, see ErrConflict).
func IsRaceLost(err error) bool { return IsPreconditionFailed(err) || IsConflict(err) }
