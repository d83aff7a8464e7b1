package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Defaults of the S3 backend.
const (
	// DefaultRegion is the region used when none is configured: s3db.js 21.6.2 always signs with it.
	DefaultRegion = "us-east-1"
	// DefaultMaxConnections sizes the pool of idle HTTP connections kept per host: it should be at
	// least the number of concurrent requests, or connections are opened and closed at every burst.
	DefaultMaxConnections = 128
	// DefaultMaxAttempts is how many times one request is tried (the SDK's standard retryer: 5xx,
	// throttling and transport errors, with exponential backoff and jitter; never 4xx such as 412/409).
	DefaultMaxAttempts = 5
	// DefaultMaxBackoff caps the delay between two attempts.
	DefaultMaxBackoff = 5 * time.Second
)

// S3Options tune the S3 backend beyond what a Config (connection string) says. The zero value is the
// defaults.
type S3Options struct {
	MaxConnections int           // idle connections kept per host; 0 = DefaultMaxConnections
	MaxAttempts    int           // attempts per request; 0 = DefaultMaxAttempts, 1 = no retries
	MaxBackoff     time.Duration // 0 = DefaultMaxBackoff
	// HTTPClient replaces the pooled client built from MaxConnections (for tests and proxies).
	HTTPClient aws.HTTPClient
}

// S3 is the Store of an S3 bucket (AWS or any S3-compatible service) under a key prefix.
type S3 struct {
	client *s3.Client
	bucket string
	keys   keyspace
}

var _ Store = (*S3)(nil)

// NewS3 builds the S3 backend of cfg (Scheme s3, http or https): path-style addressing for a custom
// endpoint, virtual-hosted for AWS; cfg's static credentials or else the AWS default chain; the region
// of cfg, else of the environment (AWS_REGION, shared config) when the default chain is used, else
// DefaultRegion. Checksums are sent only where the API requires them, which every S3-compatible
// service understands. NewS3 does no I/O beyond loading the default credential chain's configuration;
// a wrong bucket or credentials show up on the first request.
func NewS3(ctx context.Context, cfg Config, opts S3Options) (*S3, error) {
	switch cfg.Scheme {
	case SchemeS3, SchemeHTTP, SchemeHTTPS, "":
	default:
		return nil, newError("open", "", nil, fmt.Errorf("scheme %q is not S3", cfg.Scheme))
	}
	if cfg.Bucket == "" {
		return nil, newError("open", "", nil, errors.New("no bucket"))
	}
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	httpClient := opts.HTTPClient
	if httpClient == nil {
		httpClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConns = opts.MaxConnections
			tr.MaxIdleConnsPerHost = opts.MaxConnections
		})
	}
	o := s3.Options{
		Region:                     cfg.Region,
		HTTPClient:                 httpClient,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		Retryer: retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = opts.MaxAttempts
			so.MaxBackoff = opts.MaxBackoff
			// No client-side retry quota: the callers bound their own concurrency, and a quota
			// shared by all requests turns a short burst of 503s into "retry quota exceeded".
			so.RateLimiter = ratelimit.None
		}),
	}
	if cfg.Endpoint != "" {
		o.BaseEndpoint = aws.String(cfg.Endpoint)
		o.UsePathStyle = true
	}
	if cfg.AccessKeyID != "" {
		o.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)
	} else {
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, newError("open", "", ErrAccessDenied, fmt.Errorf("load the AWS default configuration: %w", err))
		}
		o.Credentials = awsCfg.Credentials
		if o.Region == "" {
			o.Region = awsCfg.Region
		}
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	return &S3{client: s3.New(o), bucket: cfg.Bucket, keys: newKeyspace(cfg.Prefix)}, nil
}

// Client returns the underlying SDK client, for operations outside the Store seam (creating buckets in
// tools and tests).
func (s *S3) Client() *s3.Client { return s.client }

// Bucket returns the bucket name.
func (s *S3) Bucket() string { return s.bucket }

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, body []byte, opts PutOptions) (string, error) {
	full, err := s.keys.full("put", key)
	if err != nil {
		return "", err
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(full),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		Metadata:      lowerNames(opts.Metadata),
	}
	if opts.ContentType != "" {
		in.ContentType = aws.String(opts.ContentType)
	}
	if opts.IfMatch != "" {
		in.IfMatch = aws.String(quoteETag(opts.IfMatch))
	}
	if opts.IfNoneMatch {
		in.IfNoneMatch = aws.String("*")
	}
	classify, optFns := s3Error, []func(*s3.Options){}
	if opts.SendOnce {
		classify, optFns = s3WriteError, append(optFns, sendOnce)
	}
	out, err := s.client.PutObject(ctx, in, optFns...)
	if err != nil {
		return "", classify("put", key, err)
	}
	return aws.ToString(out.ETag), nil
}

