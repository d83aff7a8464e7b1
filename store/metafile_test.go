package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

var isoTime = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`)

// Replaying every createResource of the s3db.js fixtures on the previous s3db.json gives the
// s3db.json s3db.js wrote, byte for byte once times are masked.
func TestPutResourceMatchesS3dbjs(t *testing.T) {
	files, err := filepath.Glob("../testdata/s3dbjs/*.json")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var fx struct {
			Case  string `json:"case"`
			Steps []struct {
				CreateResource codec.Ordered   `json:"createResource"`
				S3db           json.RawMessage `json:"s3db"`
			} `json:"steps"`
		}
		require.NoError(t, json.Unmarshal(b, &fx))
		if fx.Case == "evolution-same-process" {
			continue // s3db.js writes a registry it does not use there (§13.14)
		}
		var prev *metaFile
		for i, st := range fx.Steps {
			if st.S3db == nil {
				continue
			}
			stored, _, err := parseMetaFile("s3db.json", st.S3db)
			require.NoError(t, err)
			if st.CreateResource == nil {
				prev = stored
				continue
			}
			mf := prev
			if mf == nil {
				mf = newMetaFile(time.Now())
			}
			def := definitionOf(t, st.CreateResource)
			// As a loaded database holds it: the stored registry compiled against the stored
			// definitions (which drops burned attributes), then the new definitions on top, merged
			// with the file's registry as under the metadata lock.
			var reg, local *schema.Registry
			if rm, ok := mf.resource(def.Name); ok {
				reg = rm.Registry
				loaded, err := schema.New(rm.Def.Normalized().Attributes, schema.Options{Registry: reg})
				require.NoError(t, err)
				local = loaded.Registry()
			}
			s, err := schema.New(def.Normalized().Attributes, schema.Options{Registry: local})
			require.NoError(t, err)
			got := s.Registry()
			got.Merge(reg)
			_, err = mf.putResource(def, got, time.Now())
			require.NoError(t, err)
			want, err := stored.marshal()
			require.NoError(t, err)
			have, err := mf.marshal()
			require.NoError(t, err)
			assert.Equal(t, mask(want), mask(have), "%s step %d", filepath.Base(f), i)
			prev = stored
		}
	}
}

func mask(b []byte) string { return isoTime.ReplaceAllString(string(b), `"<time>"`) }

func definitionOf(t *testing.T, args codec.Ordered) Definition {
	t.Helper()
	var d Definition
	for _, m := range args {
		switch m.Name {
		case "name":
			d.Name = m.Value.(string)
		case "attributes":
			d.Attributes = m.Value.(codec.Ordered)
		case "behavior":
			d.Behavior = m.Value.(string)
		case "timestamps":
			d.Timestamps = m.Value.(bool)
		case "idSize":
			d.IDSize = int(m.Value.(float64))
		case "partitions":
			p, err := ParsePartitions(m.Value, nil)
			require.NoError(t, err)
			d.Partitions = p
		}
	}
	return d
}

func TestParseMetaFileRepairs(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"trailing comma", `{"version":"1","resources":{},}`},
		{"bare keys", `{version:"1",resources:{}}`},
		{"unclosed", `{"version":"1","resources":{"a":{"x":[1,2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mf, repaired, err := parseMetaFile("s3db.json", []byte(tc.text))
			require.NoError(t, err)
			assert.True(t, repaired)
			v, _ := mf.root.Get("version")
			assert.Equal(t, "1", v)
		})
	}
	_, _, err := parseMetaFile("prefix/s3db.json", []byte(`{"version": "1", garbage`))
	require.ErrorIs(t, err, ErrCorruptMetadata)
	assert.Contains(t, err.Error(), "prefix/s3db.json")
	assert.Contains(t, err.Error(), "nothing was changed")
}
