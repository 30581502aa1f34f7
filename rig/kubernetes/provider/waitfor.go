package provider

import (
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/util/jsonpath"
)

const waitFor = "pulumi.com/waitFor"

// waitRule is one condition of the pulumi.com/waitFor annotation, which
// replaces the kind's own await rule: "jsonpath={.path}=value" (or just
// "jsonpath={.path}": the field is set), "condition=Type" (status True) or
// "condition=Type=Status"; a JSON list of them must all hold.
type waitRule struct {
	text        string
	path        *jsonpath.JSONPath
	want        string
	hasWant     bool
	condition   string
	conditionIs string
}

func waitRules(annotation string) ([]waitRule, error) {
	items := []string{annotation}
	if strings.HasPrefix(strings.TrimSpace(annotation), "[") {
		if err := json.Unmarshal([]byte(annotation), &items); err != nil {
			return nil, fmt.Errorf("%s is not a JSON list of strings: %w", waitFor, err)
		}
	}
	rules := []waitRule{}
	for _, it := range items {
		it = strings.TrimSpace(it)
		switch {
		case strings.HasPrefix(it, "jsonpath="):
			expr := strings.TrimPrefix(it, "jsonpath=")
			r := waitRule{text: it}
			if end := strings.LastIndex(expr, "}"); end >= 0 && end+1 < len(expr) && expr[end+1] == '=' {
				r.want, r.hasWant = expr[end+2:], true
				expr = expr[:end+1]
			}
			r.path = jsonpath.New("waitFor").AllowMissingKeys(true)
			if err := r.path.Parse(expr); err != nil {
				return nil, fmt.Errorf("%s %q: %w", waitFor, it, err)
			}
			rules = append(rules, r)
		case strings.HasPrefix(it, "condition="):
			parts := strings.SplitN(strings.TrimPrefix(it, "condition="), "=", 2)
			r := waitRule{text: it, condition: parts[0], conditionIs: "True"}
			if len(parts) == 2 {
				r.conditionIs = parts[1]
			}
			if r.condition == "" {
				return nil, fmt.Errorf("%s %q names no condition", waitFor, it)
			}
			rules = append(rules, r)
		default:
			return nil, fmt.Errorf("%s %q: expected jsonpath={...}[=value] or condition=Type[=Status]", waitFor, it)
		}
	}
	return rules, nil
}

func (r waitRule) holds(o *unstructured.Unstructured) bool {
	if r.condition != "" {
		list, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
		for _, c := range list {
			if m, ok := c.(map[string]any); ok && m["type"] == r.condition {
				return strings.EqualFold(fmt.Sprint(m["status"]), r.conditionIs)
			}
		}
		return false
	}
	results, err := r.path.FindResults(o.Object)
	if err != nil {
		return false
	}
	for _, set := range results {
		for _, v := range set {
			if !v.IsValid() || !v.CanInterface() {
				continue
			}
			got := fmt.Sprint(v.Interface())
			if !r.hasWant || got == r.want {
				return true
			}
		}
	}
	return false
}

// waitForReady applies the annotation's rules: ready when all hold.
func waitForReady(o *unstructured.Unstructured, annotation string) (bool, string, error) {
	rules, err := waitRules(annotation)
	if err != nil {
		return false, "", err
	}
	for _, r := range rules {
		if !r.holds(o) {
			return false, r.text, nil
		}
	}
	return true, "", nil
}
