package schema_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

func ExampleNewValidator() {
	var attrs codec.Ordered
	_ = json.Unmarshal([]byte(`{
		"name": "string|required|min:2",
		"age": "number|integer|optional",
		"email": "email",
		"profile": {"city": "string", "since": "datetime|optional"}
	}`), &attrs)
	v, err := schema.NewValidator(attrs, schema.ValidatorOptions{AllNestedObjectsOptional: true})
	if err != nil {
		panic(err)
	}
	out, err := v.Validate(context.Background(), map[string]any{
		"name": "  Ada ", "age": "36", "email": "ada@example.com",
		"profile": map[string]any{"city": "London", "since": "2024-01-02"},
	})
	fmt.Println(out["name"], out["age"], out["profile"], err)

	_, err = v.Validate(context.Background(), map[string]any{"name": "A", "age": 1.5, "email": "nope"})
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Errors {
			fmt.Println(fe.Field, fe.Rule, fe.Message)
		}
	}
	// Output:
	// Ada 36 map[city:London since:2024-01-02T00:00:00.000Z] <nil>
	// name stringMin The 'name' field length must be greater than or equal to 2 characters long.
	// age numberInteger The 'age' field must be an integer.
	// email email The 'email' field must be a valid e-mail.
}
