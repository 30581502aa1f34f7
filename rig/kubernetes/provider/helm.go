package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli"
	helmkube "helm.sh/helm/v3/pkg/kube"
	"helm.sh/helm/v3/pkg/registry"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/storage/driver"
	"sigs.k8s.io/yaml"
)

const releaseType = "kubernetes:helm.sh/v3:Release"

// releaseSpec is what a Release's inputs ask of Helm (the official
// provider's input names).
type releaseSpec struct {
	name, namespace, chart, version, description string
	repo, caFile, certFile, keyFile              string
	username, password                           string
	values                                       map[string]any
	createNamespace, atomic, skipAwait           bool
	waitForJobs, cleanupOnFail, skipCrds         bool
	disableWebhooks, forceUpdate, recreatePods   bool
	resetValues, reuseValues, devel, replace     bool
	dependencyUpdate, verify, subNotes           bool
	disableOpenAPIValidation                     bool
	keyring                                      string
	timeout                                      time.Duration
	maxHistory                                   int
}

func releaseSpecOf(in property.Map) (releaseSpec, error) {
	m, _ := plainMap(in)
	str := func(mm map[string]any, k string) string { s, _ := mm[k].(string); return s }
	flag := func(k string) bool { b, _ := m[k].(bool); return b }
	num := func(k string) int64 { n, _ := m[k].(int64); return n }
	s := releaseSpec{
		name: str(m, "name"), namespace: str(m, "namespace"), chart: str(m, "chart"),
		version: str(m, "version"), description: str(m, "description"),
		createNamespace: flag("createNamespace"), atomic: flag("atomic"), skipAwait: flag("skipAwait"),
		waitForJobs: flag("waitForJobs"), cleanupOnFail: flag("cleanupOnFail"), skipCrds: flag("skipCrds"),
		disableWebhooks: flag("disableWebhooks"), forceUpdate: flag("forceUpdate"), recreatePods: flag("recreatePods"),
		resetValues: flag("resetValues"), reuseValues: flag("reuseValues"), devel: flag("devel"), replace: flag("replace"),
		dependencyUpdate: flag("dependencyUpdate"), maxHistory: int(num("maxHistory")),
		verify: flag("verify"), subNotes: flag("renderSubchartNotes"), keyring: str(m, "keyring"),
		disableOpenAPIValidation: flag("disableOpenapiValidation"),
		timeout:                  300 * time.Second,
	}
	if t := num("timeout"); t > 0 {
		s.timeout = time.Duration(t) * time.Second
	}
	if ro, ok := m["repositoryOpts"].(map[string]any); ok {
		s.repo, s.caFile, s.certFile, s.keyFile = str(ro, "repo"), str(ro, "caFile"), str(ro, "certFile"), str(ro, "keyFile")
		s.username, s.password = str(ro, "username"), str(ro, "password")
	}
	if s.chart == "" {
		return s, fmt.Errorf("a Release needs a chart: a name in repositoryOpts.repo, an oci:// reference or a local folder")
	}
	// valueYamlFiles first, values over them: the official provider's order.
	s.values = map[string]any{}
	if files, ok := in.GetOk("valueYamlFiles"); ok && files.IsArray() {
		for _, f := range files.AsArray().AsSlice() {
			if !f.IsAsset() {
				continue
			}
			a := f.AsAsset()
			text := a.Text
			if a.Path != "" {
				b, err := os.ReadFile(a.Path)
				if err != nil {
					return s, fmt.Errorf("valueYamlFiles: %w", err)
				}
				text = string(b)
			}
			var v map[string]any
			if err := yaml.Unmarshal([]byte(text), &v); err != nil {
				return s, fmt.Errorf("valueYamlFiles: a file is not YAML: %w", err)
			}
			s.values = chartutil.MergeTables(v, s.values)
		}
	}
	if v, ok := m["values"].(map[string]any); ok {
		s.values = chartutil.MergeTables(jsonish(v).(map[string]any), s.values)
	}
	return s, nil
}

// jsonish gives a chart the numbers `helm install -f values.yaml` would: YAML
// read through JSON makes every number a float64 (printed 3, not 3.0), and
// charts test for it (vault's replicas fall back to 3 for any other kind).
func jsonish(x any) any {
	switch t := x.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, v := range t {
			out[k] = jsonish(v)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = jsonish(v)
		}
		return out
	case int64:
		return float64(t)
	case int:
		return float64(t)
	}
	return x
}

