// Package provider is our stand-in for the official Kubernetes provider:
// every kubernetes:<group>/<version>:<Kind> resource through client-go's
// dynamic client (custom resources included), with the official provider's
// auto-naming, replacement rules, await rules and delete semantics where a
// program or a user would notice. See ../README.md for what differs.
package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/jsonmergepatch"
	"k8s.io/client-go/dynamic"
)

const (
	fieldManager   = "pulumi-kubernetes"
	autonamed      = "pulumi.com/autonamed"
	skipAwait      = "pulumi.com/skipAwait"
	timeoutSeconds = "pulumi.com/timeoutSeconds"
	defaultTimeout = 10 * time.Minute
)

// New is the provider, configured by the engine before any resource call.
func New(version string) p.Provider {
	k := &kube{}
	return p.Provider{
		GetSchema: getSchema(version),
		CheckConfig: func(_ context.Context, r p.CheckRequest) (p.CheckResponse, error) {
			return p.CheckResponse{Inputs: r.Inputs}, nil
		},
		DiffConfig: k.diffConfig,
		Configure:  k.configure,
		Check:      k.check,
		Diff:       k.diff,
		Create:     k.create,
		Read:       k.read,
		Update:     k.update,
		Delete:     k.delete,
		Construct: func(_ context.Context, r p.ConstructRequest) (p.ConstructResponse, error) {
			return p.ConstructResponse{}, fmt.Errorf("%s is a component the official Kubernetes provider builds (yaml/v2, helm.sh/v4 Chart, kustomize/v2); infra's offline stand-in does not: use the official plugin (pulumi plugin install resource kubernetes 4.32.0 on a machine with internet)", r.Urn.Type())
		},
	}
}

type kube struct {
	c *cluster
	// The official provider's escape hatches for clusters that are gone.
	deleteUnreachable, skipUpdateUnreachable bool
	// false: updates by a three-way merge patch (the client-side apply of kubectl).
	serverSideApply bool
}

// configBool reads a provider setting given as a boolean or a string (the
// SDKs send either), then its PULUMI_K8S_* variable, then the default.
func configBool(m property.Map, key, env string, def bool) bool {
	if v, ok := m.GetOk(key); ok {
		if v.IsBool() {
			return v.AsBool()
		}
		if v.IsString() && v.AsString() != "" {
			return v.AsString() == "true"
		}
	}
	if e := os.Getenv(env); e != "" {
		return e == "true"
	}
	return def
}

func configString(m property.Map, key string) string {
	v, ok := m.GetOk(key)
	if !ok || !v.IsString() {
		return ""
	}
	return v.AsString()
}

func (k *kube) configure(_ context.Context, r p.ConfigureRequest) error {
	s := settings{
		kubeconfig: configString(r.Args, "kubeconfig"),
		context:    configString(r.Args, "context"),
		cluster:    configString(r.Args, "cluster"),
		namespace:  configString(r.Args, "namespace"),
	}
	if s.kubeconfig == "" {
		s.kubeconfig = r.Variables["kubernetes:config:kubeconfig"]
	}
	k.c = &cluster{s: s}
	k.deleteUnreachable = configBool(r.Args, "deleteUnreachable", "PULUMI_K8S_DELETE_UNREACHABLE", false)
	k.skipUpdateUnreachable = configBool(r.Args, "skipUpdateUnreachable", "PULUMI_K8S_SKIP_UPDATE_UNREACHABLE", false)
	k.serverSideApply = configBool(r.Args, "enableServerSideApply", "PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY", true)
	return nil
}

