package provider

import (
	"strings"
	"testing"
	"text/template"
)

// Charts are written against the values `helm install -f values.yaml` gives
// them, whose numbers are float64 (YAML read through JSON). Vault's chart
// takes server.ha.replicas only when it is an int64 or a float64 and falls
// back to 3 otherwise: a Go int made every sandbox's Vault three replicas.
func TestValueNumbersAreHelmsYAMLNumbers(t *testing.T) {
	v := jsonish(map[string]any{"server": map[string]any{"ha": map[string]any{"replicas": int64(1)}}, "list": []any{int64(2)}}).(map[string]any)
	replicas := v["server"].(map[string]any)["ha"].(map[string]any)["replicas"]
	if _, ok := replicas.(float64); !ok {
		t.Fatalf("replicas is a %T, want float64 as Helm's YAML values have it", replicas)
	}
	if _, ok := v["list"].([]any)[0].(float64); !ok {
		t.Fatalf("a number in a list is a %T, want float64", v["list"].([]any)[0])
	}
	// The way vault's _helpers.tpl reads it (kindIs, from sprig: reflect's kind name), and how it prints.
	kindIs := func(kind string, x any) bool {
		switch x.(type) {
		case int64:
			return kind == "int64"
		case float64:
			return kind == "float64"
		}
		return false
	}
	tpl := template.Must(template.New("r").Funcs(template.FuncMap{"kindIs": kindIs}).Parse(
		`{{ if or (kindIs "int64" .server.ha.replicas) (kindIs "float64" .server.ha.replicas) }}{{ .server.ha.replicas }}{{ else }}3{{ end }}`))
	var out strings.Builder
	if err := tpl.Execute(&out, v); err != nil {
		t.Fatal(err)
	}
	if out.String() != "1" {
		t.Fatalf("the chart renders replicas %q, want 1", out.String())
	}
}
