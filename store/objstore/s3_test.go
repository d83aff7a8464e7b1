package objstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3db-go/s3db/internal/testenv"
	"github.com/s3db-go/s3db/store/objstore"
)

func TestS3_no_such_bucket(t *testing.T) {
	ep := testenv.S3(t)
	s, err := objstore.Open(context.Background(), ep.ConnectionString("no-such-bucket-"+testenv.BucketName("x")[2:], ""))
	require.NoError(t, err)
	_, err = s.Put(context.Background(), "k", []byte("v"), objstore.PutOptions{})
	require.ErrorIs(t, err, objstore.ErrNoSuchBucket)
	assert.Contains(t, err.Error(), "create the bucket")
	_, err = s.Get(context.Background(), "k")
	require.ErrorIs(t, err, objstore.ErrNoSuchBucket)
	assert.False(t, objstore.IsNotFound(err), "a missing bucket is not a missing object")
}

func TestS3_bad_credentials(t *testing.T) {
	ep := testenv.S3(t)
	bucket := testenv.NewBucket(t)
	ep.SecretKey = "Wr0ngS3cretWr0ngS3cret"
	s, err := objstore.Open(context.Background(), ep.ConnectionString(bucket, ""))
	require.NoError(t, err)
	for _, call := range []func() error{
		func() error {
			_, err := s.Put(context.Background(), "k", []byte("v"), objstore.PutOptions{})
			return err
		},
		func() error { _, err := s.Head(context.Background(), "k"); return err }, // 403 without a body
		func() error { _, err := s.List(context.Background(), objstore.ListOptions{}); return err },
	} {
		err := call()
		require.ErrorIs(t, err, objstore.ErrAccessDenied)
		assert.NotContains(t, err.Error(), ep.SecretKey)
		assert.Contains(t, err.Error(), "check the access key and secret")
	}
}

func TestS3_key_too_long_with_prefix(t *testing.T) {
	s := newS3(t, "app")
	_, err := s.Put(context.Background(), string(make([]byte, 1021)), nil, objstore.PutOptions{})
	require.ErrorIs(t, err, objstore.ErrInvalidKey, "the limit counts the prefix")
}
