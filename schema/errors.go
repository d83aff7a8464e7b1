package schema

import (
	"errors"
	"fmt"
	"strings"
)

// ErrValidation is matched (errors.Is) by every *ValidationError: the record broke at least one rule
// of its resource definition.
var ErrValidation = errors.New("schema: validation failed")

// ErrDefinition is matched (errors.Is) by every *DefinitionError: an attribute definition cannot be
// compiled.
var ErrDefinition = errors.New("schema: invalid attribute definition")

// FieldError is one broken rule of one field, in fastest-validator's terms, so that messages read
// exactly as s3db.js users know them.
type FieldError struct {
	// Field is the path of the value: "name", "profile.city", "tags[2]", "o['odd-key']" (the
	// bracket forms are fastest-validator's). Errors of s3db custom types inside arrays name the
	// array pattern ("dates[]"), as s3db.js does.
	Field string
	// Rule is the fastest-validator (or s3db.js) error type: "required", "string", "stringMin",
	// "numberInteger", "email", "enumValue", "datetime", "encryptionKeyMissing", …
	Rule string
	// Value is the offending value (fastest-validator's "actual"), when there is one.
	Value any
	// Expected is the rule parameter that was not met (the minimum, the allowed values…), when any.
	Expected any
	// Message is the fastest-validator message with {field}, {expected} and {actual} filled in.
	Message string
	// Suggestion says how to fix the value.
	Suggestion string
}

// Error returns the message.
func (e *FieldError) Error() string { return e.Message }

// ValidationError lists every problem found in one record, in the order s3db.js reports them.
type ValidationError struct {
	Errors []*FieldError
}

// Error returns all problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Errors))
	for _, fe := range e.Errors {
		line := fe.Message
		if fe.Suggestion != "" {
			line += " (" + fe.Suggestion + ")"
		}
		lines = append(lines, line)
	}
	return "schema: validation failed:\n" + strings.Join(lines, "\n")
}

// Is reports that a ValidationError is an ErrValidation.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// DefinitionError is an attribute definition that cannot be compiled: an unknown type, a rule
// parameter of the wrong kind, or one of the types that s3db.js accepts but cannot store faithfully.
type DefinitionError struct {
	// Attribute is the dotted path of the attribute ("profile.age").
	Attribute string
	// Problem explains what is wrong and, where there is one, what to use instead.
	Problem string
}

// Error names the attribute and the problem.
func (e *DefinitionError) Error() string {
	return fmt.Sprintf("schema: attribute %q: %s", e.Attribute, e.Problem)
}

// Is reports that a DefinitionError is an ErrDefinition.
func (e *DefinitionError) Is(target error) bool { return target == ErrDefinition }
