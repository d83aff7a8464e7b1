package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// result is what one run of the command printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs s3db in-process with an environment, a stdin and arguments.
type cli struct {
	t     *testing.T
	env   map[string]string
	stdin string
}

func newCLI(t *testing.T, conn string) *cli {
	return &cli{t: t, env: map[string]string{EnvConnection: conn}}
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	app := &App{Getenv: func(k string) string { return c.env[k] }}
	var out, errOut bytes.Buffer
	code := app.Run(context.Background(), args, strings.NewReader(c.stdin), &out, &errOut)
	c.stdin = ""
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// ok runs a command that must succeed and returns its stdout.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run(args...)
	require.Equal(c.t, ExitOK, r.code, "s3db %v failed: %s", args, r.stderr)
	assert.Empty(c.t, r.stderr)
	return r.stdout
}

// jsonLines runs a command with --json and parses every line of its output.
func (c *cli) jsonLines(args ...string) []map[string]any {
	c.t.Helper()
	out := c.ok(append([]string{"--json"}, args...)...)
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var obj map[string]any
		require.NoError(c.t, json.Unmarshal([]byte(line), &obj), "line %q", line)
		objs = append(objs, obj)
	}
	return objs
}

// backends runs fn against a local directory and versitygw (a fresh bucket).
func backends(t *testing.T, fn func(t *testing.T, conn string)) {
	t.Run("local", func(t *testing.T) {
		fn(t, "file://"+t.TempDir())
	})
	t.Run("versitygw", func(t *testing.T) {
		fn(t, testenv.S3(t).ConnectionString(testenv.NewBucket(t), "cli"))
	})
}

const usersAttrs = `{"name":"string|required","region":"string","age":"number|optional","address":{"city":"string|optional"},"token":"secret|optional"}`

