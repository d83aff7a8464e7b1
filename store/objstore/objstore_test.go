package objstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store/objstore"
	"github.com/s3db-go/s3db/store/objstore/objtest"
)

// newDir returns an empty Dir in a temporary directory.
func newDir(t testing.TB, prefix string) *objstore.Dir {
	d, err := objstore.OpenDir(t.TempDir(), objstore.DirOptions{Prefix: prefix})
	require.NoError(t, err)
	return d
}

// newS3 returns an S3 store on a new bucket of the test versitygw (testenv), through a connection
// string as users write it. With a prefix, it checks at the end that nothing was written outside it.
func newS3(t testing.TB, prefix string) *objstore.S3 {
	ep := testenv.S3(t)
	bucket := testenv.NewBucket(t)
	cfg, err := objstore.ParseConnectionString(ep.ConnectionString(bucket, prefix))
	require.NoError(t, err)
	s, err := objstore.NewS3(context.Background(), *cfg, objstore.S3Options{})
	require.NoError(t, err)
	if prefix != "" {
		t.Cleanup(func() { requireAllUnder(t, s.Client(), bucket, prefix+"/") })
	}
	return s
}

func requireAllUnder(t testing.TB, client *s3.Client, bucket, prefix string) {
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		for _, o := range page.Contents {
			require.True(t, strings.HasPrefix(aws.ToString(o.Key), prefix), "key %q outside the prefix %q", aws.ToString(o.Key), prefix)
		}
	}
}

func TestDir_Acceptance(t *testing.T) {
	objtest.Run(t, func(t *testing.T) objstore.Store { return newDir(t, "") })
}

func TestDir_AcceptancePrefixed(t *testing.T) {
	objtest.Run(t, func(t *testing.T) objstore.Store { return newDir(t, "app/db") })
}

func TestS3_Acceptance(t *testing.T) {
	objtest.Run(t, func(t *testing.T) objstore.Store { return newS3(t, "") })
}

func TestS3_AcceptancePrefixed(t *testing.T) {
	objtest.Run(t, func(t *testing.T) objstore.Store { return newS3(t, "app/db") })
}
