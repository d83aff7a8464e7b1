package codec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/codec"
)

func TestJSOrder(t *testing.T) {
	in := codec.Ordered{{Name: "_v"}, {Name: "a"}, {Name: "10"}, {Name: "2"}, {Name: "1a"}, {Name: "0"}}
	assert.False(t, in.InJSOrder())
	got := in.JSOrder()
	assert.Equal(t, []string{"0", "2", "10", "_v", "a", "1a"}, got.Names())
	assert.Equal(t, "_v", in[0].Name, "JSOrder leaves the receiver alone")
	assert.True(t, got.InJSOrder())
	in.SortJS()
	assert.Equal(t, got, in)
}
