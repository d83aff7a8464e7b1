package store_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store"
	"github.com/s3db-go/s3db/store/objstore"
)

// Interop tests: the Go store and the real s3db.js 21.6.2 (testdata/interop/ops.mjs, run through the shared
// runner) share one bucket prefix and must see the same resources, records, counts and partition references.
// Records are compared after a JSON round trip. Where docs/compatibility.md documents that Go reads something
// other than s3db.js's get (§13.2 timeonly NaN, §13.15 body-overflow short keys), Go's documented value is
// expected instead (interopExpectGo).

// interopAttributes is the attribute set of tools/s3dbjs/examples/roundtrip.mjs: every type s3db.js 21.6.2
// can round-trip, nested objects (plain and $$type), a secret and a password.
const interopAttributes = `{
  "name": "string|required", "email": "email|optional", "website": "url|optional", "region": "string|required",
  "count": "number|integer|optional", "score": "number|optional", "active": "boolean|optional",
  "token": "secret|optional", "vec": "embedding:8|optional", "ip": "ip4|optional", "ip6": "ip6|optional",
  "tags": "array|items:string|optional", "nums": "array|items:number|optional",
  "ints": "array|items:number|integer|optional", "extra": "json|optional", "settings": "object|optional",
  "seenAt": "datetime|optional", "birthday": "dateonly|optional", "alarm": "timeonly|optional",
  "uid": "uuid|optional", "mac": "mac|optional", "net": "cidr|optional", "version": "semver|optional",
  "phone": "phone|optional", "color": "color|optional", "wait": "duration|optional", "barcode": "ean|optional",
  "price": "money|optional", "fee": "crypto|optional", "ratio": "decimal:4|optional",
  "lat": "geo:lat|optional", "lon": "geo:lon|optional", "where": "geo:point", "pass": "password|optional",
  "status": {"type": "enum", "values": ["new", "processing", "completed"], "optional": true},
  "currency": "currency|optional", "country": "country|optional", "locale": "locale|optional",
  "schedule": "cron|optional",
  "profile": {"city": "string", "zip": "string|optional"},
  "geo": {"$$type": "object|optional", "lat": "number", "lng": "number"}
}`

// interopPartitions: a plain field, a nested field, two fields (given in the reverse of key order), a boolean
// and a number, a maxlength rule and a date rule on a date-time. No partition name is a prefix of another
// (s3db.js's update cleanup would delete the longer one's references, §13.13).
const interopPartitions = `{
  "byRegion": {"fields": {"region": "string"}},
  "byCity": {"fields": {"profile.city": "string"}},
  "byStatusRegion": {"fields": {"status": "string", "region": "string"}},
  "byActiveScore": {"fields": {"score": "number", "active": "boolean"}},
  "byInitial": {"fields": {"name": "string|maxlength:1"}},
  "bySeenDay": {"fields": {"seenAt": "date|maxlength:10"}}
}`

// The records of roundtrip.mjs (rt1-rt3), one with a time but no date-time (rt4: s3db.js reads its alarm as
// NaN, §13.2, when the resource has no timestamps) and one over the 2 KB metadata limit (big).
var interopRecords = []string{
	`{"id":"rt1","name":"Ada Lovelace","email":"ada@example.com","website":"https://example.com/ada","region":"eu",
	  "count":1000,"score":42.5,"active":true,"token":"hunter2","vec":[0.1,-0.2,0.3,0.4,0.5,0.6,0.7,-0.8],
	  "ip":"192.168.1.10","ip6":"2001:db8::1","tags":["math","a|b","c\\d"],"nums":[1.5,-2,3],"ints":[1,62,3843],
	  "extra":{"x":[1,2],"y":"z"},"settings":{"theme":"dark"},"seenAt":"2024-01-02T03:04:05.678Z",
	  "birthday":"1815-12-10","alarm":"13:45:30.250","uid":"123e4567-e89b-12d3-a456-426614174000",
	  "mac":"aa:bb:cc:dd:ee:ff","net":"10.0.0.0/8","version":"1.2.3","phone":"+5511999998888","color":"#ff8800",
	  "wait":"PT1H30M","barcode":"4006381333931","price":19.99,"fee":0.00012345,"ratio":3.14159,
	  "lat":-23.55052,"lon":-46.633308,"where":{"lat":1.5,"lon":-2.25},"pass":"p4ssw0rd!","status":"processing",
	  "currency":"USD","country":"BR","locale":"pt-BR","schedule":"*/5 * * * *",
	  "profile":{"city":"London","zip":"N1"},"geo":{"lat":51.5,"lng":-0.12}}`,
	`{"id":"rt2","name":"São Paulo café","region":"sa","count":-7,"score":-0.25,"active":false,"tags":[],"nums":[],
	  "ip":"10.0.0.1","ip6":"fe80::1","status":"completed","profile":{"city":"日本語テキスト"},
	  "extra":"plain text in a json field","website":"http://localhost:8080/x","where":{"lat":-90,"lon":180}}`,
	`{"id":"rt3","name":"Grace","region":"eu","where":{"lat":0,"lon":0}}`,
	`{"id":"rt4","name":"Tim","region":"sa","alarm":"07:00:00.000","status":"processing",
	  "profile":{"city":"London"},"where":{"lat":10,"lon":20}}`,
	`{"id":"big","name":"` + strings.Repeat("x", 2500) + `","region":"eu","status":"new",
	  "profile":{"city":"São Paulo/SP"},"where":{"lat":1,"lon":1}}`,
	// Ids and partition values go into keys raw (§1.2, §8.2): spaces, non-ASCII, "+", "%".
	`{"id":"sp ace é+ü","name":"Ünïcode","region":"sa","profile":{"city":"100% a+b"},"where":{"lat":2,"lon":3}}`,
}

