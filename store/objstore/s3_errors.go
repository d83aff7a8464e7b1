package objstore

import (
	"context"
	"errors"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// s3Error classifies an SDK error into one of the sentinels (by error code first, then by HTTP status
// for answers without a body such as HeadObject's 404) and wraps it in an *Error.
func s3Error(op, key string, err error) error {
	return newError(op, key, classifyS3(err), err)
}

// s3WriteError is s3Error for a write sent once: a failure that is none of the known classes and
// may have reached the server (5xx, 429, no response) is ErrUncertain.
func s3WriteError(op, key string, err error) error {
	class := classifyS3(err)
	if class == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		var resp *awshttp.ResponseError
		if !errors.As(err, &resp) || resp.HTTPStatusCode() >= 500 || resp.HTTPStatusCode() == http.StatusTooManyRequests {
			class = ErrUncertain
		}
	}
	return newError(op, key, class, err)
}

func classifyS3(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchBucket":
			return ErrNoSuchBucket
		case "NoSuchKey", "NotFound":
			return ErrNotFound
		case "PreconditionFailed":
			return ErrPreconditionFailed
		case "ConditionalRequestConflict", "OperationAborted":
			return ErrConflict
		case "MetadataTooLarge":
			return ErrMetadataTooLarge
		case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
			"AllAccessDisabled", "Forbidden":
			return ErrAccessDenied
		case "KeyTooLongError", "InvalidKey":
			return ErrInvalidKey
		}
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) {
		switch resp.HTTPStatusCode() {
		case http.StatusNotFound:
			return ErrNotFound
		case http.StatusPreconditionFailed:
			return ErrPreconditionFailed
		case http.StatusConflict:
			return ErrConflict
		case http.StatusForbidden, http.StatusUnauthorized:
			return ErrAccessDenied
		}
	}
	return nil
}