func TestCLI_workflow(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		c := newCLI(t, conn)
		assert.Contains(t, c.ok("list"), "no resources")

		created := c.jsonLines("create-resource", "users", "--attributes", usersAttrs,
			"--behavior", "body-overflow", "--partitions", `["region"]`)
		require.Len(t, created, 1)
		assert.Equal(t, "created", created[0]["status"])
		assert.Equal(t, "v1", created[0]["version"])
		again := c.jsonLines("create-resource", "users", "--attributes", usersAttrs,
			"--behavior", "body-overflow", "--partitions", `["region"]`)
		assert.Equal(t, "unchanged", again[0]["status"], "the same definition changes nothing")

		// insert -d: the record comes back as get returns it, fields in attribute order, id last.
		out := c.ok("--json", "insert", "users", "-d", `{"id":"u1","name":" Ada ","region":"eu","age":"36","address":{"city":"Porto"},"token":"hunter2"}`)
		assert.Equal(t, `{"name":"Ada","region":"eu","age":36,"address":{"city":"Porto"},"token":"hunter2","id":"u1"}`+"\n", out)

		// insert from stdin: JSON lines, blank lines skipped; table output lists them.
		c.stdin = `{"id":"u2","name":"Bob","region":"us","age":40}` + "\n\n" + `{"id":"u3","name":"Cy","region":"eu"}` + "\n"
		table := c.ok("insert", "users")
		assert.Regexp(t, `(?m)^id\s+name\s+region\s+age\s*$`, table)
		assert.Regexp(t, `(?m)^u2\s+Bob\s+us\s+40\s*$`, table)
		assert.Regexp(t, `(?m)^u3\s+Cy\s+eu\s*$`, table)
		c.stdin = `{"id":"u5","name":"Eve","region":"us"}`
		inserted := c.jsonLines("insert", "users")
		require.Len(t, inserted, 1)
		assert.Equal(t, "u5", inserted[0]["id"])

		// get: JSON and a FIELD VALUE table with nested fields as dotted paths.
		got := c.jsonLines("get", "users", "u1")
		assert.Equal(t, []map[string]any{{"id": "u1", "name": "Ada", "region": "eu", "age": 36.0,
			"address": map[string]any{"city": "Porto"}, "token": "hunter2"}}, got)
		table = c.ok("get", "users", "u1")
		assert.Regexp(t, `(?m)^FIELD\s+VALUE\s*$`, table)
		assert.Regexp(t, `(?m)^id\s+u1\s*$`, table)
		assert.Regexp(t, `(?m)^address\.city\s+Porto\s*$`, table)

		// update merges (dotted keys reach nested fields); upsert inserts then updates.
		upd := c.jsonLines("update", "users", "u2", "-d", `{"age":41,"address.city":"Boston"}`)
		assert.Equal(t, 41.0, upd[0]["age"])
		assert.Equal(t, map[string]any{"city": "Boston"}, upd[0]["address"])
		ups := c.jsonLines("upsert", "users", "-d", `{"id":"u4","name":"Di","region":"us"}`)
		assert.Equal(t, "Di", ups[0]["name"])
		ups = c.jsonLines("upsert", "users", "-d", `{"id":"u4","name":"Dee","region":"us","age":7}`)
		assert.Equal(t, "Dee", ups[0]["name"])
		assert.Equal(t, 7.0, ups[0]["age"], "upsert of an existing id updates it")

		assert.Equal(t, "u1\nu2\nu3\nu4\nu5\n", c.ok("ids", "users"))
		ids := c.jsonLines("ids", "users")
		assert.Len(t, ids, 5)
		assert.Equal(t, "u1", ids[0]["id"])

		assert.Equal(t, "5\n", c.ok("count", "users"))
		assert.Equal(t, "2\n", c.ok("count", "users", "--partition", "byRegion", "--values", "region=eu"))
		assert.Equal(t, "3\n", c.ok("count", "users", "--partition", "byRegion", "--values", "region=us"))
		counted := c.jsonLines("count", "users", "--partition", "byRegion", "--values", "region=us")
		assert.Equal(t, []map[string]any{{"resource": "users", "partition": "byRegion",
			"values": map[string]any{"region": "us"}, "count": 3.0}}, counted)

		// query: through the partition, on a nested path, with a limit, and strict equality.
		q := c.jsonLines("query", "users", "--filter", `{"region":"us","age":41}`)
		require.Len(t, q, 1)
		assert.Equal(t, "u2", q[0]["id"])
		q = c.jsonLines("query", "users", "--filter", `{"address.city":"Porto"}`)
		require.Len(t, q, 1)
		assert.Equal(t, "u1", q[0]["id"])
		assert.Empty(t, c.jsonLines("query", "users", "--filter", `{"age":"36"}`), `"36" is not 36`)
		assert.Len(t, c.jsonLines("query", "users", "--limit", "2"), 2)
		assert.Len(t, c.jsonLines("query", "users", "--filter", `{"region":"us"}`, "--limit", "2"), 2)
		table = c.ok("query", "users", "--filter", `{"region":"eu"}`)
		assert.Regexp(t, `(?m)^u1\s+Ada\s+eu\s+36\s+\{"city":"Porto"\}\s+hunter2\s*$`, table)
		assert.Regexp(t, `(?m)^u3\s+Cy\s+eu\s*$`, table)
		assert.Contains(t, c.ok("query", "users", "--filter", `{"region":"nowhere"}`), "(no records)")

		assert.Equal(t, "deleted users u4\n", c.ok("delete", "users", "u4"))
		del := c.jsonLines("delete", "users", "u5")
		assert.Equal(t, []map[string]any{{"resource": "users", "id": "u5", "deleted": true}}, del)
		assert.Equal(t, "2\n", c.ok("count", "users", "--partition", "byRegion", "--values", "region=eu"))
		assert.Equal(t, "1\n", c.ok("count", "users", "--partition", "byRegion", "--values", "region=us"), "deleted records leave their partitions")
		r := c.run("get", "users", "u4")
		assert.Equal(t, ExitError, r.code)
		assert.Contains(t, r.stderr, `users "u4" not found`)

		schema := c.jsonLines("schema", "users")
		require.Len(t, schema, 1)
		assert.Equal(t, "body-overflow", schema[0]["behavior"])
		assert.Equal(t, map[string]any{"byRegion": map[string]any{"fields": map[string]any{"region": "string"}}}, schema[0]["partitions"])
		table = c.ok("schema", "users")
		assert.Regexp(t, `(?m)^address\.city\s+string\|optional\s*$`, table)
		assert.Regexp(t, `(?m)^byRegion\s+region=string\s*$`, table)

		list := c.jsonLines("list")
		assert.Equal(t, []map[string]any{{"name": "users", "version": "v1", "behavior": "body-overflow", "timestamps": false,
			"attributes": []any{"name", "region", "age", "address", "token"}, "partitions": []any{"byRegion"}}}, list)
		assert.Regexp(t, `(?m)^users\s+v1\s+body-overflow\s+no\s+5\s+byRegion\s*$`, c.ok("list"))
	})
}

