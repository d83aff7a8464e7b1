package codec

// EncodeBool writes a `boolean` value: "1" when v is one of s3db.js's true values — true, the
// number 1 (any Go numeric type, or json.Number, equal to 1), or the strings "true", "1", "yes",
// "y" — and "0" for anything else, including "TRUE", "on" and nil.
func EncodeBool(v any) string {
	if isJSTrueValue(v) {
		return "1"
	}
	return "0"
}

// DecodeBool reads a `boolean` value. s3db.js's read hook tests the stored text against the
// same list as the writer, so besides "1" the texts "true", "yes" and "y" read as true (data
// written by other tools or stored before the attribute became boolean); anything else is false.
func DecodeBool(s string) bool {
	return isJSTrueValue(s)
}

func isJSTrueValue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "true" || x == "1" || x == "yes" || x == "y"
	}
	f, ok := AsNumber(v)
	return ok && f == 1
}
