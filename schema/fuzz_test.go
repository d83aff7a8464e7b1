package schema_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

const fuzzAttrs = `{"name":"string","n":"number|optional","i":"number|integer|optional","ok":"boolean|optional",
"tags":"array|items:string|optional","nums":"array|items:number|optional","when":"datetime|optional",
"ip":"ip4|optional","price":"money|optional","vec":"embedding:3|optional","extra":"json|optional",
"profile":{"city":"string|optional","zip":"string|optional"},"uid":"uuid|optional","color":"color|optional"}`

func fuzzSchema(tb testing.TB) (*schema.Schema, *schema.Validator) {
	var attrs codec.Ordered
	if err := json.Unmarshal([]byte(fuzzAttrs), &attrs); err != nil {
		tb.Fatal(err)
	}
	s, err := schema.New(attrs, schema.Options{Version: "v1"})
	if err != nil {
		tb.Fatal(err)
	}
	v, err := schema.NewValidator(attrs, schema.ValidatorOptions{AllNestedObjectsOptional: true})
	if err != nil {
		tb.Fatal(err)
	}
	return s, v
}

// FuzzUnmap: whatever an object's stored fields hold (written by anyone), decoding never panics.
func FuzzUnmap(f *testing.F) {
	s, _ := fuzzSchema(f)
	for _, seed := range []string{
		`{"0":"Ada","1":"G.5","2":"-7","3":"1","4":"a\\|b|c","5":"1.5|-2","6":"u0aFbhc"}`,
		`{"7":"wKgBAQ==","8":"$wf","9":"^[q0U,-Q1O,0]","a":"{\"x\":1}","b":"London","d":"0kIf1d4g6oxB30AzXg0mOiNa","e":"18gwM"}`,
		`{"1":"","2":"!!","4":"\\","6":"zzzzzzzzzzzz","9":"^[","a":"[","c":"{}","foo":"[1,2]","metadata_updatedat":"x"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, fieldsJSON string) {
		var raw map[string]any
		if json.Unmarshal([]byte(fieldsJSON), &raw) != nil {
			return
		}
		fields := make(codec.Ordered, 0, len(raw))
		for k, v := range raw {
			fields = append(fields, codec.Member{Name: k, Value: v})
		}
		_ = s.Unmap(fields, nil)
		_ = s.Unmap(fields, map[string]string{"name": "1", "n": "0"})
	})
}

// FuzzRoundTrip: a record the validator accepts comes back unchanged through map, split, S3
// headers, join and unmap, under every behavior that can store it.
func FuzzRoundTrip(f *testing.F) {
	s, v := fuzzSchema(f)
	f.Add("Ada", 42.5, int64(7), true, "a|b", "London", 19.99, "2024-01-02T03:04:05.678Z")
	f.Add("São Paulo ☕", -0.25, int64(-3843), false, "\\|", "", 0.0, "1815-12-10")
	f.Add("null", 1e21, int64(1<<40), true, "", "d:p", 1e-3, "")
	f.Fuzz(func(t *testing.T, name string, n float64, i int64, ok bool, tag, city string, price float64, when string) {
		if !utf8.ValidString(name+tag+city+when) || math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > 1e15 || math.Abs(float64(i)) > 1<<52 {
			return
		}
		rec := map[string]any{"name": name, "n": n, "i": float64(i), "ok": ok, "tags": []any{tag, "x"},
			"profile": map[string]any{"city": city}, "price": math.Abs(price)}
		if when != "" {
			rec["when"] = when
		}
		clean, err := v.Validate(context.Background(), rec)
		if err != nil {
			return // refused input is fine; accepted input must round-trip
		}
		mapped, err := s.Map(clean)
		if err != nil {
			t.Fatalf("map: %v", err)
		}
		for _, name := range []string{behaviors.UserManaged, behaviors.BodyOverflow, behaviors.BodyOnly} {
			b, _ := behaviors.Lookup(name)
			split, err := b.Insert(mapped, behaviors.Config{Version: "v1", MapJSON: s.MapJSON()})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			st := behaviors.Join(split.Headers(), split.Body)
			got := s.Unmap(st.Fields, st.Map)
			want := normalize(clean).(map[string]any)
			// money keeps 2 decimals; numbers and integers keep their stored precision.
			if p, ok := want["price"].(float64); ok {
				want["price"] = math.Round(p*100) / 100
			}
			if w, g := jsonText(want), jsonText(normalize(got)); w != g {
				t.Fatalf("%s: round trip\n got %s\nwant %s", name, g, w)
			}
		}
	})
}

func jsonText(v any) string {
	b, _ := codec.MarshalJS(v)
	return string(b)
}
