package objstore

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Scheme names of connection strings.
const (
	SchemeS3    = "s3"
	SchemeHTTP  = "http"
	SchemeHTTPS = "https"
	SchemeFile  = "file"
)

// DefaultBucket is the bucket of a connection string that names none (s3db.js's default).
const DefaultBucket = "s3db"

// Config says which store to open and how; it comes from ParseConnectionString or is filled in by hand.
// Its String method hides the secret, so a Config may be logged.
type Config struct {
	// Scheme is "s3" (AWS), "http"/"https" (a custom S3 endpoint, path style) or "file" (Dir).
	Scheme string
	// Endpoint is the custom S3 endpoint (scheme://host:port); empty for AWS.
	Endpoint string
	// Bucket and Prefix locate the objects (S3 only). Prefix is joined to every key like path.join.
	Bucket string
	Prefix string
	// Region defaults to DefaultRegion (us-east-1, what s3db.js always signs with).
	Region string
	// AccessKeyID and SecretAccessKey (and SessionToken) are static credentials; when AccessKeyID is
	// empty the AWS default chain (environment, shared files, IMDS, …) is used.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Path is the root directory of a file:// store.
	Path string
	// Params holds the query parameters that are not read here (s3db.js passes them to its client as
	// options), for upper layers; nil when there are none.
	Params map[string]string
}

// ParseError is the error of ParseConnectionString. Its text shows the connection string with the
// secret replaced by "xxxxx".
type ParseError struct {
	ConnString string // redacted
	Msg        string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parse connection string %q: %s", e.ConnString, e.Msg)
}

// ParseConnectionString reads an s3db connection string (spec §1.1):
//
//	s3://KEY:SECRET@BUCKET/prefix?region=eu-west-1        AWS S3, virtual-hosted style
//	http://KEY:SECRET@HOST:PORT/BUCKET/prefix             custom endpoint (MinIO, versitygw, …), path style
//	https://KEY:SECRET@HOST:PORT/BUCKET/prefix
//	file:///abs/path   file://./rel/path                 local directory (Dir)
//
// The user and password are percent-decoded (a "/" in a secret is written %2F); without them the AWS
// default credential chain is used. A missing bucket is DefaultBucket. The prefix is the rest of the
// path, its segments joined by "/", left percent-encoded as s3db.js leaves it. Query parameters: region (default us-east-1; s3db.js 21.6.2 ignores
// it, we honour it), sessionToken; any other parameter is kept in Config.Params.
func ParseConnectionString(s string) (*Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, &ParseError{ConnString: redactRaw(s), Msg: describeURLError(err)}
	}
	cfg := &Config{Scheme: strings.ToLower(u.Scheme)}
	fail := func(msg string) (*Config, error) {
		return nil, &ParseError{ConnString: redactURL(u), Msg: msg}
	}
	switch cfg.Scheme {
	case SchemeFile:
		p, err := filePath(u)
		if err != nil {
			return fail(err.Error())
		}
		cfg.Path = p
		return cfg, nil
	case SchemeS3:
		bucket, err := url.PathUnescape(u.Host)
		if err != nil {
			return fail("invalid percent-escape in the bucket name")
		}
		cfg.Bucket = bucket
		cfg.Prefix = strings.Join(pathSegments(u), "/")
	case SchemeHTTP, SchemeHTTPS:
		if u.Host == "" {
			return fail("no host: want " + cfg.Scheme + "://KEY:SECRET@HOST:PORT/BUCKET/prefix")
		}
		cfg.Endpoint = cfg.Scheme + "://" + u.Host
		segs := pathSegments(u)
		if len(segs) > 0 {
			bucket, err := url.PathUnescape(segs[0])
			if err != nil {
				return fail("invalid percent-escape in the bucket name")
			}
			cfg.Bucket = bucket
			cfg.Prefix = strings.Join(segs[1:], "/")
		}
	case "":
		return fail("no scheme: want s3://, http(s):// or file://")
	default:
		return fail("unsupported scheme " + u.Scheme + ": want s3, http, https or file")
	}
	if cfg.Bucket == "" {
		cfg.Bucket = DefaultBucket
	}
	if u.User != nil {
		// url.Parse has already percent-decoded user and password.
		cfg.AccessKeyID = u.User.Username()
		cfg.SecretAccessKey, _ = u.User.Password()
		if cfg.AccessKeyID != "" && cfg.SecretAccessKey == "" {
			return fail("an access key without a secret: want KEY:SECRET@")
		}
	}
	for k, vs := range u.Query() {
		v := vs[len(vs)-1]
		switch k {
		case "region":
			cfg.Region = v
		case "sessionToken":
			cfg.SessionToken = v
		default:
			if cfg.Params == nil {
				cfg.Params = map[string]string{}
			}
			cfg.Params[k] = v
		}
	}
	return cfg, nil
}

