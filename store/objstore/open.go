package objstore

import (
	"context"
	"fmt"
)

// Open parses a connection string (see ParseConnectionString) and opens its store: Dir for file://,
// S3 for s3://, http:// and https://.
func Open(ctx context.Context, connString string) (Store, error) {
	cfg, err := ParseConnectionString(connString)
	if err != nil {
		return nil, err
	}
	return OpenConfig(ctx, *cfg)
}

// OpenConfig opens the store that cfg describes, with default options.
func OpenConfig(ctx context.Context, cfg Config) (Store, error) {
	switch cfg.Scheme {
	case SchemeFile:
		return OpenDir(cfg.Path, DirOptions{Prefix: cfg.Prefix})
	case SchemeS3, SchemeHTTP, SchemeHTTPS:
		return NewS3(ctx, cfg, S3Options{})
	default:
		return nil, newError("open", "", nil, fmt.Errorf("unsupported scheme %q in %s", cfg.Scheme, cfg.String()))
	}
}
