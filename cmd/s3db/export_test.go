package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExport_round_trip(t *testing.T) {
	backends(t, func(t *testing.T, conn string) {
		c := newCLI(t, conn)
		c.ok("create-resource", "users", "--attributes", `{"name":"string|required","region":"string","age":"number|optional",`+
			`"active":"boolean|optional","tags":"array|items:string|optional","address":{"city":"string|optional"}}`, "--partitions", `["region"]`)
		var input []map[string]any
		var lines []string
		for i := range 150 {
			rec := map[string]any{"id": fmt.Sprintf("u%04d", i), "name": fmt.Sprintf("user, \"%d\"", i), "region": []string{"eu", "us"}[i%2]}
			if i%3 == 0 {
				rec["age"] = float64(i) + 0.5
				rec["tags"] = []any{"a|b", "c"}
			}
			if i%5 == 0 {
				rec["active"] = i%10 == 0
				rec["address"] = map[string]any{"city": "Porto\nNorth"}
			}
			input = append(input, rec)
			b, err := json.Marshal(rec)
			require.NoError(t, err)
			lines = append(lines, string(b))
		}
		c.stdin = strings.Join(lines, "\n")
		c.ok("--json", "insert", "users")

		// JSON lines, in key order, equal to the input.
		out := c.ok("export", "users")
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		require.Len(t, got, len(input))
		for i, line := range got {
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			assert.Equal(t, input[i], rec, "line %d", i+1)
		}
		assert.True(t, strings.HasPrefix(got[0], `{"name":`), "fields in attribute order, as get --json")

		// CSV to a file: the header, then one row per record, values typed back from their text.
		file := filepath.Join(t.TempDir(), "users.csv")
		assert.Empty(t, c.ok("export", "users", "--format", "csv", "--output", file))
		f, err := os.Open(file)
		require.NoError(t, err)
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, len(input)+1)
		assert.Equal(t, []string{"id", "name", "region", "age", "active", "tags", "address"}, rows[0])
		assert.Equal(t, []string{"u0000", `user, "0"`, "eu", "0.5", "true", `["a|b","c"]`, `{"city":"Porto\nNorth"}`}, rows[1])
		assert.Equal(t, []string{"u0001", `user, "1"`, "us", "", "", "", ""}, rows[2])

		// A partition.
		out = c.ok("export", "users", "--partition", "byRegion", "--values", "region=us")
		got = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		var ids []string
		for _, line := range got {
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			assert.Equal(t, "us", rec["region"])
			ids = append(ids, rec["id"].(string))
		}
		assert.Len(t, ids, 75)
		assert.True(t, sort.StringsAreSorted(ids))

		// Usage errors.
		r := c.run("export", "users", "--format", "xml")
		assert.Equal(t, ExitUsage, r.code)
		r = c.run("export", "users", "--partition", "byColour")
		assert.Equal(t, ExitUsage, r.code)
		r = c.run("export", "users", "--values", "region=eu")
		assert.Equal(t, ExitUsage, r.code)
	})
}
