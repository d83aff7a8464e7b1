package consumers

import (
	"context"
	"errors"
	"fmt"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store"
)

// ErrPermanent is matched (errors.Is) by every error that no retry can fix: the message goes to the
// dead-letter queue at once.
var ErrPermanent = errors.New("permanent failure")

// ErrCounterActions rejects add, sub and set until the consistency package exists.
var ErrCounterActions = errors.New("counter actions need the consistency package, not available yet")

// PermanentError says why a message can never succeed. Reason is a short label ("bad JSON",
// "validation", "unknown resource", …) used in metrics and dead-letter metadata.
type PermanentError struct {
	Reason string
	Err    error
}

func (e *PermanentError) Error() string { return e.Reason + ": " + e.Err.Error() }

// Unwrap returns the cause and ErrPermanent, so errors.Is sees both.
func (e *PermanentError) Unwrap() []error { return []error{ErrPermanent, e.Err} }

func permanent(reason string, err error) error { return &PermanentError{Reason: reason, Err: err} }

// IsPermanent reports whether err can never succeed on retry: a *PermanentError, or a store error of a
// permanent class (see Classify).
func IsPermanent(err error) bool { return errors.Is(err, ErrPermanent) }

// Reason returns the short label of a permanent error, "transient" for the others and "" for nil.
func Reason(err error) string {
	var pe *PermanentError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.Reason
	default:
		return "transient"
	}
}

// Classify wraps a store error in a *PermanentError when no retry can fix it, and returns it unchanged
// otherwise:
//
//   - permanent: validation errors (schema.ErrValidation), invalid ids, unknown resources, an insert
//     whose id a different message already took (ErrAlreadyExists: with a TxID, a redelivery of the same
//     message is a duplicate, not this error), metadata over 2 KB with enforce-limits;
//   - transient: everything else, notably S3 errors (5xx, timeouts, throttling, access denied while a
//     policy is being fixed), conflicts that outlasted the store's own retries (store.ErrConflict),
//     a record locked by another writer, a cancelled or expired context, and ErrNotFound on update (an
//     insert of the record may still be on its way through another queue).
//
// Unknown errors are transient: retrying costs little, and the message reaches the dead-letter queue
// after the configured attempts anyway.
func Classify(err error) error {
	switch {
	case err == nil || IsPermanent(err):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, schema.ErrValidation):
		return permanent("validation", err)
	case errors.Is(err, codec.ErrInvalidID):
		return permanent("invalid id", err)
	case errors.Is(err, store.ErrUnknownResource):
		return permanent("unknown resource", err)
	case errors.Is(err, store.ErrAlreadyExists):
		return permanent("already exists", fmt.Errorf("%w (written by another message; use upsert or update)", err))
	case errors.Is(err, behaviors.ErrMetadataLimit):
		return permanent("metadata limit", err)
	default:
		return err
	}
}