// interopResource is one resource of the coverage set.
type interopResource struct {
	name, behavior string
	timestamps     bool
	bigFails       bool // the big record must be refused (enforce-limits), or is left out (truncate-data)
	noPassword     bool // without the password attribute
}

// One resource per behavior. truncate-data gets small records only; enforce-limits has no timestamps, so
// s3db.js's second unmap pass runs on records without a date-time (§13.1/§13.2). s3db.js hashes a missing
// optional password as "undefined" (§13.6), so every insert and update costs a bcrypt at cost 12 (about a
// second on a busy 2-core machine); only one resource declares one.
var interopResources = []interopResource{
	{name: "um", behavior: "user-managed", timestamps: true},
	{name: "bo", behavior: "body-overflow", timestamps: true, noPassword: true},
	{name: "bonly", behavior: "body-only", timestamps: true, noPassword: true},
	{name: "td", behavior: "truncate-data", timestamps: true, bigFails: true, noPassword: true},
	{name: "el", behavior: "enforce-limits", bigFails: true, noPassword: true},
}

// interopQuery is a partition listing both sides run.
type interopQuery struct {
	Partition string         `json:"partition"`
	Values    map[string]any `json:"values"`
}

var interopQueries = []interopQuery{
	{"byRegion", map[string]any{"region": "eu"}},
	{"byRegion", map[string]any{"region": "sa"}},
	{"byCity", map[string]any{"profile.city": "London"}},
	{"byCity", map[string]any{"profile.city": "日本語テキスト"}},
	{"byCity", map[string]any{"profile.city": "Paris"}},
	{"byCity", map[string]any{"profile.city": "São Paulo/SP"}}, // "/" makes an extra key segment (§13.13)
	{"byCity", map[string]any{"profile.city": "100% a+b"}},
	{"byStatusRegion", map[string]any{"status": "processing", "region": "eu"}},
	{"byStatusRegion", map[string]any{"status": "processing", "region": "sa"}},
	{"byStatusRegion", map[string]any{"status": "completed", "region": "sa"}},
	{"byStatusRegion", map[string]any{"region": "eu"}}, // leading field only
	{"byActiveScore", map[string]any{"active": true, "score": 42.5}},
	{"byActiveScore", map[string]any{"active": false, "score": -0.25}},
	{"byInitial", map[string]any{"name": "Grace"}}, // the rule cuts the value: G
	{"byInitial", map[string]any{"name": "Ü"}},
	{"bySeenDay", map[string]any{"seenAt": "2024-01-02T03:04:05.678Z"}},
}

// TestInteropJSWritesGoReads: s3db.js creates every resource and inserts the records; Go lists the same
// resources and reads the same records, ids, counts and partition listings.
func TestInteropJSWritesGoReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "js-writes")

	var ops []map[string]any
	for _, res := range interopResources {
		ops = append(ops, interopCreateOp(t, res))
		for _, rec := range interopRecordsFor(t, res, true) {
			ops = append(ops, map[string]any{"op": "insert", "resource": res.name, "record": rec})
		}
	}
	reads := interopReadOps()
	js := interopRunJS(t, ctx, conn, append(ops, reads...))

	inserted := map[string]bool{}
	for i, op := range ops {
		if op["op"] != "insert" {
			continue
		}
		rec := interopRecord(t, op["record"].(json.RawMessage))
		big := rec["id"] == "big"
		res := interopResourceNamed(op["resource"].(string))
		if big && res.bigFails {
			assert.False(t, js[i].OK, "s3db.js must refuse the big record in %s", res.name)
			continue
		}
		require.True(t, js[i].OK, "s3db.js insert %s into %s: %s", rec["id"], res.name, js[i].Error)
		inserted[res.name+"/"+rec["id"].(string)] = true
	}

	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	names := make([]string, 0, len(interopResources))
	for _, res := range interopResources {
		names = append(names, res.name)
	}
	slices.Sort(names)
	assert.Equal(t, names, db.Resources())
	interopCompareAll(t, ctx, db, js[len(ops):], inserted)

	// Declaring the same definitions in Go (as an app does at start-up) finds the same hash: no new version.
	before := interopMetaFile(t, ctx, db)
	for _, res := range interopResources {
		r, err := db.CreateResource(ctx, interopDefinition(t, res))
		require.NoError(t, err)
		assert.Equal(t, "v1", r.Version(), "%s: Go's definition hash equals s3db.js's", res.name)
	}
	after := interopMetaFile(t, ctx, db)
	assert.Equal(t, before, after, "s3db.json is unchanged")
}

