package schema_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/s3db-go/s3db/behaviors"
	"github.com/s3db-go/s3db/codec"
	"github.com/s3db-go/s3db/schema"
)

// The whole encoding path of a record, as the store runs it: validate, map to short keys and
// encoded values, split by behavior into S3 metadata and body, and back.
func Example() {
	var attrs codec.Ordered
	_ = json.Unmarshal([]byte(`{"name":"string|required","age":"number|integer|optional","tags":"array|items:string"}`), &attrs)

	v, _ := schema.NewValidator(attrs, schema.ValidatorOptions{AllNestedObjectsOptional: true})
	s, _ := schema.New(attrs, schema.Options{Version: "v1"}) // pass the stored Registry to keep keys stable

	clean, _ := v.Validate(context.Background(), map[string]any{"name": "  Ada ", "age": "36", "tags": []any{"math", "a|b"}})
	mapped, _ := s.Map(clean)
	b, _ := behaviors.Lookup(behaviors.BodyOverflow)
	split, _ := b.Insert(mapped, behaviors.Config{Version: "v1"})
	h := split.Headers()
	fmt.Println(h["0"], h["1"], h["2"], h["_v"])

	st := behaviors.Join(h, split.Body)
	fmt.Println(s.Unmap(st.Fields, st.Map))
	// Output:
	// Ada A math|a\|b v1
	// map[age:36 name:Ada tags:[math a|b]]
}

// Keys come from the persisted registry: removing an attribute burns its index, so a later
// attribute never reads old records' values.
func ExampleNew_registry() {
	var v1, v2 codec.Ordered
	_ = json.Unmarshal([]byte(`{"name":"string","email":"string"}`), &v1)
	_ = json.Unmarshal([]byte(`{"name":"string","city":"string"}`), &v2)
	s1, _ := schema.New(v1, schema.Options{})
	s2, _ := schema.New(v2, schema.Options{Registry: s1.Registry()})
	k, _ := s2.KeyOf("city")
	fmt.Println(k, s2.Registry().Burned[0].Attribute, s2.RegistryChanged())
	// Output: 2 email true
}
