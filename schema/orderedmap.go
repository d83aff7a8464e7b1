package schema

// orderedMap is a map that remembers insertion order, like a JavaScript object with string keys:
// the registry mapping and the validator's records both must be written back in the order they
// were built.
type orderedMap[V any] struct {
	keys []string
	vals map[string]V
}

func (o *orderedMap[V]) get(k string) (V, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *orderedMap[V]) set(k string, v V) {
	if o.vals == nil {
		o.vals = map[string]V{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *orderedMap[V]) del(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, x := range o.keys {
		if x == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}