// TestInteropGoWritesJSReads: Go creates every resource and inserts the records; s3db.js reads what Go's Get
// returns, and the same ids, counts and partition listings.
func TestInteropGoWritesJSReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "go-writes")
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	inserted := map[string]bool{}
	for _, res := range interopResources {
		r, err := db.CreateResource(ctx, interopDefinition(t, res))
		require.NoError(t, err)
		for _, raw := range interopRecordsFor(t, res, true) {
			rec := interopRecord(t, raw)
			_, err := r.Insert(ctx, rec)
			if rec["id"] == "big" && res.bigFails {
				require.ErrorIs(t, err, store.ErrMetadataLimit, "Go must refuse the big record in %s", res.name)
				continue
			}
			require.NoError(t, err, "insert %s into %s", rec["id"], res.name)
			inserted[res.name+"/"+rec["id"].(string)] = true
		}
	}

	// s3db.js declares the same definitions first (as an app does at start-up): same hash, nothing written.
	before := interopMetaFile(t, ctx, db)
	var ops []map[string]any
	for _, res := range interopResources {
		ops = append(ops, interopCreateOp(t, res))
	}
	ops = append(ops, map[string]any{"op": "resources"})
	js := interopRunJS(t, ctx, conn, append(ops, interopReadOps()...))
	for i := range ops {
		require.True(t, js[i].OK, "s3db.js %s: %s", ops[i]["op"], js[i].Error)
	}
	var names []string
	require.NoError(t, json.Unmarshal(js[len(ops)-1].Result, &names))
	assert.Equal(t, db.Resources(), names, "s3db.js sees Go's resources in s3db.json")
	assert.Equal(t, before, interopMetaFile(t, ctx, db), "s3db.js's createResource found Go's hash: s3db.json unchanged")
	interopCompareAll(t, ctx, db, js[len(ops):], inserted)
}

// TestInteropCrossUpdates: s3db.js updates and deletes records Go wrote, Go updates and deletes records
// s3db.js wrote (moving records between partition values), and both sides then agree on every record and
// every partition listing.
func TestInteropCrossUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "cross")
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	// s3db.js's move leaves the secret alone (it must keep Go's ciphertext); Go's move rotates it.
	jsMove := map[string]any{"region": "sa", "profile": map[string]any{"city": "Paris"}, "status": "completed", "count": 5}
	goMove := map[string]any{"region": "sa", "profile": map[string]any{"city": "Paris"}, "status": "completed", "count": 5,
		"token": "rotated"}
	rename := map[string]any{"name": "Grace Hopper"}

	// Go inserts g*; s3db.js inserts j*, moves grt1, renames grt3, deletes grt2 and changes gbig (a record
	// stored in the body) in body-only. s3db.js cannot update gbig elsewhere, nor a big record of its own:
	// user-managed writes every field to metadata (§13.12), and body-overflow validates what its get returns,
	// where the overflowed name sits under its short key (§13.15), so "name is required".
	var ops []map[string]any
	hasBig := map[string]bool{}
	for _, res := range interopResources {
		r, err := db.CreateResource(ctx, interopDefinition(t, res))
		require.NoError(t, err)
		for _, raw := range interopRecordsFor(t, res, !res.bigFails) {
			rec := interopRecord(t, raw)
			if rec["id"] != "rt1" && rec["id"] != "rt2" && rec["id"] != "rt3" && rec["id"] != "big" {
				continue
			}
			hasBig[res.name] = hasBig[res.name] || rec["id"] == "big"
			ops = append(ops, map[string]any{"op": "insert", "resource": res.name, "record": interopWithID(rec, "j")})
			_, err := r.Insert(ctx, interopWithID(rec, "g"))
			require.NoError(t, err)
		}
		ops = append(ops,
			map[string]any{"op": "update", "resource": res.name, "id": "grt1", "patch": jsMove},
			map[string]any{"op": "update", "resource": res.name, "id": "grt3", "patch": rename},
			map[string]any{"op": "delete", "resource": res.name, "id": "grt2"},
		)
		if hasBig[res.name] && res.behavior == "body-only" {
			ops = append(ops, map[string]any{"op": "update", "resource": res.name, "id": "gbig", "patch": map[string]any{"status": "processing"}})
		}
	}
	reads := interopReadOps()
	js := interopRunJS(t, ctx, conn, append(ops, reads...))
	for i, op := range ops {
		require.True(t, js[i].OK, "s3db.js %s %v in %s: %s", op["op"], op["id"], op["resource"], js[i].Error)
	}
	// Go reads what s3db.js wrote, updated and deleted.
	interopCompareAll(t, ctx, db, js[len(ops):], nil)

	// Go moves jrt1, renames jrt3 (by upsert), deletes jrt2, changes jbig, and updates grt1 again (a record
	// s3db.js's update wrote).
	rt3 := interopRecord(t, interopRecords[2])
	for _, res := range interopResources {
		r, err := db.Resource(res.name)
		require.NoError(t, err)
		_, err = r.Update(ctx, "jrt1", goMove)
		require.NoError(t, err, "Go update jrt1 in %s", res.name)
		upsert := interopWithID(rt3, "j")
		maps.Copy(upsert, rename)
		_, err = r.Upsert(ctx, upsert)
		require.NoError(t, err, "Go upsert jrt3 in %s", res.name)
		if hasBig[res.name] {
			_, err = r.Update(ctx, "jbig", map[string]any{"status": "processing"})
			require.NoError(t, err, "Go update jbig in %s", res.name)
		}
		_, err = r.Delete(ctx, "jrt2")
		require.NoError(t, err, "Go delete jrt2 in %s", res.name)
		_, err = r.Update(ctx, "grt1", map[string]any{"count": 6, "profile.zip": "75001"})
		require.NoError(t, err, "Go update grt1 in %s", res.name)
	}
	js = interopRunJS(t, ctx, conn, reads)
	interopCompareAll(t, ctx, db, js, nil)

	// Both sides agree; check that they agree on the right thing.
	for _, res := range interopResources {
		r, err := db.Resource(res.name)
		require.NoError(t, err)
		ids, err := r.ListIDs(ctx, 0)
		require.NoError(t, err)
		want := []string{"grt1", "grt3", "jrt1", "jrt3"}
		if hasBig[res.name] {
			want = []string{"gbig", "grt1", "grt3", "jbig", "jrt1", "jrt3"} // key order
		}
		assert.Equal(t, want, ids, res.name)
		if hasBig[res.name] {
			status := map[bool]string{true: "processing", false: "new"}
			for _, id := range []string{"gbig", "jbig"} {
				rec, err := r.Get(ctx, id)
				require.NoError(t, err)
				assert.Equal(t, status[id == "jbig" || res.behavior == "body-only"], rec["status"], "%s %s", res.name, id)
				assert.Equal(t, strings.Repeat("x", 2500), rec["name"], "%s %s", res.name, id)
			}
		}
		for id, token := range map[string]string{"grt1": "hunter2", "jrt1": "rotated"} {
			rec, err := r.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, "sa", rec["region"], "%s %s", res.name, id)
			assert.Equal(t, "completed", rec["status"], "%s %s", res.name, id)
			assert.Equal(t, token, rec["token"], "%s %s: the secret", res.name, id)
		}
		g1, _ := r.Get(ctx, "grt1")
		assert.Equal(t, map[string]any{"city": "Paris", "zip": "75001"}, g1["profile"], res.name)
		assert.Equal(t, 6.0, g1["count"], res.name)
		j1, _ := r.Get(ctx, "jrt1")
		assert.Equal(t, map[string]any{"city": "Paris", "zip": "N1"}, j1["profile"], "%s: objects merge one level deep", res.name)
		assert.Equal(t, 5.0, j1["count"], res.name)
		for _, id := range []string{"grt3", "jrt3"} {
			rec, _ := r.Get(ctx, id)
			assert.Equal(t, "Grace Hopper", rec["name"], "%s %s", res.name, id)
		}
		regions := map[string][]string{"eu": {"grt3", "jrt3"}, "sa": {"grt1", "jrt1"}}
		if hasBig[res.name] {
			regions["eu"] = append(regions["eu"], "gbig", "jbig")
		}
		for region, ids := range regions {
			got, err := r.ListIDsByPartition(ctx, "byRegion", map[string]any{"region": region})
			require.NoError(t, err)
			assert.ElementsMatch(t, ids, got, "%s byRegion %s", res.name, region)
		}
		got, _ := r.ListIDsByPartition(ctx, "byCity", map[string]any{"profile.city": "London"})
		assert.Empty(t, got, "%s: nobody is left in London", res.name)
		got, _ = r.ListIDsByPartition(ctx, "byStatusRegion", map[string]any{"status": "completed", "region": "sa"})
		assert.ElementsMatch(t, []string{"grt1", "jrt1"}, got, res.name)
	}
}

