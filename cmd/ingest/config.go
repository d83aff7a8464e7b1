package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/s3db-go/s3db/internal/cliflags"
)

// Exit codes of Run.
const (
	ExitOK          = 0   // every row was accepted (or had been by an earlier run)
	ExitRejected    = 1   // rows were rejected, or the run failed (message on stderr)
	ExitUsage       = 2   // the command line was wrong
	ExitInterrupted = 130 // SIGINT/SIGTERM: in-flight rows finished, checkpoint written
)

// Environment variables read when the matching flag is absent (as for the s3db CLI).
const (
	EnvConnection = "S3DB_CONNECTION"
	EnvPassphrase = "S3DB_PASSPHRASE"
)

// Defaults of the flags.
const (
	defaultConcurrency  = 32
	defaultMaxRowBytes  = 1 << 20
	defaultPlainEvery   = "5s"
	stdinName           = "-"
	rejectSuffix        = ".rejects.jsonl"
	stateSuffix         = ".state"
	stdinRejectFileName = "ingest-stdin.rejects.jsonl"
)

const usageText = `usage: ingest --resource RES [flags] FILE|-

Loads JSON lines or CSV rows into an s3db resource, or publishes them as messages.

  --connection URL    the database (default $S3DB_CONNECTION): s3://KEY:SECRET@bucket/prefix,
                      http(s)://KEY:SECRET@host:port/bucket/prefix or file:///path
  --passphrase P      passphrase of secret attributes (default $S3DB_PASSPHRASE, else "secret")
  --resource RES      the resource to load (required)
  --upsert            update records whose id exists instead of rejecting the row
  --format F          jsonl or csv (default: from the file name, .csv is csv, else jsonl)
  --reject FILE       where rejected rows go, one JSON line each: {"line":N,"error":"...","row":...}
                      (default FILE.rejects.jsonl, or ingest-stdin.rejects.jsonl for stdin)
  --state FILE        the checkpoint for resuming (default: the reject file + .state)
  --concurrency N     rows written (or message batches published) at once (default 32)
  --input-id ID       the identity of the input for the ids of rows without one (default: derived
                      from the input's first 64 KiB, kept in the state file)
  --max-row-bytes N   longer rows are rejected (default 1048576)
  --restart           ignore the state file and start from the first row
  --progress MODE     auto (a bar on a terminal, else a line every 5s), bar, plain or none
  --publish URL       publish the rows instead of writing them:
                        amqp://user:pass@host:port/VHOST?queue=NAME  or  amqp://user:pass@host:port/NAME
                        (durable queue, publisher confirms)
                        https://sqs.REGION.amazonaws.com/ACCOUNT/NAME or an emulator's queue URL
                        (requests go to $AWS_ENDPOINT_URL_SQS or $AWS_ENDPOINT_URL when set; AWS
                        credentials from the default chain, any pair for an emulator)

Exit status: 0 all rows accepted, 1 rows rejected (see the summary) or failure, 2 bad usage,
130 interrupted (run again with the same arguments to resume).
`

// config is a parsed command line.
type config struct {
	connection  string
	passphrase  string
	resource    string
	upsert      bool
	format      string
	reject      string
	state       string
	concurrency int
	inputID     string
	maxRowBytes int
	restart     bool
	progress    string
	publish     string
	input       string // a path, or "-" for stdin
}

// usageError is a wrong command line (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// errHelp asks for the usage text (exit 0).
var errHelp = errors.New("help requested")

func parseConfig(args []string, getenv func(string) string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.connection, "connection", "", "")
	fs.StringVar(&c.passphrase, "passphrase", "", "")
	fs.StringVar(&c.resource, "resource", "", "")
	fs.BoolVar(&c.upsert, "upsert", false, "")
	fs.StringVar(&c.format, "format", "", "")
	fs.StringVar(&c.reject, "reject", "", "")
	fs.StringVar(&c.state, "state", "", "")
	fs.IntVar(&c.concurrency, "concurrency", defaultConcurrency, "")
	fs.StringVar(&c.inputID, "input-id", "", "")
	fs.IntVar(&c.maxRowBytes, "max-row-bytes", defaultMaxRowBytes, "")
	fs.BoolVar(&c.restart, "restart", false, "")
	fs.StringVar(&c.progress, "progress", "auto", "")
	fs.StringVar(&c.publish, "publish", "", "")
	pos, err := cliflags.ParseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, usagef("%s", strings.Replace(err.Error(), "flag provided but not defined: ", "unknown flag ", 1))
	}
	switch {
	case len(pos) == 0:
		return nil, usagef("no input: pass a FILE, or - for stdin")
	case len(pos) > 1:
		return nil, usagef("one input only, got %q", pos)
	}
	c.input = pos[0]
	if c.connection == "" && getenv != nil {
		c.connection = getenv(EnvConnection)
	}
	if c.passphrase == "" && getenv != nil {
		c.passphrase = getenv(EnvPassphrase)
	}
	if c.resource == "" {
		return nil, usagef("--resource is required")
	}
	if c.connection == "" && c.publish == "" {
		return nil, usagef("no connection string: pass --connection URL or set %s (or --publish URL)", EnvConnection)
	}
	if c.format == "" {
		c.format = "jsonl"
		if strings.EqualFold(filepath.Ext(c.input), ".csv") {
			c.format = "csv"
		}
	}
	if c.format != "jsonl" && c.format != "csv" {
		return nil, usagef("--format %q: want jsonl or csv", c.format)
	}
	if c.concurrency < 1 || c.concurrency > 1024 {
		return nil, usagef("--concurrency %d: want 1 to 1024", c.concurrency)
	}
	if c.maxRowBytes < 16 {
		return nil, usagef("--max-row-bytes %d is too small", c.maxRowBytes)
	}
	switch c.progress {
	case "auto", "bar", "plain", "none":
	default:
		return nil, usagef("--progress %q: want auto, bar, plain or none", c.progress)
	}
	if c.publish != "" {
		if _, err := parsePublishURL(c.publish); err != nil {
			return nil, usagef("--publish: %v", err)
		}
	}
	if c.reject == "" {
		c.reject = stdinRejectFileName
		if c.input != stdinName {
			c.reject = c.input + rejectSuffix
		}
	}
	if c.state == "" {
		c.state = c.reject + stateSuffix
	}
	return c, nil
}