// helmCheck names a release that has no name (<resource>-<8 hex>, at most 53
// characters, kept across updates) and refuses one with no chart.
func (k *kube) helmCheck(r p.CheckRequest) (p.CheckResponse, error) {
	in := r.Inputs
	if c, ok := in.GetOk("chart"); !ok || (c.IsString() && c.AsString() == "") {
		return p.CheckResponse{Failures: []p.CheckFailure{{Property: "chart", Reason: "a Release needs a chart: a chart name with repositoryOpts.repo, an oci:// reference or a local folder"}}}, nil
	}
	if failures := refusedReleaseInputs(in); len(failures) > 0 {
		return p.CheckResponse{Failures: failures}, nil
	}
	if _, ok := in.GetOk("name"); !ok {
		name := ""
		if old, ok := r.State.GetOk("name"); ok && old.IsString() {
			name = old.AsString()
		}
		if name == "" {
			sum := sha256.Sum256(append(append([]byte{}, r.RandomSeed...), []byte(r.Urn)...))
			base := r.Urn.Name()
			if len(base) > 44 {
				base = base[:44]
			}
			name = fmt.Sprintf("%s-%s", base, hex.EncodeToString(sum[:4]))
		}
		in = in.Set("name", property.New(name))
	}
	return p.CheckResponse{Inputs: in}, nil
}

