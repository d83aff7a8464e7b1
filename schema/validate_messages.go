package schema

// vMessages are fastest-validator 1.19's messages plus the ones s3db.js registers.
var vMessages = map[string]string{
	"required": "The '{field}' field is required.",

	"string":           "The '{field}' field must be a string.",
	"stringEmpty":      "The '{field}' field must not be empty.",
	"stringMin":        "The '{field}' field length must be greater than or equal to {expected} characters long.",
	"stringMax":        "The '{field}' field length must be less than or equal to {expected} characters long.",
	"stringLength":     "The '{field}' field length must be {expected} characters long.",
	"stringPattern":    "The '{field}' field fails to match the required pattern.",
	"stringContains":   "The '{field}' field must contain the '{expected}' text.",
	"stringEnum":       "The '{field}' field does not match any of the allowed values.",
	"stringNumeric":    "The '{field}' field must be a numeric string.",
	"stringAlpha":      "The '{field}' field must be an alphabetic string.",
	"stringAlphanum":   "The '{field}' field must be an alphanumeric string.",
	"stringAlphadash":  "The '{field}' field must be an alphadash string.",
	"stringHex":        "The '{field}' field must be a hex string.",
	"stringSingleLine": "The '{field}' field must be a single line string.",
	"stringBase64":     "The '{field}' field must be a base64 string.",

	"number":         "The '{field}' field must be a number.",
	"numberMin":      "The '{field}' field must be greater than or equal to {expected}.",
	"numberMax":      "The '{field}' field must be less than or equal to {expected}.",
	"numberEqual":    "The '{field}' field must be equal to {expected}.",
	"numberNotEqual": "The '{field}' field can't be equal to {expected}.",
	"numberInteger":  "The '{field}' field must be an integer.",
	"numberPositive": "The '{field}' field must be a positive number.",
	"numberNegative": "The '{field}' field must be a negative number.",

	"array":         "The '{field}' field must be an array.",
	"arrayEmpty":    "The '{field}' field must not be an empty array.",
	"arrayMin":      "The '{field}' field must contain at least {expected} items.",
	"arrayMax":      "The '{field}' field must contain less than or equal to {expected} items.",
	"arrayLength":   "The '{field}' field must contain {expected} items.",
	"arrayContains": "The '{field}' field must contain the '{expected}' item.",
	"arrayUnique":   "The '{actual}' value in '{field}' field does not unique the '{expected}' values.",
	"arrayEnum":     "The '{actual}' value in '{field}' field does not match any of the '{expected}' values.",

	"boolean": "The '{field}' field must be a boolean.",

	"enumValue": "The '{field}' field value '{expected}' does not match any of the allowed values.",

	"equalValue": "The '{field}' field value must be equal to '{expected}'.",
	"equalField": "The '{field}' field value must be equal to '{expected}' field value.",

	"forbidden": "The '{field}' field is forbidden.",

	"email":      "The '{field}' field must be a valid e-mail.",
	"emailEmpty": "The '{field}' field must not be empty.",
	"emailMin":   "The '{field}' field length must be greater than or equal to {expected} characters long.",
	"emailMax":   "The '{field}' field length must be less than or equal to {expected} characters long.",

	"luhn": "The '{field}' field must be a valid checksum luhn.",
	"mac":  "The '{field}' field must be a valid MAC address.",

	"object":         "The '{field}' must be an Object.",
	"objectStrict":   "The object '{field}' contains forbidden keys: '{actual}'.",
	"objectMinProps": "The object '{field}' must contain at least {expected} properties.",
	"objectMaxProps": "The object '{field}' must contain {expected} properties at most.",

	"url":      "The '{field}' field must be a valid URL.",
	"urlEmpty": "The '{field}' field must not be empty.",

	"uuid":        "The '{field}' field must be a valid UUID.",
	"uuidVersion": "The '{field}' field must be a valid UUID version provided.",

	// s3db.js Validator messages.
	"encryptionKeyMissing":   "Missing configuration for secrets encryption.",
	"encryptionProblem":      "Problem encrypting secret. Actual: {actual}. Error: {error}",
	"passwordHashingProblem": "Problem hashing password. Error: {error}",
}

// vSuggestion says what to do about one error type.
func vSuggestion(typ string, expected any) string {
	switch typ {
	case "required":
		return "provide a value, or declare the attribute |optional"
	case "string":
		return "pass text"
	case "stringEmpty", "emailEmpty", "urlEmpty":
		return "pass non-empty text"
	case "stringMin", "emailMin":
		return "use at least " + vTemplateText(expected) + " characters (counted in UTF-16 units after trimming)"
	case "stringMax", "emailMax":
		return "use at most " + vTemplateText(expected) + " characters (counted in UTF-16 units after trimming)"
	case "stringLength":
		return "use exactly " + vTemplateText(expected) + " characters"
	case "stringPattern":
		return "match the pattern " + vTemplateText(expected)
	case "number":
		return "pass a finite number or numeric text"
	case "numberMin":
		return "use a number >= " + vTemplateText(expected)
	case "numberMax":
		return "use a number <= " + vTemplateText(expected)
	case "numberInteger":
		return "use a whole number"
	case "boolean":
		return "pass true/false (or \"true\", \"false\", 1, 0, \"1\", \"0\", \"on\", \"off\")"
	case "array":
		return "pass an array"
	case "object":
		return "pass an object"
	case "enumValue", "stringEnum", "arrayEnum":
		return "use one of: " + vTemplateText(expected)
	case "email":
		return "pass an address like name@example.com"
	case "url":
		return "pass an http:// or https:// URL"
	case "uuid", "uuidVersion":
		return "pass a UUID like 123e4567-e89b-12d3-a456-426614174000"
	case "encryptionKeyMissing":
		return "Provide a passphrase for secret encryption."
	case "encryptionProblem":
		return "Check the passphrase and input value."
	case "passwordHashingProblem":
		return "pass a non-empty password and configure password hashing"
	case "datetime":
		return "pass ISO 8601 text (2024-01-02T03:04:05Z) or epoch milliseconds"
	case "date":
		return "pass YYYY-MM-DD text or epoch milliseconds"
	case "timeonly":
		return "pass HH:mm, HH:mm:ss or HH:mm:ss.SSS"
	}
	return ""
}
