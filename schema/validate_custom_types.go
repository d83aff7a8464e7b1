package schema

import (
	"regexp"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// The built-in checks of the s3db custom types, as registered by s3db.js 21.6.2's Validator. They
// return what s3db.js stores (normalised text, or milliseconds for durations). The text types
// share codec's normalizers, which the mapper's encoders are written against; the four aliases
// with no stored encoding (cron, locale, currency, country) live here.

func vBuiltinNormalizers() Normalizers {
	return Normalizers{
		Datetime: vTextNormalizer(codec.NormalizeDatetime), DateOnly: vTextNormalizer(codec.NormalizeDateOnly),
		TimeOnly: vTextNormalizer(codec.NormalizeTimeOnly), MAC: vTextNormalizer(codec.NormalizeMAC), CIDR: vTextNormalizer(codec.NormalizeCIDR),
		Semver: vTextNormalizer(codec.NormalizeSemver), Phone: vTextNormalizer(codec.NormalizePhone), Color: vTextNormalizer(codec.NormalizeColor),
		Duration: vNormDuration, Cron: vNormCron, Locale: vNormLocale, Currency: vNormCurrency,
		Country: vNormCountry, EAN: vTextNormalizer(codec.NormalizeEAN),
	}
}

// vTextNormalizer adapts a codec normalizer (which returns text) to the Normalizers signature.
func vTextNormalizer(norm func(any) (string, error)) func(any) (any, error) {
	return func(v any) (any, error) {
		s, err := norm(v)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// vNormDuration stores the number of milliseconds, as s3db.js's validator does.
func vNormDuration(v any) (any, error) {
	ms, err := codec.NormalizeDurationMs(v)
	if err != nil {
		return nil, err
	}
	return ms, nil
}

var (
	vReSpaces   = regexp.MustCompile(`[` + vJSSpaceClass + `]+`)
	vReCronPart = regexp.MustCompile(`^(\*|(\d+(-\d+)?(/\d+)?)(,(\d+(-\d+)?(/\d+)?))*|\*/\d+)$`)
)

func vNormCron(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	parts := vReSpaces.Split(codec.JSTrim(s), -1)
	if len(parts) != 5 {
		return nil, errInvalidCustom
	}
	for _, p := range parts {
		if !vReCronPart.MatchString(p) {
			return nil, errInvalidCustom
		}
	}
	return strings.Join(parts, " "), nil
}

var (
	vReLocalePair = regexp.MustCompile(`^([a-zA-Z]{2})[-_]([a-zA-Z]{2})$`)
	vReLetters2   = regexp.MustCompile(`^[a-zA-Z]{2}$`)
	vReLetters3   = regexp.MustCompile(`^[a-zA-Z]{3}$`)
)

func vNormLocale(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errInvalidCustom
	}
	if m := vReLocalePair.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1]) + "-" + strings.ToUpper(m[2]), nil
	}
	if vReLetters2.MatchString(s) {
		return strings.ToLower(s), nil
	}
	return nil, errInvalidCustom
}

func vNormCurrency(v any) (any, error) {
	if s, ok := v.(string); ok && vReLetters3.MatchString(s) {
		return strings.ToUpper(s), nil
	}
	return nil, errInvalidCustom
}

func vNormCountry(v any) (any, error) {
	if s, ok := v.(string); ok && vReLetters2.MatchString(s) {
		return strings.ToUpper(s), nil
	}
	return nil, errInvalidCustom
}
