package main

import (
	"errors"
	"flag"
	"io"
	"strings"

	"github.com/s3db-go/s3db/internal/cliflags"
)

// globalFlags are accepted before and after the command name.
type globalFlags struct {
	connection string
	passphrase string
	json       bool
}

// commandFlags holds every command's flags; each command registers only the ones it takes.
type commandFlags struct {
	data       string
	dataSet    bool
	attributes string
	behavior   string
	timestamps bool
	partitions string
	filter     string
	limit      int
	partition  string
	values     string
	format     string // export
	output     string // export
}

// invocation is a parsed command line.
type invocation struct {
	cmd    *command
	args   []string // positional arguments, as many as cmd.args names
	global globalFlags
	flags  commandFlags
}

// helpRequest carries the help text asked for with help, -h or --help (printed on stdout, exit 0).
type helpRequest struct{ text string }

func (h *helpRequest) Error() string { return "help requested" }

// registerGlobals adds the global flags to fs. The defaults are the values parsed so far, so the
// flags can be given on both sides of the command name; they are never printed (they may be secret).
func registerGlobals(fs *flag.FlagSet, g *globalFlags) {
	fs.StringVar(&g.connection, "connection", g.connection, "")
	fs.StringVar(&g.passphrase, "passphrase", g.passphrase, "")
	fs.BoolVar(&g.json, "json", g.json, "")
}

// parse reads the command line: global flags, the command name, then the command's flags and
// arguments in any order ("--" ends the flags). Flags fall back to the environment.
func (a *App) parse(args []string) (*invocation, error) {
	inv := &invocation{}
	gfs := newFlagSet("s3db")
	registerGlobals(gfs, &inv.global)
	if err := gfs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, &helpRequest{text: mainUsage()}
		}
		return nil, usagef(nil, "%s", flagError(err))
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		return nil, usagef(nil, "no command given")
	}
	name := rest[0]
	if name == "help" {
		return nil, helpFor(rest[1:])
	}
	inv.cmd = lookupCommand(name)
	if inv.cmd == nil {
		return nil, usagef(nil, "unknown command %q: the commands are %s", name, strings.Join(commandNames(), ", "))
	}
	fs := newFlagSet(name)
	registerGlobals(fs, &inv.global)
	if inv.cmd.flags != nil {
		inv.cmd.flags(fs, &inv.flags)
	}
	pos, err := cliflags.ParseInterspersed(fs, rest[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, &helpRequest{text: inv.cmd.usage()}
		}
		return nil, usagef(inv.cmd, "%s", flagError(err))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "d" || f.Name == "data" {
			inv.flags.dataSet = true
		}
	})
	switch {
	case len(pos) < len(inv.cmd.args):
		return nil, usagef(inv.cmd, "missing %s", strings.Join(inv.cmd.args[len(pos):], " "))
	case len(pos) > len(inv.cmd.args):
		return nil, usagef(inv.cmd, "unexpected argument %q", pos[len(inv.cmd.args)])
	}
	inv.args = pos
	if inv.global.connection == "" {
		inv.global.connection = a.getenv(EnvConnection)
	}
	if inv.global.passphrase == "" {
		inv.global.passphrase = a.getenv(EnvPassphrase)
	}
	return inv, nil
}

func (a *App) getenv(name string) string {
	if a.Getenv == nil {
		return ""
	}
	return a.Getenv(name)
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by Run, with the command's usage
	fs.Usage = func() {}
	return fs
}

// flagError rewords the flag package's messages ("flag provided but not defined: -x").
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + name
	}
	return msg
}
