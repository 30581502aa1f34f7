package provider

import (
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"
)

// resourceNames groups the objects of a release's manifest by
// "Kind[.group]/apiVersion" (the key the official provider's resourceNames
// output uses), each a sorted list of "namespace/name", or "name" where the
// chart leaves the namespace to the release.
func resourceNames(manifest string) map[string]any {
	sets := map[string]map[string]bool{}
	for _, doc := range releaseutil.SplitManifests(manifest) {
		var obj struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil || obj.Kind == "" || obj.APIVersion == "" {
			continue // an empty document, or one Helm itself would have refused
		}
		kind := obj.Kind
		if group, _, ok := strings.Cut(obj.APIVersion, "/"); ok {
			kind += "." + group
		}
		key := kind + "/" + obj.APIVersion
		name := obj.Metadata.Name
		if obj.Metadata.Namespace != "" {
			name = obj.Metadata.Namespace + "/" + name
		}
		if sets[key] == nil {
			sets[key] = map[string]bool{}
		}
		sets[key][name] = true
	}
	out := make(map[string]any, len(sets))
	for key, set := range sets {
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		list := make([]any, len(names))
		for i, n := range names {
			list[i] = n
		}
		out[key] = list
	}
	return out
}
