package main

import (
	"flag"
	"fmt"
	"strings"
)

// command is one subcommand: its name, positional arguments, flags and action.
type command struct {
	name     string
	args     []string // names of the positional arguments, all required
	synopsis string   // the flags part of the usage line
	summary  string
	details  string // extra help text, may be empty
	flags    func(fs *flag.FlagSet, f *commandFlags)
	run      func(r *runner, args []string) error
}

// usage is the command's help text.
func (c *command) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: s3db [global flags] %s\n\n%s\n", c.line(), c.summary)
	if c.details != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(c.details, "\n"))
	}
	b.WriteString("\n" + globalHelp)
	return b.String()
}

// line is the usage line without "s3db".
func (c *command) line() string {
	parts := append([]string{c.name}, c.args...)
	if c.synopsis != "" {
		parts = append(parts, c.synopsis)
	}
	return strings.Join(parts, " ")
}

const globalHelp = `global flags (before or after the command):
  --connection URL   the database: s3://KEY:SECRET@bucket/prefix, http(s)://KEY:SECRET@host:port/bucket/prefix
                     or file:///path (default: $S3DB_CONNECTION)
  --passphrase P     the passphrase of secret attributes (default: $S3DB_PASSPHRASE, else s3db.js's "secret")
  --json             print one JSON object per line instead of a table
`

// commands is the command table, in help order.
func commands() []*command {
	return []*command{
		{
			name: "list", summary: "List the resources of the database.",
			run: runList,
		},
		{
			name: "schema", args: []string{"RES"}, summary: "Show the definition of a resource: attributes, behavior, partitions.",
			run: runSchema,
		},
		{
			name: "create-resource", args: []string{"NAME"},
			synopsis: "--attributes JSON [--behavior B] [--timestamps] [--partitions JSON]",
			summary:  "Define a resource, or change its definition (a new version when it changed).",
			details: `  --attributes JSON  the attributes, in s3db.js form: '{"name":"string|required","age":"number|optional"}'
  --behavior B       user-managed (default), enforce-limits, truncate-data, body-overflow or body-only
  --timestamps       add createdAt/updatedAt and the byCreatedDate/byUpdatedDate partitions
  --partitions JSON  '{"byRegion":{"fields":{"region":"string"}}}' or the shorthand '["region"]'`,
			flags: func(fs *flag.FlagSet, f *commandFlags) {
				fs.StringVar(&f.attributes, "attributes", "", "")
				fs.StringVar(&f.behavior, "behavior", "", "")
				fs.BoolVar(&f.timestamps, "timestamps", false, "")
				fs.StringVar(&f.partitions, "partitions", "", "")
			},
			run: runCreateResource,
		},
		{
			name: "insert", args: []string{"RES"}, synopsis: "[-d JSON]",
			summary: "Insert a record; without -d, insert each JSON line of stdin.",
			details: `  -d, --data JSON    the record: '{"id":"u1","name":"Ada"}' (an id is generated when absent)
Inserting an existing id fails: use upsert or update to change a record.`,
			flags: dataFlag,
			run:   runInsert,
		},
		{
			name: "get", args: []string{"RES", "ID"}, summary: "Print a record.",
			run: runGet,
		},
		{
			name: "update", args: []string{"RES", "ID"}, synopsis: "-d JSON",
			summary: "Merge fields into a record (s3db.js's update: dotted keys set nested fields).",
			details: `  -d, --data JSON    the fields to change: '{"age":37,"address.city":"Porto"}'`,
			flags:   dataFlag,
			run:     runUpdate,
		},
		{
			name: "upsert", args: []string{"RES"}, synopsis: "-d JSON",
			summary: "Insert a record, or update it when its id exists.",
			details: `  -d, --data JSON    the record, with its id: '{"id":"u1","name":"Ada"}'`,
			flags:   dataFlag,
			run:     runUpsert,
		},
		{
			name: "delete", args: []string{"RES", "ID"}, summary: "Delete a record and its partition references.",
			run: runDelete,
		},
		{
			name: "ids", args: []string{"RES"}, summary: "Print the ids of a resource's records, one per line.",
			run: runIDs,
		},
		{
			name: "query", args: []string{"RES"}, synopsis: "[--filter JSON] [--limit N]",
			summary: "Print the records that match a filter.",
			details: `  --filter JSON      fields and the values they must equal (strict equality, as s3db.js's query):
                     '{"region":"eu","address.city":"Porto"}'; a partition is used when the filter
                     names all of its fields, else every record is read
  --limit N          print at most N records (default: all)`,
			flags: func(fs *flag.FlagSet, f *commandFlags) {
				fs.StringVar(&f.filter, "filter", "", "")
				fs.IntVar(&f.limit, "limit", 0, "")
			},
			run: runQuery,
		},
		{
			name: "count", args: []string{"RES"}, synopsis: "[--partition P --values k=v,...]",
			summary: "Count the records of a resource, or of one partition.",
			details: `  --partition P      count through partition P (see s3db schema RES)
  --values k=v,...   the partition's field values, e.g. region=eu,plan=pro; without them, every
                     record with values for the partition's fields is counted`,
			flags: func(fs *flag.FlagSet, f *commandFlags) {
				fs.StringVar(&f.partition, "partition", "", "")
				fs.StringVar(&f.values, "values", "", "")
			},
			run: runCount,
		},
		exportCommand(),
	}
}

func dataFlag(fs *flag.FlagSet, f *commandFlags) {
	fs.StringVar(&f.data, "d", "", "")
	fs.StringVar(&f.data, "data", "", "")
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// mainUsage is the help text of s3db itself.
func mainUsage() string {
	var b strings.Builder
	b.WriteString("usage: s3db [global flags] COMMAND [arguments]\n\n")
	b.WriteString("s3db reads and writes s3db.js databases (S3 buckets, or local directories).\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %s\n      %s\n", c.line(), c.summary)
	}
	b.WriteString("\n" + globalHelp)
	b.WriteString("\nRun \"s3db help COMMAND\" for a command's flags. Exit status: 0 ok, 1 error, 2 bad usage.\n")
	return b.String()
}

// helpFor answers "s3db help [COMMAND]".
func helpFor(args []string) error {
	if len(args) == 0 {
		return &helpRequest{text: mainUsage()}
	}
	c := lookupCommand(args[0])
	if c == nil {
		return usagef(nil, "help: unknown command %q: the commands are %s", args[0], strings.Join(commandNames(), ", "))
	}
	return &helpRequest{text: c.usage()}
}
