package objstore

import (
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
