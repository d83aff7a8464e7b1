package codec_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/codec"
)

type jsonSample struct {
	B    string         `json:"b"`
	A    float64        `json:"a"`
	Two  int            `json:"2"`
	Skip string         `json:"-"`
	Map  map[string]int `json:"map,omitempty"`
}

type textKey string

func (k textKey) MarshalText() ([]byte, error) { return []byte("k-" + string(k)), nil }

func TestMarshalJS(t *testing.T) {
	var nilMap map[string]any
	var nilSlice []string
	n := 7.0
	tenth := 0.1
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, `null`},
		{"numbers", []any{1.0, -0.0, 1e21, 1e-7, math.NaN(), math.Inf(1), tenth + 0.2}, `[1,0,1e+21,1e-7,null,null,0.30000000000000004]`},
		{"big int as JS number", int64(1)<<53 + 1, `9007199254740992`},
		{"uint64", uint64(math.MaxUint64), `18446744073709552000`},
		{"float32 widened", float32(0.1), `0.10000000149011612`},
		{"json.Number", json.Number("1.50"), `1.5`},
		{"json.Number overflow", json.Number("1e400"), `null`},
		{"raw message", json.RawMessage(`{"z":1, "a":2}`), `{"z":1, "a":2}`},
		{"escapes", "\"\\/\b\f\n\r\t\x00\x1f\x7f<>&\u2028", `"\"\\/\b\f\n\r\t\u0000\u001f` + "\x7f<>&\u2028" + `"`},
		{"lone surrogate", "a\xed\xa0\x80b", `"a\ud800b"`},
		{"paired wtf-8 surrogates", "\xed\xa0\xbd\xed\xb8\x80", `"😀"`},
		{"invalid utf-8", "a\xffb", "\"a\uFFFDb\""},
		{"ordered property order", codec.Ordered{{Name: "b", Value: 1.0}, {Name: "2", Value: 2.0}, {Name: "a", Value: 3.0},
			{Name: "1", Value: 4.0}, {Name: "01", Value: 5.0}, {Name: "4294967295", Value: 6.0}, {Name: "4294967294", Value: 7.0}},
			`{"1":4,"2":2,"4294967294":7,"b":1,"a":3,"01":5,"4294967295":6}`},
		{"ordered repeated name", codec.Ordered{{Name: "x", Value: 1.0}, {Name: "y", Value: 2.0}, {Name: "x", Value: 3.0}}, `{"x":3,"y":2}`},
		{"map order", map[string]any{"b": 1, "10": 2, "a": 3, "2": 4, "😀": 5, "\uffff": 6}, `{"2":4,"10":2,"a":3,"b":1,"😀":5,"` + "\uffff" + `":6}`},
		{"nil map", nilMap, `null`},
		{"nil slice", nilSlice, `null`},
		{"typed slice", []int{1, 2}, `[1,2]`},
		{"typed map", map[string]string{"b": "x", "a": "y"}, `{"a":"y","b":"x"}`},
		{"pointer", &n, `7`},
		{"struct via encoding/json", jsonSample{B: "x", A: 1.5, Two: 2}, `{"2":2,"b":"x","a":1.5}`},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 678e6, time.UTC), `"2024-01-02T03:04:05.678Z"`},
		{"bytes as base64", []byte("hi"), `"aGk="`},
		{"string-kind keys used directly", map[textKey]int{"a": 1}, `{"a":1}`},
		{"nested", []any{map[string]any{"x": []any{codec.Ordered{}}}}, `[{"x":[{}]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := codec.MarshalJS(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestMarshalJSErrors(t *testing.T) {
	cyclic := []any{nil}
	cyclic[0] = cyclic
	_, err := codec.MarshalJS(cyclic)
	assert.Error(t, err)
	_, err = codec.MarshalJS(json.Number("abc"))
	assert.Error(t, err)
	_, err = codec.MarshalJS(make(chan int))
	assert.Error(t, err)
}

func TestStableJSON(t *testing.T) {
	// §2.3 of the format: the stable string hashed into versions[v].hash.
	def := map[string]any{
		"behavior": "body-overflow",
		"attributes": codec.Ordered{
			{Name: "name", Value: "string|required"},
			{Name: "tags", Value: "array|items:string"},
			{Name: "profile", Value: codec.Ordered{{Name: "zip", Value: "string|optional"}, {Name: "city", Value: "string"}}},
		},
		"partitions": map[string]any{
			"byUpdatedDate": map[string]any{"fields": map[string]any{"updatedAt": "date|maxlength:10"}},
			"byName":        map[string]any{"fields": map[string]any{"name": "string|maxlength:3"}},
			"byCreatedDate": map[string]any{"fields": map[string]any{"createdAt": "date|maxlength:10"}},
		},
	}
	want := `{"attributes":{"name":"string|required","profile":{"city":"string","zip":"string|optional"},"tags":"array|items:string"},"behavior":"body-overflow","partitions":{"byCreatedDate":{"fields":{"createdAt":"date|maxlength:10"}},"byName":{"fields":{"name":"string|maxlength:3"}},"byUpdatedDate":{"fields":{"updatedAt":"date|maxlength:10"}}}}`
	got, err := codec.StableJSON(def)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))

	// Keys sort by UTF-16 code units, array indexes get no special place.
	got, err = codec.StableJSON(codec.Ordered{{Name: "\uffff", Value: 1.0}, {Name: "😀", Value: 2.0}, {Name: "10", Value: 3.0}, {Name: "9", Value: 4.0}})
	require.NoError(t, err)
	assert.Equal(t, `{"10":3,"9":4,"😀":2,"`+"\uffff"+`":1}`, string(got))
}
