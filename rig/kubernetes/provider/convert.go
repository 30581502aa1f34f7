package provider

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// plain turns Pulumi property values into JSON-like Go values (what the
// Kubernetes API takes); computed values (a preview's unknowns) become nil and
// are reported, so a preview never sends them.
func plain(v property.Value) (any, bool) {
	switch {
	case v.IsComputed():
		return nil, true
	case v.IsNull():
		return nil, false
	case v.IsBool():
		return v.AsBool(), false
	case v.IsNumber():
		n := v.AsNumber()
		if n == float64(int64(n)) {
			return int64(n), false
		}
		return n, false
	case v.IsString():
		return v.AsString(), false
	case v.IsArray():
		out := []any{}
		unknown := false
		for _, e := range v.AsArray().AsSlice() {
			x, u := plain(e)
			unknown = unknown || u
			out = append(out, x)
		}
		return out, unknown
	case v.IsMap():
		return plainMap(v.AsMap())
	default:
		return nil, false
	}
}

func plainMap(m property.Map) (map[string]any, bool) {
	out := map[string]any{}
	unknown := false
	for k, e := range m.All {
		x, u := plain(e)
		unknown = unknown || u
		if x != nil || !u {
			out[k] = x
		}
	}
	return out, unknown
}

// toProperty turns a JSON-like value (a live object) back into properties.
func toProperty(x any) property.Value {
	switch t := x.(type) {
	case nil:
		return property.New(property.Null)
	case bool:
		return property.New(t)
	case string:
		return property.New(t)
	case int64:
		return property.New(float64(t))
	case int:
		return property.New(float64(t))
	case int32:
		return property.New(float64(t))
	case float64:
		return property.New(t)
	case []any:
		vs := make([]property.Value, 0, len(t))
		for _, e := range t {
			vs = append(vs, toProperty(e))
		}
		return property.New(vs)
	case map[string]any:
		return property.New(toPropertyMap(t))
	default:
		return property.New(fmt.Sprint(t))
	}
}

func toPropertyMap(m map[string]any) property.Map {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]property.Value{}
	for _, k := range keys {
		out[k] = toProperty(m[k])
	}
	return property.NewMap(out)
}
