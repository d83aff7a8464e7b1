package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

// Every createResource call of the s3db.js fixtures: Go computes the hash, attributes and
// partitions that s3db.js 21.6.2 wrote to s3db.json.
func TestDefinitionMatchesS3dbjs(t *testing.T) {
	files, err := filepath.Glob("../testdata/s3dbjs/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var fx struct {
			Steps []struct {
				CreateResource codec.Ordered `json:"createResource"`
				S3db           codec.Ordered `json:"s3db"`
			} `json:"steps"`
		}
		require.NoError(t, json.Unmarshal(b, &fx), f)
		for _, st := range fx.Steps {
			if st.CreateResource == nil {
				continue
			}
			def := definitionOf(t, st.CreateResource)
			res := fieldAt(t, st.S3db, "resources", def.Name).(codec.Ordered)
			current, _ := res.Get("currentVersion")
			version := fieldAt(t, res, "versions", current.(string)).(codec.Ordered)
			wantHash, _ := version.Get("hash")
			got, err := def.Hash()
			require.NoError(t, err)
			assert.Equal(t, wantHash, got, "%s: hash of %s", filepath.Base(f), def.Name)

			n := def.Normalized()
			wantAttrs, _ := version.Get("attributes")
			assert.Equal(t, js(t, wantAttrs), js(t, n.Attributes), "%s: attributes of %s", filepath.Base(f), def.Name)
			wantParts, _ := res.Get("partitions")
			gotParts := any(n.Partitions)
			if n.Partitions == nil {
				gotParts = codec.Ordered{}
			}
			assert.Equal(t, js(t, wantParts), js(t, gotParts), "%s: partitions of %s", filepath.Base(f), def.Name)
			checked++
		}
	}
	assert.Greater(t, checked, 20)
}

func fieldAt(t *testing.T, o codec.Ordered, names ...string) any {
	t.Helper()
	var cur any = o
	for _, n := range names {
		obj, ok := cur.(codec.Ordered)
		require.True(t, ok, "at %s", n)
		cur, ok = obj.Get(n)
		require.True(t, ok, "missing %s", n)
	}
	return cur
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := codec.MarshalJS(v)
	require.NoError(t, err)
	return string(b)
}
