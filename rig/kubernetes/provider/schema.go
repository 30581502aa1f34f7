package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// releaseInputs are the Release inputs this provider acts on.
var releaseInputs = []string{
	"allowNullValues", "atomic", "chart", "cleanupOnFail", "createNamespace", "dependencyUpdate", "description",
	"devel", "disableOpenapiValidation", "disableWebhooks", "forceUpdate", "keyring", "maxHistory", "name",
	"namespace", "recreatePods", "renderSubchartNotes", "replace", "repositoryOpts", "resetValues", "reuseValues",
	"skipAwait", "skipCrds", "timeout", "valueYamlFiles", "values", "verify", "version", "waitForJobs",
	// Outputs the SDK declares as inputs: computed here.
	"manifest", "resourceNames",
}

// releaseRefused are the Release inputs it does not act on: set, they are
// refused at Check rather than silently ignored.
var releaseRefused = map[string]string{
	"disableCRDHooks": "Helm's SDK has no switch for CRD hooks alone",
	"lint":            "lint the chart with helm lint before deploying",
	"postrender":      "a post-renderer runs a program of the user's; not in the offline stand-in",
}

// refusedReleaseInputs fails Check for a refused input that is set.
func refusedReleaseInputs(in property.Map) []p.CheckFailure {
	var out []p.CheckFailure
	keys := make([]string, 0, len(releaseRefused))
	for k := range releaseRefused {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := in.GetOk(k)
		if !ok || v.IsNull() || (v.IsBool() && !v.AsBool()) || (v.IsString() && v.AsString() == "") {
			continue
		}
		out = append(out, p.CheckFailure{Property: k, Reason: fmt.Sprintf("%s is not supported by infra's offline Kubernetes provider (%s); the official plugin supports it", k, releaseRefused[k])})
	}
	return out
}

// getSchema reports what this provider acts on, for the tests that hold the
// SDK's classes against the plugin: the Release with its inputs (refused ones
// described as such) and the provider configuration. Kubernetes objects take
// whatever the API server serves, so they are not listed.
func getSchema(version string) func(context.Context, p.GetSchemaRequest) (p.GetSchemaResponse, error) {
	return func(context.Context, p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		prop := func(name, desc string) map[string]any {
			out := map[string]any{"description": desc}
			switch name {
			case "values", "manifest", "status", "postrender":
				out["$ref"] = "pulumi.json#/Any"
			case "repositoryOpts":
				out["type"], out["additionalProperties"] = "object", map[string]any{"type": "string"}
			case "resourceNames":
				out["type"], out["additionalProperties"] = "object", map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
			case "valueYamlFiles":
				out["type"], out["items"] = "array", map[string]any{"$ref": "pulumi.json#/Asset"}
			case "timeout", "maxHistory":
				out["type"] = "integer"
			case "chart", "version", "name", "namespace", "description", "keyring", "kubeconfig", "context", "cluster":
				out["type"] = "string"
			default:
				out["type"] = "boolean"
			}
			return out
		}
		inputs := map[string]any{}
		for _, k := range releaseInputs {
			inputs[k] = prop(k, "")
		}
		for k, why := range releaseRefused {
			inputs[k] = prop(k, "refused when set: "+why)
		}
		outputs := map[string]any{"status": prop("status", "")}
		for k, v := range inputs {
			outputs[k] = v
		}
		config := map[string]any{}
		for _, k := range []string{"kubeconfig", "context", "cluster", "namespace", "enableServerSideApply", "deleteUnreachable", "skipUpdateUnreachable"} {
			config[k] = prop(k, "")
		}
		s := map[string]any{
			"name":     "kubernetes",
			"version":  version,
			"config":   map[string]any{"variables": config},
			"provider": map[string]any{"inputProperties": config},
			"resources": map[string]any{
				releaseType: map[string]any{"inputProperties": inputs, "properties": outputs},
			},
		}
		b, err := json.Marshal(s)
		return p.GetSchemaResponse{Schema: string(b)}, err
	}
}