func TestCLI_jsonOrderFollowsAttributes(t *testing.T) {
	c := newCLI(t, "file://"+t.TempDir())
	c.ok("create-resource", "things", "--attributes", `{"zeta":"string","alpha":{"y":"number","b":"number"},"mid":"boolean"}`)
	out := c.ok("--json", "insert", "things", "-d", `{"mid":true,"alpha":{"b":2,"y":1},"zeta":"z","id":"t1"}`)
	assert.Equal(t, `{"zeta":"z","alpha":{"y":1,"b":2},"mid":true,"id":"t1"}`+"\n", out)
}

func TestCLI_timestampsAndEnvironment(t *testing.T) {
	dir := "file://" + t.TempDir()
	c := newCLI(t, dir)
	c.env[EnvPassphrase] = "correct horse"
	c.ok("create-resource", "events", "--attributes", `{"kind":"string","key":"secret|optional"}`, "--timestamps")
	rec := c.jsonLines("insert", "events", "-d", `{"id":"e1","kind":"click","key":"k1"}`)[0]
	assert.Equal(t, "k1", rec["key"])
	assert.NotEmpty(t, rec["createdAt"])
	assert.Equal(t, "1\n", c.ok("count", "events", "--partition", "byCreatedDate"), "a partition without --values counts its records")

	// --connection wins over the environment; flags also work after the command's arguments.
	other := newCLI(t, "file:///nonexistent-is-not-used")
	assert.Equal(t, "e1\n", other.ok("ids", "events", "--connection", dir))
}

func TestCLI_errors(t *testing.T) {
	c := newCLI(t, "file://"+t.TempDir())
	c.ok("create-resource", "users", "--attributes", `{"name":"string|required"}`)
	c.ok("insert", "users", "-d", `{"id":"u1","name":"Ada"}`)
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{name: "missing record", args: []string{"get", "users", "nope"}, want: []string{`s3db get: users "nope" not found`, "s3db ids users"}},
		{name: "unknown resource", args: []string{"ids", "people"}, want: []string{`unknown resource "people"`, "create-resource"}},
		{name: "existing id", args: []string{"insert", "users", "-d", `{"id":"u1","name":"Bob"}`}, want: []string{"already exists", "update or upsert"}},
		{name: "invalid record", args: []string{"insert", "users", "-d", `{"id":"u9"}`}, want: []string{"'name' field is required", "s3db schema"}},
		{name: "update of a missing record", args: []string{"update", "users", "u9", "-d", `{"name":"X"}`}, want: []string{`users "u9" not found`}},
		{name: "delete of a missing record", args: []string{"delete", "users", "u9"}, want: []string{`users "u9" not found`}},
		{name: "bad stdin line", stdin: `{"id":"u7","name":"Ok"}` + "\n" + `{nope}` + "\n", args: []string{"insert", "users"},
			want: []string{"stdin line 2: invalid JSON", "1 record(s) before it were inserted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.stdin = tt.stdin
			r := c.run(tt.args...)
			assert.Equal(t, ExitError, r.code)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
		})
	}
	c.t = t
	assert.Equal(t, "u1\nu7\n", c.ok("ids", "users"), "the line before the bad one was inserted")
}

