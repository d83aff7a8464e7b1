package codec

import (
	"errors"
	"fmt"
)

// ErrInvalidValue is matched (errors.Is) by every *ValueError, so callers can test for "the value
// was refused by a type normaliser" without caring which type refused it.
var ErrInvalidValue = errors.New("codec: invalid value")

// ValueError reports a value that a type normaliser (NormalizeDatetime, NormalizeIP4, …) refuses:
// s3db.js's validator would reject it, or storing it would lose data. The schema validator wraps
// it with the field name.
type ValueError struct {
	// Type is the s3db attribute type, e.g. "datetime" or "ip4".
	Type string
	// Value is the rejected input as the caller passed it.
	Value any
	// Reason says what is wrong and what is accepted instead.
	Reason string
}

// Error gives the type, the offending value and the reason, e.g.
// `invalid ip4 value "999.1.1.1": octet 999 is above 255 (expected a dotted quad such as 192.168.1.1)`.
func (e *ValueError) Error() string {
	return fmt.Sprintf("invalid %s value %s: %s", e.Type, describeValue(e.Value), e.Reason)
}

// Is makes errors.Is(err, ErrInvalidValue) true for every ValueError.
func (e *ValueError) Is(target error) bool { return target == ErrInvalidValue }

// describeValue quotes strings and names the Go type of other values, so the message shows exactly
// what was passed.
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v (%T)", x, x)
	}
}

// valueErr builds a *ValueError.
func valueErr(typ string, v any, format string, args ...any) *ValueError {
	return &ValueError{Type: typ, Value: v, Reason: fmt.Sprintf(format, args...)}
}
