package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/s3db-go/s3db/store"
)

// Exit codes of Run.
const (
	ExitOK    = 0 // the command succeeded
	ExitError = 1 // the command failed (the database, the network or the data said no)
	ExitUsage = 2 // the command line was wrong: unknown command, missing argument, bad flag value
)

// Environment variables read when the matching flag is absent.
const (
	EnvConnection = "S3DB_CONNECTION"
	EnvPassphrase = "S3DB_PASSPHRASE"
)

// App is the s3db command. It holds no state between runs: each Run parses its own arguments and
// opens its own database, so tests run it in-process, concurrently.
type App struct {
	// Getenv reads the environment (os.Getenv in main); nil means an empty environment.
	Getenv func(string) string
	// Options are the base store options; Passphrase is set from the command line.
	Options store.Options
}

// runner is one invocation: its streams, its parsed command line, and the database, opened on
// first use (help and usage errors never touch the network).
type runner struct {
	ctx    context.Context
	stdin  io.Reader
	out    *output
	cmd    *command
	global globalFlags
	flags  commandFlags
	opts   store.Options
	db     *store.Database
}

// Run executes one command line (without the program name) and returns its exit code. Results go
// to stdout; errors, with what to do about them, go to stderr.
func (a *App) Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	inv, err := a.parse(args)
	if err != nil {
		var help *helpRequest
		if errors.As(err, &help) {
			_, _ = io.WriteString(stdout, help.text)
			return ExitOK
		}
		return reportUsage(stderr, err)
	}
	r := &runner{
		ctx:    ctx,
		stdin:  stdin,
		out:    &output{w: stdout, json: inv.global.json},
		cmd:    inv.cmd,
		global: inv.global,
		flags:  inv.flags,
		opts:   a.Options,
	}
	r.opts.Passphrase = inv.global.passphrase
	if err := inv.cmd.run(r, inv.args); err != nil {
		var usage *usageError
		if errors.As(err, &usage) {
			return reportUsage(stderr, err)
		}
		fmt.Fprintf(stderr, "s3db %s: %s\n", inv.cmd.name, r.explain(err))
		return ExitError
	}
	return ExitOK
}

// database opens the database named by --connection (or S3DB_CONNECTION) once.
func (r *runner) database() (*store.Database, error) {
	if r.db != nil {
		return r.db, nil
	}
	if r.global.connection == "" {
		return nil, usagef(r.cmd, "no connection string: pass --connection URL or set %s (e.g. file:///tmp/db or http://KEY:SECRET@host:9000/bucket/prefix)", EnvConnection)
	}
	db, err := store.Open(r.ctx, r.global.connection, r.opts)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redactedConnection(r.global.connection), err)
	}
	r.db = db
	return db, nil
}

// resource opens the database and returns one of its resources.
func (r *runner) resource(name string) (*store.Resource, error) {
	db, err := r.database()
	if err != nil {
		return nil, err
	}
	return db.Resource(name)
}