// TestInteropConcurrentCreateResource: Go and s3db.js create different resources at the same instant; all of
// them end up in s3db.json and each side can write and read the other's.
func TestInteropConcurrentCreateResource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "concurrent")
	attrs := json.RawMessage(`{"name":"string","n":"number|integer|optional"}`)
	at := time.Now().Add(3 * time.Second)
	jsNames := []string{"js1", "js2", "js3"}
	goNames := []string{"go1", "go2", "go3"}

	ops := []map[string]any{{"op": "waitUntil", "at": at.UnixMilli()}}
	for _, n := range jsNames {
		ops = append(ops, map[string]any{"op": "create", "name": n, "attributes": attrs})
	}
	ops = append(ops, map[string]any{"op": "waitUntil", "at": at.Add(2 * time.Second).UnixMilli()},
		map[string]any{"op": "reconnect"})
	for _, n := range append(slices.Clone(jsNames), goNames...) {
		ops = append(ops, map[string]any{"op": "insert", "resource": n, "record": map[string]any{"id": "from-js", "name": "js " + n, "n": 1}})
	}
	ops = append(ops, map[string]any{"op": "resources"})

	var (
		js    []interopResult
		jsErr error
		wg    sync.WaitGroup
	)
	run := interopRunner(t)
	wg.Add(1)
	go func() {
		defer wg.Done()
		js, jsErr = run(ctx, conn, ops)
	}()
	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	time.Sleep(time.Until(at))
	errs := make([]error, len(goNames))
	goTimes := make([][2]time.Duration, len(goNames))
	var gw sync.WaitGroup
	for i, n := range goNames {
		gw.Add(1)
		go func() {
			defer gw.Done()
			start := time.Now()
			_, errs[i] = db.CreateResource(ctx, store.Definition{Name: n, Attributes: interopOrdered(t, string(attrs))})
			goTimes[i] = [2]time.Duration{start.Sub(at), time.Since(at)}
		}()
	}
	gw.Wait()
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "Go create %s", goNames[i])
	}
	require.NoError(t, jsErr)
	for i, op := range ops {
		require.True(t, js[i].OK, "s3db.js %s %v%v: %s", op["op"], op["name"], op["resource"], js[i].Error)
	}
	jsDone := time.Duration(0)
	for i := range jsNames {
		jsDone += time.Duration(js[1+i].MS) * time.Millisecond
		t.Logf("s3db.js created %s by +%v", jsNames[i], jsDone)
	}
	for i, n := range goNames {
		t.Logf("Go created %s from +%v to +%v", n, goTimes[i][0], goTimes[i][1])
	}
	all := append(slices.Clone(goNames), jsNames...)
	slices.Sort(all)
	var jsSees []string
	require.NoError(t, json.Unmarshal(js[len(js)-1].Result, &jsSees))
	assert.Equal(t, all, jsSees, "s3db.js sees every resource")

	obj, err := db.Objects().Get(ctx, "s3db.json")
	require.NoError(t, err)
	var meta struct {
		Resources map[string]struct {
			CurrentVersion string         `json:"currentVersion"`
			SchemaRegistry map[string]any `json:"schemaRegistry"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(obj.Body, &meta))
	for _, n := range all {
		assert.Equal(t, "v1", meta.Resources[n].CurrentVersion, "s3db.json holds %s", n)
		assert.NotEmpty(t, meta.Resources[n].SchemaRegistry, "s3db.json holds the registry of %s", n)
	}

	require.NoError(t, db.Reload(ctx))
	assert.Equal(t, all, db.Resources())
	for _, n := range all {
		r, err := db.Resource(n)
		require.NoError(t, err)
		_, err = r.Insert(ctx, map[string]any{"id": "from-go", "name": "go " + n, "n": 2})
		require.NoError(t, err)
		rec, err := r.Get(ctx, "from-js")
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"id": "from-js", "name": "js " + n, "n": 1.0}, rec)
	}
	js = interopRunJS(t, ctx, conn, func() []map[string]any {
		var ops []map[string]any
		for _, n := range all {
			ops = append(ops, map[string]any{"op": "getAll", "resource": n})
		}
		return ops
	}())
	for i, n := range all {
		require.True(t, js[i].OK, js[i].Error)
		var got map[string]map[string]any
		require.NoError(t, json.Unmarshal(js[i].Result, &got))
		assert.Equal(t, map[string]map[string]any{
			"from-go": {"id": "from-go", "name": "go " + n, "n": 2.0},
			"from-js": {"id": "from-js", "name": "js " + n, "n": 1.0},
		}, got, n)
	}
}

// TestInteropSchemaChange: s3db.js creates a resource and writes a record; Go changes the definition (one
// attribute removed, one added: version v2, registry indexes kept and burned); s3db.js reads both versions'
// records and writes one of v2; both sides read the same records.
func TestInteropSchemaChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := testenv.S3(t).ConnectionString(testenv.NewBucket(t), "schema")
	v1 := `{"name":"string","email":"string|optional","age":"number|integer|optional"}`
	v2 := `{"name":"string","age":"number|integer|optional","city":"string|optional"}`
	js := interopRunJS(t, ctx, conn, []map[string]any{
		{"op": "create", "name": "people", "attributes": json.RawMessage(v1)},
		{"op": "insert", "resource": "people", "record": map[string]any{"id": "p1", "name": "Ada", "email": "ada@example.com", "age": 36}},
	})
	require.True(t, js[1].OK, js[1].Error)

	db, err := store.Open(ctx, conn, store.Options{})
	require.NoError(t, err)
	r, err := db.CreateResource(ctx, store.Definition{Name: "people", Attributes: interopOrdered(t, v2)})
	require.NoError(t, err)
	assert.Equal(t, "v2", r.Version())
	_, err = r.Insert(ctx, map[string]any{"id": "p2", "name": "Bob", "age": 40, "city": "Rio"})
	require.NoError(t, err)

	js = interopRunJS(t, ctx, conn, []map[string]any{
		{"op": "insert", "resource": "people", "record": map[string]any{"id": "p3", "name": "Cy", "age": 7, "city": "Oslo"}},
		{"op": "getAll", "resource": "people"},
	})
	require.True(t, js[0].OK, js[0].Error)
	require.True(t, js[1].OK, js[1].Error)
	var all map[string]map[string]any
	require.NoError(t, json.Unmarshal(js[1].Result, &all))
	require.Len(t, all, 3)
	for id, jsRec := range all {
		rec, err := r.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, interopNormalize(t, jsRec), interopNormalize(t, rec), id)
	}
	p3, err := r.Get(ctx, "p3")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": "p3", "name": "Cy", "age": 7.0, "city": "Oslo"}, p3, "s3db.js writes v2 keys Go reads")
	p2 := all["p2"]
	assert.Equal(t, map[string]any{"id": "p2", "name": "Bob", "age": 40.0, "city": "Rio"}, p2, "s3db.js reads Go's v2 record")
	t.Logf("p1 (written with v1, email since removed): s3db.js %v", all["p1"])
}

// interopReadOps lists, per resource: getAll, count, listIds, then count and listIds per partition query
// (interopQueriesFor).
func interopReadOps() []map[string]any {
	var ops []map[string]any
	for _, res := range interopResources {
		ops = append(ops,
			map[string]any{"op": "getAll", "resource": res.name},
			map[string]any{"op": "count", "resource": res.name},
			map[string]any{"op": "listIds", "resource": res.name})
		for _, q := range interopQueriesFor(res) {
			ops = append(ops,
				map[string]any{"op": "count", "resource": res.name, "partition": q.Partition, "values": q.Values},
				map[string]any{"op": "listIds", "resource": res.name, "partition": q.Partition, "values": q.Values})
		}
	}
	return ops
}

func interopQueriesFor(res interopResource) []interopQuery {
	qs := slices.Clone(interopQueries)
	if res.timestamps {
		today := time.Now().UTC().Format(time.DateOnly)
		qs = append(qs, interopQuery{"byCreatedDate", map[string]any{"createdAt": today}},
			interopQuery{"byUpdatedDate", map[string]any{"updatedAt": today}})
	}
	return qs
}

// interopCompareAll checks the results of interopReadOps (run by s3db.js) against Go: every record s3db.js
// read equals Go's Get (documented differences applied), the id lists and counts are equal, and so are the
// partition listings. inserted, when given, must be exactly the set of records.
func interopCompareAll(t *testing.T, ctx context.Context, db *store.Database, js []interopResult, inserted map[string]bool) {
	t.Helper()
	mappings := interopMappings(t, ctx, db)
	inputs := map[string]map[string]any{}
	for _, raw := range interopRecords {
		rec := interopRecord(t, raw)
		for _, p := range []string{"", "g", "j"} {
			inputs[p+rec["id"].(string)] = rec
		}
	}
	next := func(op string) interopResult {
		t.Helper()
		require.NotEmpty(t, js, "missing s3db.js result for %s", op)
		r := js[0]
		js = js[1:]
		require.Equal(t, op, r.Op)
		require.True(t, r.OK, "s3db.js %s: %s", op, r.Error)
		return r
	}
	for _, res := range interopResources {
		r, err := db.Resource(res.name)
		require.NoError(t, err)
		var all map[string]map[string]any
		require.NoError(t, json.Unmarshal(next("getAll").Result, &all))
		var count int
		require.NoError(t, json.Unmarshal(next("count").Result, &count))
		var jsIDs []string
		require.NoError(t, json.Unmarshal(next("listIds").Result, &jsIDs))

		goIDs, err := r.ListIDs(ctx, 0)
		require.NoError(t, err)
		assert.Equal(t, goIDs, jsIDs, "%s: ids", res.name)
		n, err := r.Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, n, count, "%s: count", res.name)
		if inserted != nil {
			var want []string
			for k := range inserted {
				if name, id, _ := strings.Cut(k, "/"); name == res.name {
					want = append(want, id)
				}
			}
			assert.ElementsMatch(t, want, goIDs, "%s: the inserted records", res.name)
		}
		listed, err := r.List(ctx, 0)
		require.NoError(t, err)
		require.Len(t, listed, len(goIDs), "%s: List", res.name)
		for i, id := range goIDs {
			assert.Equal(t, id, listed[i]["id"], "%s: List order", res.name)
			rec, err := r.Get(ctx, id)
			require.NoError(t, err, "%s: Go get %s", res.name, id)
			interopAssertListedAsGot(t, rec, listed[i])
		}
		interopCheckReferences(t, ctx, db, r, listed)
		for _, id := range goIDs {
			rec, err := r.Get(ctx, id)
			require.NoError(t, err, "%s: Go get %s", res.name, id)
			jsRec, ok := all[id]
			if !assert.True(t, ok, "%s: s3db.js read no %s", res.name, id) {
				continue
			}
			want := interopExpectGo(t, res, mappings[res.name], jsRec, inputs[id])
			assert.Equal(t, want, interopNormalize(t, rec), "%s %s: Go's Get vs s3db.js's get", res.name, id)
		}
		for _, q := range interopQueriesFor(res) {
			if inserted != nil {
				// Records are unchanged since insert: the listing follows from the inputs.
				got, err := r.ListIDsByPartition(ctx, q.Partition, q.Values)
				require.NoError(t, err)
				assert.ElementsMatch(t, interopExpectedIDs(q, res.name, inserted, inputs), got, "%s %s %v: Go's listing of the inputs", res.name, q.Partition, q.Values)
			}
			var jsCount int
			require.NoError(t, json.Unmarshal(next("count").Result, &jsCount))
			var jsPart []string
			require.NoError(t, json.Unmarshal(next("listIds").Result, &jsPart))
			got, err := r.ListIDsByPartition(ctx, q.Partition, q.Values)
			require.NoError(t, err)
			assert.ElementsMatch(t, jsPart, got, "%s %s %v: listIds", res.name, q.Partition, q.Values)
			assert.Equal(t, jsCount, len(got), "%s %s %v: count", res.name, q.Partition, q.Values)
		}
	}
	assert.Empty(t, js, "unread s3db.js results")
}

// interopCheckReferences checks the partition references under resource=<r>/partition= against the records
// (whoever wrote them): at most one reference per partition and record, none for records that are gone, and
// each record found by a listing of its own current values in every partition whose fields it has.
func interopCheckReferences(t *testing.T, ctx context.Context, db *store.Database, r *store.Resource, recs []store.Record) {
	t.Helper()
	live := map[string]store.Record{}
	for _, rec := range recs {
		live[rec["id"].(string)] = rec
	}
	seen := map[string]string{} // partition + "\x00" + id → key
	prefix := "resource=" + r.Name() + "/partition="
	token := ""
	for {
		page, err := db.Objects().List(ctx, objstore.ListOptions{Prefix: prefix, ContinuationToken: token})
		require.NoError(t, err)
		for _, k := range page.Keys {
			rest := strings.TrimPrefix(k.Key, prefix)
			partition, _, _ := strings.Cut(rest, "/")
			id := rest[strings.LastIndex(rest, "/id=")+len("/id="):]
			_, ok := live[id]
			assert.True(t, ok, "%s: reference %s of a record that is gone", r.Name(), k.Key)
			if prev, dup := seen[partition+"\x00"+id]; dup {
				assert.Fail(t, "two references", "%s: %s and %s", r.Name(), prev, k.Key)
			}
			seen[partition+"\x00"+id] = k.Key
		}
		if !page.Truncated {
			break
		}
		token = page.NextToken
	}
	for id, rec := range live {
		for _, m := range r.Definition().Partitions {
			fields := m.Value.(codec.Ordered)
			fv, _ := fields.Get("fields")
			values := map[string]any{}
			for _, f := range fv.(codec.Ordered) {
				if v, ok := interopValueAt(rec, f.Name); ok && v != nil {
					values[f.Name] = v
				}
			}
			if len(values) < len(fv.(codec.Ordered)) {
				continue
			}
			ids, err := r.ListIDsByPartition(ctx, m.Name, values)
			require.NoError(t, err)
			assert.Contains(t, ids, id, "%s: %s lists %s under its current values %v", r.Name(), m.Name, id, values)
		}
	}
}

// interopAssertListedAsGot checks that List returns what Get returns.
func interopAssertListedAsGot(t *testing.T, got, listed map[string]any) {
	t.Helper()
	assert.Equal(t, interopNormalize(t, got), interopNormalize(t, listed), "List vs Get of %v", got["id"])
}

// interopPartitionFields are the fields of each partition (createdAt/updatedAt are always set).
var interopPartitionFields = map[string][]string{
	"byRegion": {"region"}, "byCity": {"profile.city"}, "byStatusRegion": {"status", "region"},
	"byActiveScore": {"score", "active"}, "byInitial": {"name"}, "bySeenDay": {"seenAt"},
	"byCreatedDate": nil, "byUpdatedDate": nil,
}

// interopRule applies the partition rules of interopPartitions that change values (maxlength:1 on name,
// date on seenAt; the inputs are ASCII-safe for a rune cut and ISO for the date).
func interopRule(field string, v any) any {
	s, ok := v.(string)
	switch {
	case ok && field == "name":
		return string([]rune(s)[:1])
	case ok && field == "seenAt":
		return s[:10]
	}
	return v
}

// interopExpectedIDs lists the inserted records of a resource that have every field of the partition and
// the queried values.
func interopExpectedIDs(q interopQuery, resource string, inserted map[string]bool, inputs map[string]map[string]any) []string {
	ids := []string{}
next:
	for k := range inserted {
		name, id, _ := strings.Cut(k, "/")
		if name != resource {
			continue
		}
		rec := inputs[id]
		for _, f := range interopPartitionFields[q.Partition] {
			v, ok := interopValueAt(rec, f)
			if !ok || v == nil {
				continue next
			}
			if want, asked := q.Values[f]; asked && interopRule(f, v) != interopRule(f, want) {
				continue next
			}
		}
		ids = append(ids, id)
	}
	return ids
}

func interopValueAt(rec map[string]any, dotted string) (any, bool) {
	var cur any = rec
	for _, p := range strings.Split(dotted, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// interopExpectGo turns a record as s3db.js's get returned it into what Go documents it returns
// (docs/compatibility.md), logging every difference it applies.
func interopExpectGo(t *testing.T, res interopResource, keyToAttr map[string]string, jsRec, input map[string]any) any {
	t.Helper()
	want := interopNormalize(t, jsRec).(map[string]any)
	// §9.3: s3db.js's update writes metadata.updatedAt (and the unmapped metadata_updatedat); Go drops both
	// unless the schema declares "metadata".
	if _, declared := interopAttributesFor(t, res).Get("metadata"); !declared {
		for _, k := range []string{"metadata", "metadata_updatedat"} {
			if _, ok := want[k]; ok {
				t.Logf("%s %v: §9.3 s3db.js reads the update artifact %s, Go drops it", res.name, want["id"], k)
				delete(want, k)
			}
		}
	}
	keys := slices.Sorted(maps.Keys(want))
	for _, k := range keys {
		v := want[k]
		// §13.2: timeonly read as NaN by s3db.js's second unmap pass; Go decodes the stored time.
		if v == "NaN:NaN:NaN.NaN" && input != nil {
			t.Logf("%s %v: §13.2 s3db.js reads %s as NaN, Go as %v", res.name, want["id"], k, input[k])
			want[k] = input[k]
			continue
		}
		// §13.15: body-overflow + date-time: fields that went to the body come back under their short keys.
		if attr, ok := keyToAttr[k]; ok && res.behavior == "body-overflow" {
			if _, declared := want[attr]; !declared {
				t.Logf("%s %v: §13.15 s3db.js reads %s under its key %q", res.name, want["id"], attr, k)
				delete(want, k)
				interopSetPath(want, attr, v)
			}
		}
	}
	return want
}

func interopSetPath(m map[string]any, dotted string, v any) {
	parts := strings.Split(dotted, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// interopMetaFile is s3db.json without its lastUpdated time.
func interopMetaFile(t *testing.T, ctx context.Context, db *store.Database) map[string]any {
	t.Helper()
	obj, err := db.Objects().Get(ctx, "s3db.json")
	require.NoError(t, err)
	var meta map[string]any
	require.NoError(t, json.Unmarshal(obj.Body, &meta))
	delete(meta, "lastUpdated")
	return meta
}

// interopMappings reads s3db.json's schema registries: resource → metadata key → attribute path.
func interopMappings(t *testing.T, ctx context.Context, db *store.Database) map[string]map[string]string {
	t.Helper()
	obj, err := db.Objects().Get(ctx, "s3db.json")
	require.NoError(t, err)
	var meta struct {
		Resources map[string]struct {
			SchemaRegistry struct {
				Mapping map[string]int64 `json:"mapping"`
			} `json:"schemaRegistry"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(obj.Body, &meta))
	out := map[string]map[string]string{}
	for name, rm := range meta.Resources {
		out[name] = map[string]string{}
		for attr, idx := range rm.SchemaRegistry.Mapping {
			out[name][strconv.FormatInt(idx, 36)] = attr
		}
	}
	return out
}