// A provider whose cluster moves (another server) replaces every resource on
// it; any other change (a rotated credential, a new namespace default) does not.
func (k *kube) diffConfig(_ context.Context, r p.DiffRequest) (p.DiffResponse, error) {
	server := func(m property.Map) string {
		c := &cluster{s: settings{kubeconfig: configString(m, "kubeconfig"), context: configString(m, "context"), cluster: configString(m, "cluster")}}
		cc, err := c.clientConfig()
		if err != nil {
			return ""
		}
		cfg, err := cc.ClientConfig()
		if err != nil {
			return ""
		}
		return cfg.Host
	}
	oldS, newS := server(r.OldInputs), server(r.Inputs)
	changed := !r.OldInputs.AsMap()["kubeconfig"].Equals(r.Inputs.Get("kubeconfig")) ||
		configString(r.OldInputs, "context") != configString(r.Inputs, "context") ||
		configString(r.OldInputs, "namespace") != configString(r.Inputs, "namespace")
	if !changed {
		return p.DiffResponse{}, nil
	}
	kind := p.Update
	if oldS != newS && oldS != "" && newS != "" {
		kind = p.UpdateReplace
	}
	return p.DiffResponse{HasChanges: true, DetailedDiff: map[string]p.PropertyDiff{"kubeconfig": {Kind: kind, InputDiff: true}}}, nil
}

// gvk reads kubernetes:<group>/<version>:<Kind>; the group core is the empty group.
func gvk(t string) (schema.GroupVersionKind, error) {
	parts := strings.Split(t, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return schema.GroupVersionKind{}, fmt.Errorf("%s is not a Kubernetes resource type", t)
	}
	gv, err := schema.ParseGroupVersion(parts[1])
	if err != nil {
		return schema.GroupVersionKind{}, err
	}
	if gv.Group == "core" {
		gv.Group = ""
	}
	return gv.WithKind(parts[2]), nil
}

func objectOf(m property.Map) (*unstructured.Unstructured, bool) {
	obj, unknown := plainMap(m)
	delete(obj, "status")
	return &unstructured.Unstructured{Object: obj}, unknown
}

func (k *kube) check(_ context.Context, r p.CheckRequest) (p.CheckResponse, error) {
	t := string(r.Urn.Type())
	if t == releaseType {
		return k.helmCheck(r)
	}
	g, err := gvk(t)
	if err != nil {
		return p.CheckResponse{}, err
	}
	if strings.HasSuffix(g.Kind, "List") {
		return p.CheckResponse{Failures: []p.CheckFailure{{Property: "kind", Reason: fmt.Sprintf("%s is a list: declare each item as a resource of its own", g.Kind)}}}, nil
	}
	in := r.Inputs
	md := property.NewMap(nil)
	if v, ok := in.GetOk("metadata"); ok && v.IsMap() {
		md = v.AsMap()
	}
	_, hasName := md.GetOk("name")
	_, hasGenerate := md.GetOk("generateName")
	if !hasName && !hasGenerate {
		// <URN name>-<8 hex>, kept across updates; the annotation says infra chose it.
		name := ""
		if old, ok := r.State.GetOk("metadata"); ok && old.IsMap() {
			if n, ok := old.AsMap().GetOk("name"); ok && n.IsString() {
				if a, ok := old.AsMap().GetOk("annotations"); ok && a.IsMap() && a.AsMap().Get(autonamed).IsString() {
					name = n.AsString()
				}
			}
		}
		if name == "" {
			// The engine's seed keeps a preview's name and the run's the same; without one, random.
			seed := r.RandomSeed
			if len(seed) < 4 {
				seed = make([]byte, 4)
				if _, err := rand.Read(seed); err != nil {
					return p.CheckResponse{}, err
				}
			}
			sum := sha256.Sum256(append(append([]byte{}, seed...), []byte(r.Urn)...))
			name = fmt.Sprintf("%s-%s", r.Urn.Name(), hex.EncodeToString(sum[:4]))
		}
		md = md.Set("name", property.New(name))
		ann := property.NewMap(nil)
		if a, ok := md.GetOk("annotations"); ok && a.IsMap() {
			ann = a.AsMap()
		}
		md = md.Set("annotations", property.New(ann.Set(autonamed, property.New("true"))))
		in = in.Set("metadata", property.New(md))
	}
	return p.CheckResponse{Inputs: in}, nil
}

