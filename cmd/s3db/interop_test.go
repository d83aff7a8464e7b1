package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
)

// interopScript defines a resource and inserts records with s3db.js, then prints, one line per id
// given as an argument, get(id) without its "_" system fields: what `s3db --json get` must print.
const interopScript = `
import { ensureBucket, openDatabase } from "s3dbjs-harness";
await ensureBucket();
const db = await openDatabase();
const mode = process.argv[2];
if (mode === "write") {
  const users = await db.createResource({ name: "people", behavior: "body-overflow", timestamps: true,
    attributes: { name: "string|required", region: "string", age: "number|optional",
      address: { city: "string|optional", zip: "string|optional" }, tags: "array|items:string|optional",
      token: "secret|optional" },
    partitions: { byRegion: { fields: { region: "string" } } } });
  await users.insert({ id: "j1", name: "Ada", region: "eu", age: 36, address: { zip: "4000", city: "Porto" }, tags: ["a", "b"], token: "t0p" });
  await users.insert({ id: "j2", region: "us", name: "Bob" });
} else {
  const users = db.resources.people;
  for (const id of process.argv.slice(3)) {
    const rec = await users.get(id);
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(rec).filter(([k]) => !k.startsWith("_")))) + "\n");
  }
}
await db.disconnect();
`

// TestCLI_interopWithS3dbjs checks that records written by s3db.js print exactly as s3db.js's get
// returns them (values and key order), and that records the CLI writes read back the same in s3db.js.
func TestCLI_interopWithS3dbjs(t *testing.T) {
	js := testenv.S3DBJS(t)
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "interop")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := map[string]string{"S3DB_CONNECTION": conn}
	_, err := js.RunSource(ctx, interopScript, env, "write")
	require.NoError(t, err)

	c := newCLI(t, conn)
	c.ok("insert", "people", "-d", `{"id":"g1","name":"Cy","region":"eu","age":20,"address":{"city":"Lisbon"},"tags":["x"],"token":"s"}`)
	c.ok("update", "people", "j2", "-d", `{"age":50}`)

	want, err := js.RunSource(ctx, interopScript, env, "read", "j1", "j2", "g1")
	require.NoError(t, err)
	require.Equal(t, 3, strings.Count(string(want), "\n"), "s3db.js output: %s", want)
	var got strings.Builder
	for _, id := range []string{"j1", "j2", "g1"} {
		got.WriteString(c.ok("--json", "get", "people", id))
	}
	assert.Equal(t, string(want), got.String())
	assert.Equal(t, "1\n", c.ok("count", "people", "--partition", "byRegion", "--values", "region=us"))
	assert.Equal(t, "2\n", c.ok("count", "people", "--partition", "byRegion", "--values", "region=eu"))
}
