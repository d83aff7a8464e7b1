package pipeline

import (
	"context"
	"time"

	"github.com/s3db-go/s3db/store/objstore"
)

// meteredStore counts and times the requests of an object store (Metrics.S3*). It wraps the store the
// worker opens, so every S3 request the store layer makes is seen, whatever the backend.
type meteredStore struct {
	inner objstore.Store
	m     *Metrics
}

var _ objstore.Store = meteredStore{}

// requestCost is the list price of one request (S3 Standard, us-east-1).
var requestCost = map[string]float64{
	"put": 0.005 / 1000, "copy": 0.005 / 1000, "list": 0.005 / 1000, "delete_many": 0.005 / 1000,
	"get": 0.0004 / 1000, "head": 0.0004 / 1000,
}

// WithMetrics returns objs with its requests counted in m.
func WithMetrics(objs objstore.Store, m *Metrics) objstore.Store {
	return meteredStore{inner: objs, m: m}
}

func (s meteredStore) observe(op string, start time.Time, err error) {
	outcome := "ok"
	switch {
	case err == nil:
	case objstore.IsNotFound(err):
		outcome = "not_found"
	case objstore.IsPreconditionFailed(err):
		outcome = "precondition_failed"
	default:
		outcome = "error"
	}
	s.m.S3Requests.WithLabelValues(op, outcome).Inc()
	s.m.S3Latency.WithLabelValues(op).Observe(time.Since(start).Seconds())
	s.m.S3Cost.Add(requestCost[op])
}

func (s meteredStore) Put(ctx context.Context, key string, body []byte, opts objstore.PutOptions) (string, error) {
	start := time.Now()
	etag, err := s.inner.Put(ctx, key, body, opts)
	s.observe("put", start, err)
	return etag, err
}

func (s meteredStore) Get(ctx context.Context, key string) (*objstore.Object, error) {
	start := time.Now()
	obj, err := s.inner.Get(ctx, key)
	s.observe("get", start, err)
	return obj, err
}

func (s meteredStore) Head(ctx context.Context, key string) (*objstore.ObjectInfo, error) {
	start := time.Now()
	info, err := s.inner.Head(ctx, key)
	s.observe("head", start, err)
	return info, err
}

func (s meteredStore) Delete(ctx context.Context, key string, opts objstore.DeleteOptions) error {
	start := time.Now()
	err := s.inner.Delete(ctx, key, opts)
	s.observe("delete", start, err)
	return err
}

func (s meteredStore) DeleteMany(ctx context.Context, keys []string) error {
	start := time.Now()
	err := s.inner.DeleteMany(ctx, keys)
	s.observe("delete_many", start, err)
	return err
}

func (s meteredStore) List(ctx context.Context, opts objstore.ListOptions) (*objstore.ListPage, error) {
	start := time.Now()
	page, err := s.inner.List(ctx, opts)
	s.observe("list", start, err)
	return page, err
}

func (s meteredStore) Copy(ctx context.Context, src, dst string, opts objstore.CopyOptions) (string, error) {
	start := time.Now()
	etag, err := s.inner.Copy(ctx, src, dst, opts)
	s.observe("copy", start, err)
	return etag, err
}
