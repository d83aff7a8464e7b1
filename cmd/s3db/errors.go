package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/s3db-go/s3db/schema"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// usageError is a wrong command line (exit 2): the message says what is wrong, the usage line how
// to call the command.
type usageError struct {
	cmd *command // nil for errors before the command is known
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd *command, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// reportUsage prints a usage error and returns ExitUsage.
func reportUsage(stderr io.Writer, err error) int {
	var u *usageError
	if !errors.As(err, &u) {
		fmt.Fprintf(stderr, "s3db: %v\n", err)
		return ExitUsage
	}
	if u.cmd == nil {
		fmt.Fprintf(stderr, "s3db: %s\nusage: s3db [global flags] COMMAND [arguments] (run \"s3db help\" for the commands)\n", u.msg)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "s3db %s: %s\nusage: s3db %s (run \"s3db help %s\" for details)\n", u.cmd.name, u.msg, u.cmd.line(), u.cmd.name)
	return ExitUsage
}

// explain is the error text for stderr: the error, a hint when the error does not carry one, and
// never a secret (the connection string's credentials and the passphrase are masked).
func (r *runner) explain(err error) string {
	msg := err.Error()
	if hint := r.hint(err); hint != "" && !strings.Contains(msg, hint) {
		msg += ": " + hint
	}
	return scrub(msg, r.secrets())
}

// hint says what to do about an error the store reports without advice.
func (r *runner) hint(err error) string {
	var (
		notFound *store.NotFoundError
		unknown  *store.UnknownResourceError
		objErr   *objstore.Error
	)
	switch {
	case errors.As(err, &notFound):
		return fmt.Sprintf("check the id (s3db ids %s lists them)", notFound.Resource)
	case errors.As(err, &unknown):
		return "s3db list shows the resources, s3db create-resource defines one"
	case errors.Is(err, schema.ErrDefinition):
		return "fix the rule in --attributes (the rules are s3db.js's, e.g. string|required, number|optional)"
	case errors.Is(err, schema.ErrValidation):
		return "s3db schema shows the rules the record must follow"
	case errors.Is(err, store.ErrMetadataLimit):
		return "the record does not fit in S3's 2 KB of metadata: define the resource with --behavior body-overflow"
	case errors.As(err, &objErr) && objErr.Kind == nil && objErr.Hint == "":
		return "check --connection (or " + EnvConnection + ") and that the server is reachable"
	}
	return ""
}

// secrets are the texts that must never be printed.
func (r *runner) secrets() []string {
	var out []string
	if r.global.passphrase != "" {
		out = append(out, r.global.passphrase)
	}
	if c := r.global.connection; c != "" {
		u, err := url.Parse(c)
		switch {
		case err != nil:
			out = append(out, c)
		case u.User != nil:
			out = append(out, c, u.User.String())
			if p, ok := u.User.Password(); ok {
				out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
			}
		}
	}
	return out
}

// scrub masks every secret of at least 4 characters in msg (shorter ones would mask ordinary words).
func scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

// redactedConnection is the connection string with its secret masked, safe to print.
func redactedConnection(conn string) string {
	cfg, err := objstore.ParseConnectionString(conn)
	if err != nil {
		return "(unparsable connection string)"
	}
	return cfg.String()
}
