package provider

import (
	"context"
	"errors"
	"net"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// isUnreachable: the API server cannot be reached at all (as opposed to
// refusing a request), the case deleteUnreachable and skipUpdateUnreachable
// are about.
func isUnreachable(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "no such host", "i/o timeout", "is unreachable", "no route to host"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// unreachableRead: with deleteUnreachable, a refresh against a cluster that is
// gone for good drops the resource from the state (the official provider's
// escape hatch for deleted clusters); otherwise the error.
func (k *kube) unreachableRead(r p.ReadRequest, err error) (p.ReadResponse, error) {
	if k.deleteUnreachable && isUnreachable(err) {
		return p.ReadResponse{ID: ""}, nil
	}
	return p.ReadResponse{}, unreachable(k.serverName(), err)
}

// unreachableDelete: with deleteUnreachable, deleting from an unreachable
// cluster succeeds (the resource leaves the state).
func (k *kube) unreachableDelete(err error) error {
	if k.deleteUnreachable && isUnreachable(err) {
		return nil
	}
	return unreachable(k.serverName(), err)
}

func (k *kube) serverName() string {
	if k.c == nil {
		return ""
	}
	return k.c.server
}

// skipUnreachableUpdate: with skipUpdateUnreachable, an update to an
// unreachable cluster keeps the old state and warns instead of failing.
func (k *kube) skipUnreachableUpdate(ctx context.Context, r p.UpdateRequest, err error) (p.UpdateResponse, error) {
	if k.skipUpdateUnreachable && isUnreachable(err) {
		p.GetLogger(ctx).Warningf("the cluster is unreachable: %s not updated (skipUpdateUnreachable)", r.Urn.Name())
		return p.UpdateResponse{Properties: r.State}, nil
	}
	return p.UpdateResponse{}, unreachable(k.serverName(), err)
}

// restGetter gives Helm the provider's cluster (kubeconfig, context,
// namespace) instead of helm's own flags and environment.
type restGetter struct{ c *cluster }

func (g restGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.c.cfg), nil }

func (g restGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(g.c.cfg)
	if err != nil {
		return nil, err
	}
	return memory.NewMemCacheClient(dc), nil
}

func (g restGetter) ToRESTMapper() (meta.RESTMapper, error) {
	dc, err := g.ToDiscoveryClient()
	if err != nil {
		return nil, err
	}
	return restmapper.NewDeferredDiscoveryRESTMapper(dc), nil
}

func (g restGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig { return g.c.cc }