func TestCLI_usageErrors(t *testing.T) {
	conn := "file://" + t.TempDir()
	c := newCLI(t, conn)
	c.ok("create-resource", "users", "--attributes", `{"name":"string","region":"string"}`, "--partitions", `["region"]`)
	tests := []struct {
		name string
		env  map[string]string // nil: the database above
		args []string
		want []string
	}{
		{name: "no command", args: nil, want: []string{"no command given", "s3db help"}},
		{name: "unknown command", args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`, "list, schema"}},
		{name: "unknown global flag", args: []string{"--verbose", "list"}, want: []string{"unknown flag -verbose"}},
		{name: "unknown command flag", args: []string{"get", "users", "u1", "--bogus"}, want: []string{"s3db get: unknown flag -bogus", "usage: s3db get RES ID"}},
		{name: "missing argument", args: []string{"get", "users"}, want: []string{"s3db get: missing ID"}},
		{name: "missing arguments", args: []string{"update"}, want: []string{"s3db update: missing RES ID"}},
		{name: "extra argument", args: []string{"ids", "users", "more"}, want: []string{`unexpected argument "more"`}},
		{name: "bad -d", args: []string{"insert", "users", "-d", `{"name":`}, want: []string{"s3db insert: -d: invalid JSON"}},
		{name: "-d not an object", args: []string{"upsert", "users", "-d", `[1,2]`}, want: []string{"-d: want a JSON object", "got an array"}},
		{name: "upsert without id", args: []string{"upsert", "users", "-d", `{"name":"x"}`}, want: []string{"upsert needs the record's id"}},
		{name: "update without -d", args: []string{"update", "users", "u1"}, want: []string{"-d is required"}},
		{name: "update changing the id", args: []string{"update", "users", "u1", "-d", `{"id":"u2"}`}, want: []string{`id "u2" differs`}},
		{name: "insert without data", args: []string{"insert", "users"}, want: []string{"no record: pass -d JSON"}},
		{name: "create without attributes", args: []string{"create-resource", "x"}, want: []string{"--attributes is required"}},
		{name: "bad attributes JSON", args: []string{"create-resource", "x", "--attributes", `{"a":}`}, want: []string{"--attributes: invalid JSON"}},
		{name: "bad attribute rule", args: []string{"create-resource", "x", "--attributes", `{"a":"strnig"}`}, want: []string{"--attributes:", "strnig"}},
		{name: "bad behavior", args: []string{"create-resource", "x", "--attributes", `{"a":"string"}`, "--behavior", "magic"}, want: []string{`--behavior "magic"`, "body-overflow"}},
		{name: "bad partitions", args: []string{"create-resource", "x", "--attributes", `{"a":"string"}`, "--partitions", `[1]`}, want: []string{"--partitions:"}},
		{name: "bad filter", args: []string{"query", "users", "--filter", `region=eu`}, want: []string{"--filter: invalid JSON"}},
		{name: "object filter value", args: []string{"query", "users", "--filter", `{"address":{"city":"x"}}`}, want: []string{`"address" is an object`, "address.field"}},
		{name: "negative limit", args: []string{"query", "users", "--limit", "-3"}, want: []string{"--limit -3"}},
		{name: "non-numeric limit", args: []string{"query", "users", "--limit", "ten"}, want: []string{"invalid value \"ten\" for flag -limit"}},
		{name: "values without partition", args: []string{"count", "users", "--values", "region=eu"}, want: []string{"--values needs --partition"}},
		{name: "bad values", args: []string{"count", "users", "--partition", "byRegion", "--values", "region"}, want: []string{`"region" is not field=value`}},
		{name: "unknown partition", args: []string{"count", "users", "--partition", "byPlan", "--values", "plan=pro"}, want: []string{`--partition "byPlan"`, "byRegion"}},
		{name: "unknown partition field", args: []string{"count", "users", "--partition", "byRegion", "--values", "plan=pro"}, want: []string{`"plan" is not a field of partition byRegion`}},
		{name: "no connection", env: map[string]string{}, args: []string{"list"}, want: []string{"no connection string", "--connection", EnvConnection}},
		{name: "help of unknown command", args: []string{"help", "frob"}, want: []string{`unknown command "frob"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, conn)
			if tt.env != nil {
				c.env = tt.env
			}
			r := c.run(tt.args...)
			assert.Equal(t, ExitUsage, r.code, "stderr: %s", r.stderr)
			assert.Empty(t, r.stdout)
			for _, w := range tt.want {
				assert.Contains(t, r.stderr, w)
			}
		})
	}
	assert.Len(t, c.jsonLines("list"), 1, "usage errors defined nothing")
	assert.Equal(t, "0\n", c.ok("count", "users"), "usage errors wrote nothing")
}

func TestCLI_help(t *testing.T) {
	c := newCLI(t, "")
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out := c.ok(args...)
		assert.Contains(t, out, "usage: s3db [global flags] COMMAND")
		assert.Contains(t, out, "create-resource NAME --attributes JSON")
	}
	for _, args := range [][]string{{"help", "query"}, {"query", "-h"}, {"query", "users", "--help"}} {
		out := c.ok(args...)
		assert.Contains(t, out, "usage: s3db [global flags] query RES [--filter JSON] [--limit N]")
		assert.Contains(t, out, "strict equality")
	}
}

func TestCLI_secretsNeverPrinted(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG"
	c := newCLI(t, "http://AKIDEXAMPLE:wJalrXUtnFEMI%2FK7MDENG@127.0.0.1:1/bucket/prefix")
	c.env[EnvPassphrase] = "my-passphrase"
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing listens on port 1 anyway: fail fast
	app := &App{Getenv: func(k string) string { return c.env[k] }}
	var out, errOut bytes.Buffer
	code := app.Run(ctx, []string{"list"}, strings.NewReader(""), &out, &errOut)
	assert.Equal(t, ExitError, code)
	assert.Contains(t, errOut.String(), "s3db list: open database http://AKIDEXAMPLE:xxxxx@127.0.0.1:1/bucket/prefix")
	for _, s := range []string{secret, "wJalrXUtnFEMI%2FK7MDENG", "my-passphrase"} {
		assert.NotContains(t, errOut.String(), s)
	}
}
