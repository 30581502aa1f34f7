package provider

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// ready says whether an object is ready by the official provider's rules for
// its kind (others are ready at once), and if not, what it waits for.
func (k *kube) ready(ctx context.Context, o *unstructured.Unstructured) (bool, string, error) {
	if a, ok := o.GetAnnotations()[waitFor]; ok {
		return waitForReady(o, a)
	}
	i := func(path ...string) int64 {
		v, _, _ := unstructured.NestedInt64(o.Object, path...)
		return v
	}
	s := func(path ...string) string {
		v, _, _ := unstructured.NestedString(o.Object, path...)
		return v
	}
	cond := func(t string) string {
		list, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
		for _, c := range list {
			if m, ok := c.(map[string]any); ok && m["type"] == t {
				return fmt.Sprint(m["status"])
			}
		}
		return ""
	}
	replicas := func() int64 {
		if v, found, _ := unstructured.NestedInt64(o.Object, "spec", "replicas"); found {
			return v
		}
		return 1
	}
	lbAddress := func() bool {
		list, _, _ := unstructured.NestedSlice(o.Object, "status", "loadBalancer", "ingress")
		return len(list) > 0
	}
	switch o.GetKind() {
	case "Deployment":
		want := replicas()
		if i("status", "observedGeneration") < o.GetGeneration() {
			return false, "the Deployment's new generation to be observed", nil
		}
		if i("status", "updatedReplicas") < want || i("status", "availableReplicas") < want || i("status", "readyReplicas") < want {
			return false, fmt.Sprintf("%d of %d replicas ready and available", i("status", "availableReplicas"), want), nil
		}
		if want > 0 && cond("Available") != "True" {
			return false, "the Deployment to become Available", nil
		}
		return true, "", nil
	case "StatefulSet":
		want := replicas()
		if i("status", "readyReplicas") < want || (s("status", "updateRevision") != "" && s("status", "updateRevision") != s("status", "currentRevision")) {
			return false, fmt.Sprintf("%d of %d replicas ready at the current revision", i("status", "readyReplicas"), want), nil
		}
		return true, "", nil
	case "DaemonSet":
		if i("status", "observedGeneration") < o.GetGeneration() || i("status", "numberReady") < i("status", "desiredNumberScheduled") {
			return false, fmt.Sprintf("%d of %d pods ready", i("status", "numberReady"), i("status", "desiredNumberScheduled")), nil
		}
		return true, "", nil
	case "Pod":
		if s("status", "phase") == "Succeeded" || (s("status", "phase") == "Running" && cond("Ready") == "True") {
			return true, "", nil
		}
		return false, "the Pod to be Running and Ready", nil
	case "Job":
		if cond("Failed") == "True" {
			return false, "", fmt.Errorf("the Job failed")
		}
		return cond("Complete") == "True", "the Job to complete", nil
	case "PersistentVolumeClaim":
		return s("status", "phase") == "Bound", "the claim to be Bound", nil
	case "Ingress":
		return lbAddress(), "an address in .status.loadBalancer (an ingress controller)", nil
	case "Service":
		typ := s("spec", "type")
		if typ == "ExternalName" || s("spec", "clusterIP") == "None" {
			return true, "", nil
		}
		if typ == "LoadBalancer" && !lbAddress() {
			return false, "an address in .status.loadBalancer", nil
		}
		sel, _, _ := unstructured.NestedMap(o.Object, "spec", "selector")
		if len(sel) == 0 {
			return true, "", nil
		}
		return k.hasEndpoints(ctx, o)
	}
	return true, "", nil
}

// hasEndpoints: a Service with a selector is ready when a pod backs it. With
// no pod matching the selector yet there is nothing to wait for: the pods
// often come from a workload declared after the Service (a StatefulSet names
// its Service), and waiting would deadlock the program.
func (k *kube) hasEndpoints(ctx context.Context, svc *unstructured.Unstructured) (bool, string, error) {
	sel, _, _ := unstructured.NestedStringMap(svc.Object, "spec", "selector")
	pods, err := k.c.dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).Namespace(svc.GetNamespace()).List(ctx, metav1.ListOptions{LabelSelector: labels.SelectorFromSet(sel).String()})
	if err != nil {
		return false, "", err
	}
	if len(pods.Items) == 0 {
		return true, "", nil
	}
	gvr := schema.GroupVersionResource{Group: "discovery.k8s.io", Version: "v1", Resource: "endpointslices"}
	list, err := k.c.dyn.Resource(gvr).Namespace(svc.GetNamespace()).List(ctx, metav1.ListOptions{LabelSelector: "kubernetes.io/service-name=" + svc.GetName()})
	if err != nil {
		return false, "", err
	}
	for _, es := range list.Items {
		eps, _, _ := unstructured.NestedSlice(es.Object, "endpoints")
		if len(eps) > 0 {
			return true, "", nil
		}
	}
	return false, "a ready pod behind the Service (its endpoints)", nil
}

// await polls the object until it is ready or the timeout passes; on timeout
// the last state it saw and why it is not ready.
func (k *kube) await(ctx context.Context, rc dynamic.ResourceInterface, live *unstructured.Unstructured, timeout time.Duration) (*unstructured.Unstructured, string, error) {
	end := time.Now().Add(timeout)
	cur := live
	for {
		ok, why, err := k.ready(ctx, cur)
		if err != nil {
			return cur, why, fmt.Errorf("%s %s failed: %w", cur.GetKind(), idOf(cur), err)
		}
		if ok {
			return cur, "", nil
		}
		if time.Now().After(end) {
			return cur, why, fmt.Errorf("%s %s was created, but did not become ready within %s: waiting for %s", cur.GetKind(), idOf(cur), timeout, why)
		}
		select {
		case <-ctx.Done():
			return cur, why, ctx.Err()
		case <-time.After(time.Second):
		}
		next, err := rc.Get(ctx, cur.GetName(), metav1.GetOptions{})
		if err == nil {
			cur = next
		}
	}
}