// pathSegments splits the URL path like s3db.js: drop the leading "/", split on "/", keep the rest
// (empty segments included, so "a//b" stays "a//b" and path.join collapses it later). Segments stay
// percent-encoded as written: s3db.js 21.6.2 decodes the bucket but uses the prefix undecoded
// ("/b/my%20p" is the prefix "my%20p"), and the same bucket must be read by both.
func pathSegments(u *url.URL) []string {
	p := strings.TrimPrefix(u.EscapedPath(), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// filePath returns the directory of a file:// URL: file:///abs, file://localhost/abs, file://./rel and
// file://../rel (relative to the working directory, as s3db.js resolves them).
func filePath(u *url.URL) (string, error) {
	p := u.Path
	switch u.Host {
	case "", "localhost":
	case ".", "..":
		p = u.Host + p
	default:
		return "", errors.New("file:// URL with host " + u.Host + ": want file:///absolute/path or file://./relative/path")
	}
	if p == "" || p == "/" {
		return "", errors.New("file:// connection string requires a directory: want file:///absolute/path or file://./relative/path")
	}
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", p, err)
	}
	return abs, nil
}

// String returns the configuration as a connection string with the secret (and session token) shown as
// "xxxxx": safe to log.
func (c *Config) String() string {
	if c == nil {
		return "<nil>"
	}
	if c.Scheme == SchemeFile {
		return (&url.URL{Scheme: SchemeFile, Path: filepath.ToSlash(c.Path)}).String()
	}
	u := &url.URL{Scheme: c.Scheme}
	if u.Scheme == "" {
		u.Scheme = SchemeS3
	}
	if c.AccessKeyID != "" {
		u.User = url.UserPassword(c.AccessKeyID, "xxxxx")
	}
	path := c.Bucket
	if c.Prefix != "" {
		path += "/" + c.Prefix
	}
	if c.Endpoint != "" {
		eu, err := url.Parse(c.Endpoint)
		if err == nil {
			u.Scheme, u.Host = eu.Scheme, eu.Host
		}
		u.Path = "/" + path
	} else {
		host, rest, _ := strings.Cut(path, "/")
		u.Host = host
		if rest != "" {
			u.Path = "/" + rest
		}
	}
	q := url.Values{}
	if c.Region != "" {
		q.Set("region", c.Region)
	}
	if c.SessionToken != "" {
		q.Set("sessionToken", "xxxxx")
	}
	for k, v := range c.Params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redactURL is the URL with its password (and sessionToken) replaced by "xxxxx".
func redactURL(u *url.URL) string {
	c := *u
	if q := c.Query(); q.Has("sessionToken") {
		q.Set("sessionToken", "xxxxx")
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}

// redactRaw hides the user-info part of a string that url.Parse rejected: everything between "://" and
// the last "@" before the path, which is where a secret would be.
func redactRaw(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		if strings.Contains(s, "@") {
			return "<redacted>"
		}
		return s
	}
	end := len(rest)
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		end = i
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		return scheme + "://xxxxx@" + rest[at+1:]
	}
	return s
}

// describeURLError explains a url.Parse failure without quoting the input (which may hold a secret).
func describeURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var esc url.EscapeError
	switch {
	case errors.As(err, &esc):
		return "invalid percent-escape (write % as %25 in the key or secret)"
	case strings.Contains(err.Error(), "invalid port"):
		return "invalid port: a secret containing / or @ must be percent-encoded (%2F, %40)"
	default:
		return "malformed URL: percent-encode special characters of the key and secret"
	}
}