// interopResult is one line of ops.mjs output.
type interopResult struct {
	I      int             `json:"i"`
	Op     string          `json:"op"`
	OK     bool            `json:"ok"`
	MS     int             `json:"ms"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

func interopRunJS(t *testing.T, ctx context.Context, conn string, ops []map[string]any) []interopResult {
	t.Helper()
	res, err := interopRunner(t)(ctx, conn, ops)
	require.NoError(t, err)
	interopLogSlow(t, res)
	return res
}

// interopLogSlow logs the s3db.js operations that took over a second (the runtime budget is tight).
func interopLogSlow(t *testing.T, res []interopResult) {
	t.Helper()
	for _, r := range res {
		if r.MS > 1000 {
			t.Logf("s3db.js op %d (%s) took %d ms", r.I, r.Op, r.MS)
		}
	}
}

// interopRunner returns a function that runs ops.mjs on ops and returns one result per op; it touches no
// testing.T, so it can run on another goroutine.
func interopRunner(t *testing.T) func(ctx context.Context, conn string, ops []map[string]any) ([]interopResult, error) {
	t.Helper()
	js := testenv.S3DBJS(t)
	dir := t.TempDir()
	script, err := filepath.Abs(filepath.Join("testdata", "interop", "ops.mjs"))
	require.NoError(t, err)
	return func(ctx context.Context, conn string, ops []map[string]any) ([]interopResult, error) {
		b, err := json.Marshal(ops)
		if err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(dir, "ops-*.json")
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(b); err != nil {
			return nil, errors.Join(err, f.Close())
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		// Generous: a run takes 2-15 s, but bcrypt and PBKDF2 make it CPU-bound on a loaded machine.
		ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		out, err := js.Run(ctx, script, map[string]string{"S3DB_CONNECTION": conn}, f.Name())
		if err != nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			last := lines[len(lines)-1]
			if len(last) > 300 {
				last = last[:300] + "…"
			}
			next := "?"
			if len(lines) < len(ops) && len(out) > 0 {
				b, _ := json.Marshal(ops[len(lines)])
				next = string(b[:min(len(b), 300)])
			} else if len(out) == 0 {
				b, _ := json.Marshal(ops[0])
				next = string(b[:min(len(b), 300)])
			}
			return nil, fmt.Errorf("%w\n%d of %d ops done; last output: %s\nnext op: %s", err, len(lines), len(ops), last, next)
		}
		var results []interopResult
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var r interopResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				return nil, fmt.Errorf("ops.mjs output line %q: %w", sc.Text(), err)
			}
			results = append(results, r)
		}
		if len(results) != len(ops) {
			return results, fmt.Errorf("ops.mjs printed %d results for %d ops:\n%s", len(results), len(ops), out)
		}
		return results, nil
	}
}

func interopCreateOp(t *testing.T, res interopResource) map[string]any {
	t.Helper()
	attrs, err := json.Marshal(interopAttributesFor(t, res))
	require.NoError(t, err)
	return map[string]any{"op": "create", "name": res.name, "behavior": res.behavior, "timestamps": res.timestamps,
		"attributes": json.RawMessage(attrs), "partitions": json.RawMessage(interopPartitions)}
}

func interopDefinition(t *testing.T, res interopResource) store.Definition {
	t.Helper()
	return store.Definition{Name: res.name, Behavior: res.behavior, Timestamps: res.timestamps,
		Attributes: interopAttributesFor(t, res), Partitions: interopOrdered(t, interopPartitions)}
}

func interopAttributesFor(t *testing.T, res interopResource) codec.Ordered {
	t.Helper()
	return interopWithout(interopOrdered(t, interopAttributes), res.noPassword, "pass")
}

func interopWithout(o codec.Ordered, drop bool, name string) codec.Ordered {
	if !drop {
		return o
	}
	return slices.DeleteFunc(o, func(m codec.Member) bool { return m.Name == name })
}

// interopRecordsFor is the record set of a resource (JSON objects in input order): truncate-data only gets
// records that fit; without withBig the big one is left out everywhere.
func interopRecordsFor(t *testing.T, res interopResource, withBig bool) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	for _, raw := range interopRecords {
		isBig := strings.HasPrefix(raw, `{"id":"big"`)
		if isBig && (!withBig || res.behavior == "truncate-data") {
			continue
		}
		b, err := json.Marshal(interopWithout(interopOrdered(t, raw), res.noPassword, "pass"))
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

func interopResourceNamed(name string) interopResource {
	for _, r := range interopResources {
		if r.name == name {
			return r
		}
	}
	return interopResource{}
}

func interopRecord[T string | json.RawMessage](t *testing.T, raw T) map[string]any {
	t.Helper()
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &rec))
	return rec
}

func interopWithID(rec map[string]any, prefix string) map[string]any {
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	out["id"] = prefix + rec["id"].(string)
	return out
}

func interopOrdered(t *testing.T, js string) codec.Ordered {
	t.Helper()
	var o codec.Ordered
	require.NoError(t, json.Unmarshal([]byte(js), &o))
	return o
}

// interopNormalize is v after a JSON round trip (numbers float64, objects map[string]any).
func interopNormalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
