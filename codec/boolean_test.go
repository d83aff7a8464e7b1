package codec_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestEncodeBoolOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.Bool {
		v := rawTagged(t, c[0]).goValue(t)
		assert.Equalf(t, rawString(t, c[1]), codec.EncodeBool(v), "EncodeBool(%#v)", v)
	}
}

func TestDecodeBoolOracle(t *testing.T) {
	o := loadNumericOracle(t)
	for _, c := range o.BoolDecode {
		s := rawString(t, c[0])
		assert.Equalf(t, rawBool(t, c[1]), codec.DecodeBool(s), "DecodeBool(%q)", s)
	}
}

func TestEncodeBool(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "true", in: true, want: "1"},
		{name: "false", in: false, want: "0"},
		{name: "int one", in: 1, want: "1"},
		{name: "int64 one", in: int64(1), want: "1"},
		{name: "float one", in: 1.0, want: "1"},
		{name: "json number one", in: json.Number("1.0"), want: "1"},
		{name: "two", in: 2, want: "0"},
		{name: "yes", in: "yes", want: "1"},
		{name: "y", in: "y", want: "1"},
		{name: "text true", in: "true", want: "1"},
		{name: "uppercase is false", in: "TRUE", want: "0"},
		{name: "nil", in: nil, want: "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, codec.EncodeBool(tt.in))
		})
	}
}

func ExampleEncodeBool() {
	fmt.Println(codec.EncodeBool(true), codec.EncodeBool("yes"), codec.EncodeBool("no"), codec.DecodeBool("1"), codec.DecodeBool("0"))
	// Output: 1 1 0 true false
}

func FuzzDecodeBool(f *testing.F) {
	for _, s := range []string{"1", "0", "true", "yes", "y", "", "TRUE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := codec.DecodeBool(s); got != (codec.EncodeBool(s) == "1") {
			t.Fatalf("DecodeBool(%q) = %v disagrees with the writer", s, got)
		}
	})
}
