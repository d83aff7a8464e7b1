package behaviors_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
)

// FuzzJoin: any headers and body an S3 object can carry are read without panicking, and system
// names never leak into the fields.
func FuzzJoin(f *testing.F) {
	f.Add(`{"_v":"v1","0":"Ada","_overflow":"true"}`, `{"1":"x"}`)
	f.Add(`{"_v":"v1","_map":"{\"a\":\"0\"}"}`, `{"0":"hello","_v":"v1"}`)
	f.Add(`{"0":"b:!!!","1":"u:%E0%A4%A","2":"d:@zzz"}`, "\x89PNG")
	f.Add(`{"_map":"not json","_truncated":"true"}`, `[1,2]`)
	f.Fuzz(func(t *testing.T, headersJSON, body string) {
		var headers map[string]string
		if json.Unmarshal([]byte(headersJSON), &headers) != nil {
			return
		}
		st := behaviors.Join(headers, []byte(body))
		for _, m := range st.Fields {
			if strings.HasPrefix(m.Name, "_") {
				t.Fatalf("system field %q leaked", m.Name)
			}
		}
	})
}

// FuzzSplitJoin: whatever the values, every behavior either refuses the record with a
// MetadataLimitError or writes headers S3 accepts, and reading them back gives every field
// (truncate-data: a prefix of it).
func FuzzSplitJoin(f *testing.F) {
	f.Add("Ada", "café", strings.Repeat("x", 3000), "processing", uint8(0))
	f.Add("null", "b:hello", strings.Repeat("日本", 900), "", uint8(1))
	f.Add("", "\x00\x01", strings.Repeat("é", 1000), "https://example.com/a", uint8(2))
	f.Fuzz(func(t *testing.T, a, b, c, d string, which uint8) {
		// Record text is valid UTF-8 (it comes from JSON); invalid bytes are written as U+FFFD,
		// as JavaScript strings would hold them.
		for _, s := range []string{a, b, c, d} {
			if !utf8.ValidString(s) {
				return
			}
		}
		names := behaviors.Names()
		name := names[int(which)%len(names)]
		beh, err := behaviors.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]string{"0": a, "1": b, "2": c, "a": d}
		mapped := codec.Ordered{{Name: "_v", Value: "v1"}}
		for _, k := range []string{"0", "1", "2", "a"} {
			mapped = append(mapped, codec.Member{Name: k, Value: in[k]})
		}
		s, err := beh.Insert(mapped, behaviors.Config{Version: "v1", MapJSON: `{"p":"0","q":"1","r":"2","s":"a"}`})
		if err != nil {
			if !strings.Contains(err.Error(), "exceeds") {
				t.Fatalf("%s: unexpected error %v", name, err)
			}
			return
		}
		h := s.Headers()
		if n := behaviors.HeaderSize(h); n > 2048 {
			t.Fatalf("%s: headers of %d bytes", name, n)
		}
		st := behaviors.Join(h, s.Body)
		got := map[string]any{}
		for _, m := range st.Fields {
			got[m.Name] = m.Value
		}
		for k, want := range in {
			v, ok := got[k]
			if name == behaviors.TruncateData {
				if ok && !strings.HasPrefix(want, v.(string)) {
					t.Fatalf("truncate-data: %q is not a prefix of %q", v, want)
				}
				continue
			}
			if !ok {
				t.Fatalf("%s: field %s lost", name, k)
			}
			if s, _ := v.(string); s != want {
				t.Fatalf("%s: field %s = %q, want %q", name, k, s, want)
			}
		}
	})
}
