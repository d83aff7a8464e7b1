package cliflags_test

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/cliflags"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		n    int
	}{
		{[]string{"a", "-n", "3", "b"}, []string{"a", "b"}, 3},
		{[]string{"-n", "2", "a"}, []string{"a"}, 2},
		{[]string{"a", "--", "-n", "5"}, []string{"a", "-n", "5"}, 0},
		{nil, nil, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		n := fs.Int("n", 0, "")
		pos, err := cliflags.ParseInterspersed(fs, tc.args)
		require.NoError(t, err)
		assert.Equal(t, tc.pos, pos, "%v", tc.args)
		assert.Equal(t, tc.n, *n, "%v", tc.args)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	_, err := cliflags.ParseInterspersed(fs, []string{"a", "-x"})
	assert.Error(t, err, "an unknown flag is an error")
}