func (k *kube) helmDiff(r p.DiffRequest) (p.DiffResponse, error) {
	oldIn, _ := plainMap(r.OldInputs)
	newIn, unknown := plainMap(r.Inputs)
	detailed := map[string]p.PropertyDiff{}
	for key := range union(oldIn, newIn) {
		if reflect.DeepEqual(oldIn[key], newIn[key]) {
			continue
		}
		kind := p.Update
		if key == "name" || key == "namespace" {
			kind = p.UpdateReplace
		}
		detailed[key] = p.PropertyDiff{Kind: kind, InputDiff: true}
	}
	if unknown && len(detailed) == 0 {
		detailed["values"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	return p.DiffResponse{HasChanges: len(detailed) > 0, DetailedDiff: detailed}, nil
}

// helmConfig is Helm's action configuration on the provider's cluster, the
// release history kept in Secrets of the release's namespace as helm does.
func (k *kube) helmConfig(namespace string) (*action.Configuration, *cli.EnvSettings, error) {
	if err := k.c.init(); err != nil {
		return nil, nil, err
	}
	settings := cli.New()
	settings.SetNamespace(namespace)
	cfg := &action.Configuration{}
	quiet := func(string, ...interface{}) {}
	if err := cfg.Init(restGetter{k.c}, namespace, os.Getenv("HELM_DRIVER"), quiet); err != nil {
		return nil, nil, err
	}
	// Objects without a namespace go to the release's (helm's --namespace), not the kubeconfig's.
	if kc, ok := cfg.KubeClient.(*helmkube.Client); ok {
		kc.Namespace = namespace
	}
	return cfg, settings, nil
}

func (k *kube) releaseNamespace(s releaseSpec) string {
	if s.namespace != "" {
		return s.namespace
	}
	return k.c.defNS
}

// withRegistryClient gives cfg a registry client when the chart is an oci://
// reference: Helm's actions copy it when they are made (NewInstall,
// NewUpgrade), and a chart is looked up through their copy.
func withRegistryClient(cfg *action.Configuration, settings *cli.EnvSettings, s releaseSpec) error {
	if !registry.IsOCI(s.chart) {
		return nil
	}
	rc, err := registryClient(s, settings)
	if err != nil {
		return fmt.Errorf("chart %s: %w", s.chart, err)
	}
	cfg.RegistryClient = rc
	return nil
}

// loadChart finds the chart (a local folder or archive, a repository by URL
// or by the name helm repo add gave it, an oci:// reference), downloading it
// into Helm's cache, and loads it.
func (k *kube) loadChart(settings *cli.EnvSettings, s releaseSpec, opts *action.ChartPathOptions) (*chart.Chart, error) {
	opts.RepoURL, opts.Version, opts.Username, opts.Password = s.repo, s.version, s.username, s.password
	opts.CaFile, opts.CertFile, opts.KeyFile = s.caFile, s.certFile, s.keyFile
	opts.Verify, opts.Keyring = s.verify, s.keyring
	path, err := opts.LocateChart(s.chart, settings)
	if err != nil {
		return nil, fmt.Errorf("chart %s%s cannot be found: %w", s.chart, versionSuffix(s.version), err)
	}
	c, err := loader.Load(path)
	if err != nil {
		return nil, fmt.Errorf("chart %s does not load: %w", s.chart, err)
	}
	if c.Metadata.Type != "" && c.Metadata.Type != "application" {
		return nil, fmt.Errorf("chart %s is a %s chart: only application charts install", s.chart, c.Metadata.Type)
	}
	return c, nil
}

func versionSuffix(v string) string {
	if v == "" {
		return ""
	}
	return "@" + v
}

func (k *kube) helmCreate(ctx context.Context, r p.CreateRequest) (p.CreateResponse, error) {
	_, unknown := plainMap(r.Properties)
	if r.DryRun || unknown {
		return p.CreateResponse{Properties: r.Properties}, nil
	}
	s, err := releaseSpecOf(r.Properties)
	if err != nil {
		return p.CreateResponse{}, err
	}
	ns := k.releaseNamespace(s)
	cfg, settings, err := k.helmConfig(ns)
	if err != nil {
		return p.CreateResponse{}, err
	}
	if err := withRegistryClient(cfg, settings, s); err != nil {
		return p.CreateResponse{}, err
	}
	in := action.NewInstall(cfg)
	in.ReleaseName, in.Namespace, in.CreateNamespace = s.name, ns, s.createNamespace
	// Helm's atomic implies waiting: a release it cannot see ready is rolled back.
	in.Atomic, in.Wait, in.WaitForJobs, in.Timeout = s.atomic, !s.skipAwait || s.atomic, s.waitForJobs, s.timeout
	in.SkipCRDs, in.DisableHooks, in.Replace, in.Devel, in.Description = s.skipCrds, s.disableWebhooks, s.replace, s.devel, s.description
	in.DependencyUpdate, in.SubNotes, in.DisableOpenAPIValidation = s.dependencyUpdate, s.subNotes, s.disableOpenAPIValidation
	c, err := k.loadChart(settings, s, &in.ChartPathOptions)
	if err != nil {
		return p.CreateResponse{}, err
	}
	rel, err := in.RunWithContext(ctx, c, s.values)
	id := ns + "/" + s.name
	if err != nil {
		if s.atomic || rel == nil {
			return p.CreateResponse{}, fmt.Errorf("helm release %s: install failed: %w", id, err)
		}
		// The release exists, failed: it stays in the state, as the official provider keeps it.
		return p.CreateResponse{ID: id, Properties: releaseOutputs(r.Properties, rel, ns), PartialState: &p.InitializationFailed{Reasons: []string{err.Error()}}},
			fmt.Errorf("helm release %s: install failed: %w", id, err)
	}
	return p.CreateResponse{ID: id, Properties: releaseOutputs(r.Properties, rel, ns)}, nil
}

func (k *kube) helmUpdate(ctx context.Context, r p.UpdateRequest) (p.UpdateResponse, error) {
	_, unknown := plainMap(r.Inputs)
	if r.DryRun || unknown {
		return p.UpdateResponse{Properties: r.State}, nil
	}
	s, err := releaseSpecOf(r.Inputs)
	if err != nil {
		return p.UpdateResponse{}, err
	}
	ns := k.releaseNamespace(s)
	cfg, settings, err := k.helmConfig(ns)
	if err != nil {
		return p.UpdateResponse{}, err
	}
	if err := withRegistryClient(cfg, settings, s); err != nil {
		return p.UpdateResponse{}, err
	}
	up := action.NewUpgrade(cfg)
	up.Namespace, up.Atomic, up.Wait, up.WaitForJobs, up.Timeout = ns, s.atomic, !s.skipAwait || s.atomic, s.waitForJobs, s.timeout
	up.CleanupOnFail, up.SkipCRDs, up.DisableHooks, up.Force, up.Recreate = s.cleanupOnFail, s.skipCrds, s.disableWebhooks, s.forceUpdate, s.recreatePods
	up.ResetValues, up.ReuseValues, up.MaxHistory, up.Devel, up.Description = s.resetValues, s.reuseValues, s.maxHistory, s.devel, s.description
	up.DependencyUpdate, up.SubNotes, up.DisableOpenAPIValidation = s.dependencyUpdate, s.subNotes, s.disableOpenAPIValidation
	c, err := k.loadChart(settings, s, &up.ChartPathOptions)
	if err != nil {
		return p.UpdateResponse{}, err
	}
	rel, err := up.RunWithContext(ctx, s.name, c, s.values)
	if err != nil {
		msg := fmt.Errorf("helm release %s/%s: upgrade failed: %w", ns, s.name, err)
		if s.atomic {
			// Rolled back: the state keeps what is running again.
			return p.UpdateResponse{}, msg
		}
		if rel != nil {
			return p.UpdateResponse{Properties: releaseOutputs(r.Inputs, rel, ns), PartialState: &p.InitializationFailed{Reasons: []string{err.Error()}}}, msg
		}
		return p.UpdateResponse{}, msg
	}
	return p.UpdateResponse{Properties: releaseOutputs(r.Inputs, rel, ns)}, nil
}

// releaseOutputs are the inputs with the release's status, as the official
// provider's (name, namespace, revision, status, chart, version, appVersion).
func releaseOutputs(inputs property.Map, rel *release.Release, ns string) property.Map {
	st := map[string]any{
		"name": rel.Name, "namespace": rel.Namespace, "revision": int64(rel.Version),
		"status": rel.Info.Status.String(),
	}
	if rel.Chart != nil && rel.Chart.Metadata != nil {
		st["chart"], st["version"], st["appVersion"] = rel.Chart.Metadata.Name, rel.Chart.Metadata.Version, rel.Chart.Metadata.AppVersion
	}
	out := inputs.Set("status", property.New(toPropertyMap(st)))
	out = out.Set("resourceNames", property.New(toPropertyMap(resourceNames(rel.Manifest))))
	return out.Set("namespace", property.New(ns))
}

func splitID(id string) (string, string) {
	parts := strings.SplitN(id, "/", 2)
	if len(parts) == 2 {
		return parts[0], parts[1]
	}
	return "", id
}

func (k *kube) helmRead(_ context.Context, r p.ReadRequest) (p.ReadResponse, error) {
	ns, name := splitID(r.ID)
	cfg, _, err := k.helmConfig(ns)
	if err != nil {
		return k.unreachableRead(r, err)
	}
	rel, err := action.NewGet(cfg).Run(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return p.ReadResponse{ID: ""}, nil // uninstalled behind our back: it leaves the state
	}
	if err != nil {
		return k.unreachableRead(r, err)
	}
	inputs := r.Inputs
	if inputs.Len() == 0 { // an import: what the release says of itself
		inputs = property.NewMap(map[string]property.Value{"name": property.New(name), "namespace": property.New(ns)})
		if rel.Chart != nil && rel.Chart.Metadata != nil {
			inputs = inputs.Set("chart", property.New(rel.Chart.Metadata.Name)).Set("version", property.New(rel.Chart.Metadata.Version))
		}
	} else if rel.Chart != nil && rel.Chart.Metadata != nil {
		if _, ok := inputs.GetOk("version"); ok {
			// A helm upgrade run by hand to another version shows up as a diff.
			inputs = inputs.Set("version", property.New(rel.Chart.Metadata.Version))
		}
	}
	if _, ok := inputs.GetOk("values"); ok || len(rel.Config) > 0 {
		inputs = inputs.Set("values", property.New(toPropertyMap(unjson(rel.Config).(map[string]any))))
	}
	return p.ReadResponse{ID: r.ID, Inputs: inputs, Properties: releaseOutputs(inputs, rel, ns)}, nil
}

// unjson brings Helm's stored values (float64 and int numbers) back to what
// plain() makes of properties, so an unchanged release has no diff.
func unjson(x any) any {
	switch t := x.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, v := range t {
			out[k] = unjson(v)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = unjson(v)
		}
		return out
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
	case int:
		return int64(t)
	case nil:
		return map[string]any{}
	}
	return x
}

func (k *kube) helmDelete(_ context.Context, r p.DeleteRequest) error {
	ns, name := splitID(r.ID)
	s, _ := releaseSpecOf(r.Properties)
	cfg, _, err := k.helmConfig(ns)
	if err != nil {
		return k.unreachableDelete(err)
	}
	un := action.NewUninstall(cfg)
	un.Wait, un.Timeout, un.IgnoreNotFound = !s.skipAwait, s.timeout, true
	un.DeletionPropagation = "foreground"
	if _, err := un.Run(name); err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return k.unreachableDelete(fmt.Errorf("helm release %s: uninstall failed: %w", r.ID, err))
	}
	return nil
}
