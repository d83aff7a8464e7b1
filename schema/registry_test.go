package schema_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

func attrs(t *testing.T, js string) codec.Ordered {
	t.Helper()
	var o codec.Ordered
	require.NoError(t, json.Unmarshal([]byte(js), &o))
	return o
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }

// The example of format spec §2.1, written by s3db.js 21.6.2.
func TestKeyListAndInitialRegistry(t *testing.T) {
	a := attrs(t, `{"sku":"string","qty":"number|integer","customer":{"name":"string","city":"string|optional"},
		"status":{"type":"enum","values":["new","paid"]},"createdAt":"datetime|optional","updatedAt":"datetime|optional"}`)
	assert.Equal(t, []string{"sku", "qty", "customer.name", "customer.city", "status.type", "status.values",
		"createdAt", "updatedAt", "customer", "status"}, schema.KeyList(a))

	s, err := schema.New(a, schema.Options{Now: fixedNow})
	require.NoError(t, err)
	reg := s.Registry()
	assert.Equal(t, 10, reg.NextIndex)
	b, err := json.Marshal(reg.Mapping)
	require.NoError(t, err)
	assert.JSONEq(t, `{"sku":0,"qty":1,"customer.name":2,"customer.city":3,"status.type":4,"status.values":5,"createdAt":6,"updatedAt":7,"customer":8,"status":9}`, string(b))
	k, _ := s.KeyOf("status")
	assert.Equal(t, "9", k)
}

func TestKeyListDollarType(t *testing.T) {
	a := attrs(t, `{"geo":{"$$type":"object","lat":"number","inner":{"$$type":"object","x":"string"}},"p":{"$$type":"object|optional","q":"string"}}`)
	assert.Equal(t, []string{"geo.lat", "geo.inner.x", "p.q", "geo", "geo.inner", "p"}, schema.KeyList(a))
}

// Format spec §2.5: v1 {name, email, age} → v2 {name, age, city} burns email; v3 re-adds email
// under a new index, so an old record's email key is never read as the new email.
func TestRegistryEvolution(t *testing.T) {
	v1, err := schema.New(attrs(t, `{"name":"string","email":"string","age":"number"}`), schema.Options{Now: fixedNow})
	require.NoError(t, err)
	v2, err := schema.New(attrs(t, `{"name":"string","age":"number","city":"string"}`), schema.Options{Registry: v1.Registry(), Now: fixedNow})
	require.NoError(t, err)
	assert.True(t, v2.RegistryChanged())
	r2 := v2.Registry()
	assert.Equal(t, 4, r2.NextIndex)
	assert.Equal(t, []schema.BurnedKey{{Index: 1, Attribute: "email", BurnedAt: "2026-11-25T00:00:00.000Z", Reason: "removed"}}, r2.Burned)
	k, _ := v2.KeyOf("city")
	assert.Equal(t, "3", k)

	v3, err := schema.New(attrs(t, `{"name":"string","age":"number","city":"string","email":"string"}`), schema.Options{Registry: r2, Now: fixedNow})
	require.NoError(t, err)
	k, _ = v3.KeyOf("email")
	assert.Equal(t, "4", k)
	assert.Len(t, v3.Registry().Burned, 1, "burned once")

	// An old record's key 1 is no longer email.
	got := v3.Unmap(codec.Ordered{{Name: "0", Value: "Ada"}, {Name: "1", Value: "old@example.com"}, {Name: "4", Value: "new@example.com"}}, nil)
	assert.Equal(t, "new@example.com", got["email"])
	assert.Equal(t, "old@example.com", got["1"])

	// Same definitions again: nothing changes.
	v3b, err := schema.New(v3.Attributes(), schema.Options{Registry: v3.Registry(), Now: fixedNow})
	require.NoError(t, err)
	assert.False(t, v3b.RegistryChanged())
}

func TestRegistryMergeNeverLosesAnIndex(t *testing.T) {
	base, err := schema.New(attrs(t, `{"a":"string"}`), schema.Options{Now: fixedNow})
	require.NoError(t, err)
	// Two writers add different attributes from the same base.
	w1, _ := schema.New(attrs(t, `{"a":"string","b":"string"}`), schema.Options{Registry: base.Registry(), Now: fixedNow})
	w2, _ := schema.New(attrs(t, `{"a":"string","c":"string"}`), schema.Options{Registry: base.Registry(), Now: fixedNow})
	local := w2.Registry()
	local.Merge(w1.Registry())
	ib, _ := local.Mapping.Get("b")
	ic, _ := local.Mapping.Get("c")
	assert.Equal(t, 1, ib)
	assert.Equal(t, 1, ic, "both writers handed out index 1; the merge keeps both names")
	assert.Equal(t, 2, local.NextIndex)
}

func TestRegistryJSONRoundTrip(t *testing.T) {
	in := `{"nextIndex":5,"mapping":{"name":0,"age":2,"city":3,"email":4},"burned":[{"index":1,"attribute":"email","burnedAt":"2026-11-25T21:03:50.003Z","reason":"removed"}]}`
	var r schema.Registry
	require.NoError(t, json.Unmarshal([]byte(in), &r))
	out, err := json.Marshal(&r)
	require.NoError(t, err)
	assert.Equal(t, in, string(out), "order is kept")

	require.Error(t, json.Unmarshal([]byte(`{"nextIndex":1,"mapping":{"a":"0"},"burned":[]}`), &r), "string indexes are refused")
}
