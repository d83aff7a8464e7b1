package objstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/store/objstore"
)

func TestParseConnectionString(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	tests := []struct {
		name   string
		conn   string
		want   objstore.Config
		string string // want of Config.String
	}{
		{
			name:   "aws with prefix and region",
			conn:   "s3://AKIA:wJal%2FK7MD%2Bx@my-bucket/app/db?region=eu-west-1",
			want:   objstore.Config{Scheme: "s3", Bucket: "my-bucket", Prefix: "app/db", Region: "eu-west-1", AccessKeyID: "AKIA", SecretAccessKey: "wJal/K7MD+x"},
			string: "s3://AKIA:xxxxx@my-bucket/app/db?region=eu-west-1",
		},
		{
			name:   "aws default chain",
			conn:   "s3://my-bucket",
			want:   objstore.Config{Scheme: "s3", Bucket: "my-bucket"},
			string: "s3://my-bucket",
		},
		{
			name:   "custom endpoint path style",
			conn:   "http://KEY:SEC%40RET@127.0.0.1:7070/bucket/a/b",
			want:   objstore.Config{Scheme: "http", Endpoint: "http://127.0.0.1:7070", Bucket: "bucket", Prefix: "a/b", AccessKeyID: "KEY", SecretAccessKey: "SEC@RET"},
			string: "http://KEY:xxxxx@127.0.0.1:7070/bucket/a/b",
		},
		{
			name: "https without bucket uses the default",
			conn: "https://KEY:SECRET@s3.example.com",
			want: objstore.Config{Scheme: "https", Endpoint: "https://s3.example.com", Bucket: "s3db", AccessKeyID: "KEY", SecretAccessKey: "SECRET"},
		},
		{
			name: "prefix stays percent-encoded as in s3db.js, bucket is decoded",
			conn: "http://K:S@h:1/b%2Dx/my%20prefix//x",
			want: objstore.Config{Scheme: "http", Endpoint: "http://h:1", Bucket: "b-x", Prefix: "my%20prefix//x", AccessKeyID: "K", SecretAccessKey: "S"},
		},
		{
			name:   "session token and other parameters",
			conn:   "s3://K:S@b?sessionToken=TOK&parallelism=10",
			want:   objstore.Config{Scheme: "s3", Bucket: "b", AccessKeyID: "K", SecretAccessKey: "S", SessionToken: "TOK", Params: map[string]string{"parallelism": "10"}},
			string: "s3://K:xxxxx@b?parallelism=10&sessionToken=xxxxx",
		},
		{
			name:   "file absolute",
			conn:   "file:///var/lib/s3db",
			want:   objstore.Config{Scheme: "file", Path: "/var/lib/s3db"},
			string: "file:///var/lib/s3db",
		},
		{
			name: "file relative",
			conn: "file://./data",
			want: objstore.Config{Scheme: "file", Path: filepath.Join(wd, "data")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := objstore.ParseConnectionString(tt.conn)
			require.NoError(t, err)
			assert.Equal(t, tt.want, *got)
			if tt.string != "" {
				assert.Equal(t, tt.string, got.String())
			}
			if got.SecretAccessKey != "" {
				assert.NotContains(t, got.String(), got.SecretAccessKey, "String must not show the secret")
			}
		})
	}
}

func TestParseConnectionString_errors(t *testing.T) {
	tests := []struct {
		name, conn, wantErr string
	}{
		{name: "unescaped slash in secret", conn: "s3://AKIA:top/Zq9Ws@bucket", wantErr: "percent-encoded"},
		{name: "bad escape", conn: "http://K:Zq9%zzWs@h:1/b", wantErr: "invalid percent-escape"},
		{name: "scheme", conn: "ftp://K:Zq9Ws@h/b", wantErr: "unsupported scheme"},
		{name: "no scheme", conn: "bucket/prefix", wantErr: "no scheme"},
		{name: "file without path", conn: "file:///", wantErr: "requires a directory"},
		{name: "key without secret", conn: "s3://KEY@b", wantErr: "without a secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := objstore.ParseConnectionString(tt.conn)
			require.ErrorContains(t, err, tt.wantErr)
			var pe *objstore.ParseError
			require.ErrorAs(t, err, &pe)
			assert.NotContains(t, err.Error(), "Zq9", "the secret must not leak into errors")
		})
	}
}