// sendOnce makes one request without the SDK's retries (PutOptions.SendOnce).
func sendOnce(o *s3.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 1) }

// tornReadAttempts bounds the re-reads of an object whose body does not match its ETag.
const tornReadAttempts = 6

// Get implements Store. When the ETag has the shape of an MD5 (32 hex digits), Get checks it against
// the body and reads again, with a growing pause, on a mismatch: versitygw's posix backend can return
// the body of one version with the ETag (and metadata) of the next while it is being overwritten, and
// a body paired with the wrong ETag would defeat If-Match (the next conditional write would succeed
// on top of a version it never read). Objects whose ETag is not an MD5 (SSE-KMS and SSE-C objects on
// AWS) are recognised from the response; an object whose mismatch is the same on every re-read over
// about a third of a second is taken to have such an ETag too. Nothing is remembered between calls:
// one odd object must not switch the check off for the others.
func (s *S3) Get(ctx context.Context, key string) (*Object, error) {
	full, err := s.keys.full("get", key)
	if err != nil {
		return nil, err
	}
	var first *Object
	stable := true
	for attempt := 1; ; attempt++ {
		obj, encrypted, err := s.get(ctx, key, full)
		if err != nil || encrypted || !isMD5ETag(obj.ETag) || md5ETag(obj.Body) == obj.ETag {
			return obj, err
		}
		if first == nil {
			first = obj
		} else if first.ETag != obj.ETag || !bytes.Equal(first.Body, obj.Body) {
			stable = false
		}
		if attempt == tornReadAttempts {
			if stable {
				return obj, nil // an ETag that is not an MD5, not a torn read
			}
			return nil, s3Error("get", key, fmt.Errorf("%w: the body never matched its ETag in %d reads", ErrTornRead, attempt))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(10<<(attempt-1)) * time.Millisecond):
		}
	}
}

// isMD5ETag reports whether etag looks like the MD5 of a single-part upload: "" and 32 hex digits.
func isMD5ETag(etag string) bool {
	if len(etag) != 34 || etag[0] != '"' || etag[33] != '"' {
		return false
	}
	for _, c := range etag[1:33] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// get reads an object once; encrypted reports an ETag that is not the body's MD5 (SSE-KMS, SSE-C).
func (s *S3) get(ctx context.Context, key, full string) (obj *Object, encrypted bool, err error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(full)})
	if err != nil {
		return nil, false, s3Error("get", key, err)
	}
	defer out.Body.Close()
	size := aws.ToInt64(out.ContentLength)
	buf := bytes.NewBuffer(make([]byte, 0, max(0, min(size, 64<<20))+bytes.MinRead))
	if _, err := buf.ReadFrom(out.Body); err != nil {
		return nil, false, s3Error("get", key, fmt.Errorf("read body: %w", err))
	}
	encrypted = out.SSECustomerAlgorithm != nil || strings.HasPrefix(string(out.ServerSideEncryption), "aws:kms")
	return &Object{
		ObjectInfo: ObjectInfo{
			Key:          key,
			Size:         int64(buf.Len()),
			ETag:         aws.ToString(out.ETag),
			LastModified: aws.ToTime(out.LastModified),
			ContentType:  aws.ToString(out.ContentType),
			Metadata:     lowerNames(out.Metadata),
		},
		Body: buf.Bytes(),
	}, encrypted, nil
}

// Head implements Store.
func (s *S3) Head(ctx context.Context, key string) (*ObjectInfo, error) {
	full, err := s.keys.full("head", key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(full)})
	if err != nil {
		return nil, s3Error("head", key, err)
	}
	return &ObjectInfo{
		Key:          key,
		Size:         aws.ToInt64(out.ContentLength),
		ETag:         aws.ToString(out.ETag),
		LastModified: aws.ToTime(out.LastModified),
		ContentType:  aws.ToString(out.ContentType),
		Metadata:     lowerNames(out.Metadata),
	}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string, opts DeleteOptions) error {
	full, err := s.keys.full("delete", key)
	if err != nil {
		return err
	}
	in := &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(full)}
	if opts.IfMatch != "" {
		in.IfMatch = aws.String(quoteETag(opts.IfMatch))
	}
	classify, optFns := s3Error, []func(*s3.Options){}
	if opts.SendOnce {
		classify, optFns = s3WriteError, append(optFns, sendOnce)
	}
	if _, err := s.client.DeleteObject(ctx, in, optFns...); err != nil {
		err = classify("delete", key, err)
		if IsNotFound(err) {
			return nil // a conditional delete of a missing key: gone either way (versitygw says 204 here)
		}
		return err
	}
	return nil
}

