package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/s3db-go/s3db/codec"
)

// parseObject reads a JSON object (a record, a patch or a filter) as JavaScript's JSON.parse
// would: numbers are float64, a repeated key keeps its last value.
func parseObject(text string) (map[string]any, error) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, describeJSONError(text, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object {...}, got %s", jsonKind(v))
	}
	return obj, nil
}

// parseOrderedObject reads a JSON object keeping its key order (attributes, partitions).
func parseOrderedObject(text string) (codec.Ordered, error) {
	v, err := codec.ParseOrdered([]byte(text))
	if err != nil {
		return nil, describeJSONError(text, err)
	}
	obj, ok := v.(codec.Ordered)
	if !ok {
		return nil, fmt.Errorf("want a JSON object {...}, got %s", jsonKind(v))
	}
	return obj, nil
}

// describeJSONError says where JSON text is broken.
func describeJSONError(text string, err error) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("empty: want a JSON object such as '{\"name\":\"Ada\"}'")
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at byte %d: %s", syn.Offset, syn.Error())
	}
	return fmt.Errorf("invalid JSON: %s", err.Error())
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any, codec.Ordered:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

// parseValues reads --values: comma-separated field=value pairs.
func parseValues(text string) (map[string]any, error) {
	out := map[string]any{}
	for _, pair := range strings.Split(text, ",") {
		k, v, ok := strings.Cut(pair, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not field=value (want e.g. region=eu,plan=pro)", pair)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("field %q is given twice", k)
		}
		out[k] = v
	}
	return out, nil
}