// Fields a change of which replaces the object (the API server refuses to
// change them, or the official provider replaces on them).
var replaceOn = map[string][][]string{
	"Deployment":            {{"spec", "selector"}},
	"DaemonSet":             {{"spec", "selector"}},
	"StatefulSet":           {{"spec", "selector"}, {"spec", "serviceName"}, {"spec", "volumeClaimTemplates"}, {"spec", "podManagementPolicy"}},
	"Job":                   {{"spec", "template"}, {"spec", "selector"}, {"spec", "completions"}, {"spec", "parallelism"}},
	"PersistentVolumeClaim": {{"spec", "accessModes"}, {"spec", "storageClassName"}, {"spec", "volumeName"}, {"spec", "selector"}},
	"Service":               {{"spec", "clusterIP"}},
	"RoleBinding":           {{"roleRef"}},
	"ClusterRoleBinding":    {{"roleRef"}},
	"StorageClass":          {{"parameters"}, {"provisioner"}},
	"ConfigMap":             {{"data"}, {"binaryData"}},
	"Secret":                {{"data"}, {"stringData"}, {"type"}},
	"Pod":                   {{"spec"}},
}

func dig(m map[string]any, path []string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func (k *kube) diff(_ context.Context, r p.DiffRequest) (p.DiffResponse, error) {
	if string(r.Urn.Type()) == releaseType {
		return k.helmDiff(r)
	}
	g, err := gvk(string(r.Urn.Type()))
	if err != nil {
		return p.DiffResponse{}, err
	}
	oldIn, _ := plainMap(r.OldInputs)
	newIn, unknown := plainMap(r.Inputs)
	detailed := map[string]p.PropertyDiff{}
	replace := false
	for _, path := range append([][]string{{"metadata", "name"}, {"metadata", "namespace"}}, replaceOn[g.Kind]...) {
		a, b := dig(oldIn, path), dig(newIn, path)
		if !reflect.DeepEqual(a, b) && !(unknown && b == nil) {
			detailed[strings.Join(path, ".")] = p.PropertyDiff{Kind: p.UpdateReplace, InputDiff: true}
			replace = true
		}
	}
	for key := range union(oldIn, newIn) {
		if key == "status" {
			continue
		}
		a, b := oldIn[key], newIn[key]
		if reflect.DeepEqual(a, b) {
			continue
		}
		if _, ok := detailed[key]; !ok && !hasPrefixKey(detailed, key) {
			detailed[key] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
		}
	}
	if unknown && len(detailed) == 0 {
		detailed["spec"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	resp := p.DiffResponse{HasChanges: len(detailed) > 0, DetailedDiff: detailed}
	// A name the user set, kept: the old object must go before the new one can take it.
	if replace {
		oldName, newName := dig(oldIn, []string{"metadata", "name"}), dig(newIn, []string{"metadata", "name"})
		userNamed := dig(newIn, []string{"metadata", "annotations", autonamed}) == nil
		resp.DeleteBeforeReplace = userNamed && reflect.DeepEqual(oldName, newName)
	}
	return resp, nil
}

func union(a, b map[string]any) map[string]struct{} {
	out := map[string]struct{}{}
	for k := range a {
		out[k] = struct{}{}
	}
	for k := range b {
		out[k] = struct{}{}
	}
	return out
}

func hasPrefixKey(m map[string]p.PropertyDiff, key string) bool {
	for k := range m {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// client is the object's REST client, in its namespace (the default one
// filled in for namespaced kinds), with the kind's retry while a CRD is not
// served yet.
func (k *kube) client(ctx context.Context, obj *unstructured.Unstructured) (dynamic.ResourceInterface, *meta.RESTMapping, error) {
	if err := k.c.init(); err != nil {
		return nil, nil, err
	}
	g := obj.GroupVersionKind()
	var m *meta.RESTMapping
	var err error
	for i := 0; i < 10; i++ {
		if m, err = k.c.mapping(g); err == nil || !meta.IsNoMatchError(err) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
	if err != nil {
		if meta.IsNoMatchError(err) {
			return nil, nil, fmt.Errorf("the cluster at %s does not serve %s (is its CRD installed?)", k.c.server, g.String())
		}
		return nil, nil, unreachable(k.c.server, err)
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		if obj.GetNamespace() == "" {
			obj.SetNamespace(k.c.defNS)
		}
		return k.c.dyn.Resource(m.Resource).Namespace(obj.GetNamespace()), m, nil
	}
	obj.SetNamespace("")
	return k.c.dyn.Resource(m.Resource), m, nil
}

func unreachable(server string, err error) error {
	if isUnreachable(err) && !strings.Contains(err.Error(), "is unreachable") {
		return fmt.Errorf("configured Kubernetes cluster is unreachable (%s): %w", server, err)
	}
	return err
}

func idOf(obj *unstructured.Unstructured) string {
	if obj.GetNamespace() == "" {
		return obj.GetName()
	}
	return obj.GetNamespace() + "/" + obj.GetName()
}

// outputs: the live object; a Secret's data is secret.
func outputs(live *unstructured.Unstructured) property.Map {
	out := toPropertyMap(live.Object)
	if live.GetKind() == "Secret" {
		for _, key := range []string{"data", "stringData"} {
			if v, ok := out.GetOk(key); ok {
				out = out.Set(key, v.WithSecret(true))
			}
		}
	}
	return out
}

func timeoutOf(obj *unstructured.Unstructured, requested float64) time.Duration {
	if s, ok := obj.GetAnnotations()[timeoutSeconds]; ok {
		var n int
		if _, err := fmt.Sscan(s, &n); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	if requested > 0 {
		return time.Duration(requested * float64(time.Second))
	}
	return defaultTimeout
}

func (k *kube) create(ctx context.Context, r p.CreateRequest) (p.CreateResponse, error) {
	if string(r.Urn.Type()) == releaseType {
		return k.helmCreate(ctx, r)
	}
	obj, unknown := objectOf(r.Properties)
	if r.DryRun || unknown {
		return p.CreateResponse{ID: "", Properties: r.Properties}, nil
	}
	rc, _, err := k.client(ctx, obj)
	if err != nil {
		return p.CreateResponse{}, err
	}
	live, err := rc.Create(ctx, obj, metav1.CreateOptions{FieldManager: fieldManager})
	if err != nil {
		if apierrors.IsAlreadyExists(err) {
			return p.CreateResponse{}, fmt.Errorf("%s %s already exists: import it (pulumi import), delete it, or let infra name it (leave metadata.name out)", obj.GetKind(), idOf(obj))
		}
		return p.CreateResponse{}, rejected(obj, err)
	}
	return k.settle(ctx, rc, live, timeoutOf(obj, r.Timeout))
}

func (k *kube) update(ctx context.Context, r p.UpdateRequest) (p.UpdateResponse, error) {
	if string(r.Urn.Type()) == releaseType {
		return k.helmUpdate(ctx, r)
	}
	obj, unknown := objectOf(r.Inputs)
	if r.DryRun || unknown {
		return p.UpdateResponse{Properties: r.State}, nil
	}
	rc, _, err := k.client(ctx, obj)
	if err != nil {
		return k.skipUnreachableUpdate(ctx, r, err)
	}
	var live *unstructured.Unstructured
	if k.serverSideApply {
		// Server-side apply, taking over the fields other managers hold (kubectl edits included).
		live, err = rc.Apply(ctx, obj.GetName(), obj, metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
	} else {
		live, err = k.mergeUpdate(ctx, rc, r.OldInputs, obj)
	}
	if err != nil {
		if isUnreachable(err) {
			return k.skipUnreachableUpdate(ctx, r, err)
		}
		return p.UpdateResponse{}, rejected(obj, err)
	}
	res, err := k.settle(ctx, rc, live, timeoutOf(obj, r.Timeout))
	return p.UpdateResponse{Properties: res.Properties, PartialState: res.PartialState}, err
}

// rejected is the API server's own message, naming the object.
func rejected(obj *unstructured.Unstructured, err error) error {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return fmt.Errorf("the API server refused %s %s: %s", obj.GetKind(), idOf(obj), status.Status().Message)
	}
	return err
}

// settle awaits readiness (unless skipAwait); on timeout the object stays in
// the state with a partial error, as the official provider does.
func (k *kube) settle(ctx context.Context, rc dynamic.ResourceInterface, live *unstructured.Unstructured, timeout time.Duration) (p.CreateResponse, error) {
	id := idOf(live)
	if live.GetAnnotations()[skipAwait] == "true" {
		return p.CreateResponse{ID: id, Properties: outputs(live)}, nil
	}
	final, _, err := k.await(ctx, rc, live, timeout)
	if err != nil {
		// The object exists: it stays in the state, with the reason (the framework wants both).
		return p.CreateResponse{ID: id, Properties: outputs(final), PartialState: &p.InitializationFailed{Reasons: []string{err.Error()}}}, err
	}
	return p.CreateResponse{ID: id, Properties: outputs(final)}, nil
}

func (k *kube) read(ctx context.Context, r p.ReadRequest) (p.ReadResponse, error) {
	if string(r.Urn.Type()) == releaseType {
		return k.helmRead(ctx, r)
	}
	obj, _ := objectOf(r.Properties)
	if obj.GetName() == "" {
		parts := strings.SplitN(r.ID, "/", 2)
		if len(parts) == 2 {
			obj.SetNamespace(parts[0])
			obj.SetName(parts[1])
		} else {
			obj.SetName(r.ID)
		}
	}
	if obj.GetKind() == "" {
		g, err := gvk(string(r.Urn.Type()))
		if err != nil {
			return p.ReadResponse{}, err
		}
		obj.SetGroupVersionKind(g)
	}
	rc, _, err := k.client(ctx, obj)
	if err != nil {
		return k.unreachableRead(r, err)
	}
	live, err := rc.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return p.ReadResponse{ID: ""}, nil // gone: the resource leaves the state
	}
	if err != nil {
		return k.unreachableRead(r, err)
	}
	// The inputs become the live object pruned to the old inputs' shape, so a
	// field changed with kubectl shows up as a diff on the next preview.
	oldIn, _ := plainMap(r.Inputs)
	inputs := r.Inputs
	if len(oldIn) > 0 {
		inputs = toPropertyMap(prune(live.Object, oldIn).(map[string]any))
	}
	return p.ReadResponse{ID: idOf(live), Properties: outputs(live), Inputs: inputs}, nil
}

// prune keeps of the live value only what the inputs had.
func prune(live any, shape any) any {
	lm, ok1 := live.(map[string]any)
	sm, ok2 := shape.(map[string]any)
	if ok1 && ok2 {
		out := map[string]any{}
		for k, sv := range sm {
			if lv, ok := lm[k]; ok {
				out[k] = prune(lv, sv)
			}
		}
		return out
	}
	la, ok1 := live.([]any)
	sa, ok2 := shape.([]any)
	if ok1 && ok2 && len(la) == len(sa) {
		out := make([]any, len(la))
		for i := range la {
			out[i] = prune(la[i], sa[i])
		}
		return out
	}
	return live
}

func (k *kube) delete(ctx context.Context, r p.DeleteRequest) error {
	if string(r.Urn.Type()) == releaseType {
		return k.helmDelete(ctx, r)
	}
	obj, _ := objectOf(r.Properties)
	if obj.GetName() == "" {
		return nil
	}
	rc, _, err := k.client(ctx, obj)
	if err != nil {
		return k.unreachableDelete(err)
	}
	policy := metav1.DeletePropagationForeground
	if v := obj.GetAnnotations()["pulumi.com/deletionPropagationPolicy"]; v != "" {
		policy = metav1.DeletionPropagation(strings.ToUpper(v[:1]) + v[1:])
	}
	if err := rc.Delete(ctx, obj.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return k.unreachableDelete(err)
	}
	timeout := timeoutOf(obj, r.Timeout)
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		_, err := rc.Get(ctx, obj.GetName(), metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s %s was not gone %s after its deletion (a finalizer waiting?)", obj.GetKind(), idOf(obj), timeout)
}

// mergeUpdate is the update when server-side apply is off: a three-way merge
// patch from the old inputs, the new inputs and the live object, so fields
// removed from the program are removed and others' fields are kept.
func (k *kube) mergeUpdate(ctx context.Context, rc dynamic.ResourceInterface, oldInputs property.Map, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	live, err := rc.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	old, _ := objectOf(oldInputs)
	original, err := json.Marshal(old.Object)
	if err != nil {
		return nil, err
	}
	modified, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	current, err := json.Marshal(live.Object)
	if err != nil {
		return nil, err
	}
	patch, err := jsonmergepatch.CreateThreeWayJSONMergePatch(original, modified, current)
	if err != nil {
		return nil, err
	}
	return rc.Patch(ctx, obj.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: fieldManager})
}