// DeleteMany implements Store.
func (s *S3) DeleteMany(ctx context.Context, keys []string) error {
	for start := 0; start < len(keys); start += MaxDeleteBatch {
		batch := keys[start:min(start+MaxDeleteBatch, len(keys))]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, k := range batch {
			full, err := s.keys.full("delete", k)
			if err != nil {
				return err
			}
			ids[i] = types.ObjectIdentifier{Key: aws.String(full)}
		}
		out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(s.bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return s3Error("delete", "", fmt.Errorf("%d keys from %s: %w", len(batch), batch[0], err))
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			first := &apiError{code: aws.ToString(e.Code), msg: aws.ToString(e.Message)}
			return s3Error("delete", s.keys.rel(aws.ToString(e.Key)),
				fmt.Errorf("%d of %d keys failed, first: %w", len(out.Errors), len(batch), first))
		}
	}
	return nil
}

// List implements Store.
func (s *S3) List(ctx context.Context, opts ListOptions) (*ListPage, error) {
	maxKeys := opts.MaxKeys
	if maxKeys <= 0 || maxKeys > MaxListKeys {
		maxKeys = MaxListKeys
	}
	in := &s3.ListObjectsV2Input{
		Bucket:  aws.String(s.bucket),
		Prefix:  aws.String(s.keys.listPrefix(opts.Prefix)),
		MaxKeys: aws.Int32(int32(maxKeys)),
	}
	if opts.ContinuationToken != "" {
		in.ContinuationToken = aws.String(opts.ContinuationToken)
	} else if opts.StartAfter != "" {
		in.StartAfter = aws.String(s.keys.startAfter(opts.StartAfter))
	}
	if opts.Delimiter != "" {
		in.Delimiter = aws.String(opts.Delimiter)
	}
	out, err := s.client.ListObjectsV2(ctx, in)
	if err != nil {
		return nil, s3Error("list", opts.Prefix, err)
	}
	page := &ListPage{
		Keys:      make([]ListedKey, 0, len(out.Contents)),
		Truncated: aws.ToBool(out.IsTruncated),
		NextToken: aws.ToString(out.NextContinuationToken),
	}
	for _, o := range out.Contents {
		page.Keys = append(page.Keys, ListedKey{
			Key:          s.keys.rel(aws.ToString(o.Key)),
			Size:         aws.ToInt64(o.Size),
			ETag:         aws.ToString(o.ETag),
			LastModified: aws.ToTime(o.LastModified),
		})
	}
	for _, p := range out.CommonPrefixes {
		page.CommonPrefixes = append(page.CommonPrefixes, s.keys.rel(aws.ToString(p.Prefix)))
	}
	return page, nil
}

// Copy implements Store.
func (s *S3) Copy(ctx context.Context, src, dst string, opts CopyOptions) (string, error) {
	fullSrc, err := s.keys.full("copy", src)
	if err != nil {
		return "", err
	}
	fullDst, err := s.keys.full("copy", dst)
	if err != nil {
		return "", err
	}
	in := &s3.CopyObjectInput{
		Bucket:     aws.String(s.bucket),
		Key:        aws.String(fullDst),
		CopySource: aws.String(copySource(s.bucket, fullSrc)),
	}
	if opts.ReplaceMetadata {
		in.MetadataDirective = types.MetadataDirectiveReplace
		in.Metadata = lowerNames(opts.Metadata)
		if opts.ContentType != "" {
			in.ContentType = aws.String(opts.ContentType)
		}
	}
	out, err := s.client.CopyObject(ctx, in)
	if err != nil {
		return "", s3Error("copy", src+" -> "+dst, err)
	}
	if out.CopyObjectResult == nil {
		return "", nil
	}
	return aws.ToString(out.CopyObjectResult.ETag), nil
}

// copySource is the x-amz-copy-source value: bucket/key with the key URL-encoded segment by segment.
func copySource(bucket, key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return bucket + "/" + strings.Join(segs, "/")
}

// quoteETag returns the ETag in quotes, as S3 compares it ("abc" and abc are both accepted as input).
func quoteETag(etag string) string {
	if strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) || etag == "*" {
		return etag
	}
	return `"` + etag + `"`
}

// apiError is a per-key error of DeleteObjects, in the shape of smithy.APIError.
type apiError struct{ code, msg string }

func (e *apiError) Error() string        { return e.code + ": " + e.msg }
func (e *apiError) ErrorCode() string    { return e.code }
func (e *apiError) ErrorMessage() string { return e.msg }
