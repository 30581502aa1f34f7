package provider

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// settings is the provider's configuration (pulumi:providers:kubernetes).
type settings struct {
	kubeconfig string // contents or a path; empty: client-go's default rules
	context    string
	cluster    string
	namespace  string
}

// cluster holds the clients, made on first use: a provider whose cluster is
// unreachable configures fine, and previews return their inputs.
type cluster struct {
	s      settings
	once   sync.Once
	err    error
	cfg    *rest.Config
	cc     clientcmd.ClientConfig
	dyn    dynamic.Interface
	mapper meta.ResettableRESTMapper
	defNS  string
	server string
}

func isContents(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "{") || strings.Contains(t, "\n") || strings.HasPrefix(t, "apiVersion")
}

// clientConfig reads the kubeconfig as kubectl would: contents, a path, or
// $KUBECONFIG and ~/.kube/config.
func (c *cluster) clientConfig() (clientcmd.ClientConfig, error) {
	overrides := &clientcmd.ConfigOverrides{CurrentContext: c.s.context}
	if c.s.cluster != "" {
		overrides.Context.Cluster = c.s.cluster
	}
	if c.s.kubeconfig != "" && isContents(c.s.kubeconfig) {
		raw, err := clientcmd.Load([]byte(c.s.kubeconfig))
		if err != nil {
			return nil, fmt.Errorf("the kubeconfig given to the provider does not parse: %w", err)
		}
		return clientcmd.NewNonInteractiveClientConfig(*raw, c.s.context, overrides, nil), nil
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if c.s.kubeconfig != "" {
		if _, err := os.Stat(c.s.kubeconfig); err != nil {
			return nil, fmt.Errorf("the kubeconfig file %s cannot be read: %w", c.s.kubeconfig, err)
		}
		rules.ExplicitPath = c.s.kubeconfig
	}
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides), nil
}

func (c *cluster) init() error {
	c.once.Do(func() {
		cc, err := c.clientConfig()
		if err != nil {
			c.err = err
			return
		}
		raw, err := cc.RawConfig()
		if err == nil && c.s.context != "" {
			if _, ok := raw.Contexts[c.s.context]; !ok {
				c.err = fmt.Errorf("the kubeconfig has no context %q (it has %s)", c.s.context, contextNames(raw))
				return
			}
		}
		cfg, err := cc.ClientConfig()
		if err != nil {
			c.err = fmt.Errorf("the kubeconfig cannot be used: %w", err)
			return
		}
		// client-go's default (5 per second) throttles a refresh of hundreds of objects.
		cfg.QPS, cfg.Burst = 500, 1000
		c.cfg, c.cc = cfg, cc
		c.server = cfg.Host
		ns, _, _ := cc.Namespace()
		c.defNS = c.s.namespace
		if c.defNS == "" {
			c.defNS = ns
		}
		if c.defNS == "" {
			c.defNS = "default"
		}
		c.dyn, c.err = dynamic.NewForConfig(cfg)
		if c.err != nil {
			return
		}
		dc, err := discovery.NewDiscoveryClientForConfig(cfg)
		if err != nil {
			c.err = err
			return
		}
		c.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	})
	return c.err
}

func contextNames(raw clientcmdapi.Config) string {
	names := []string{}
	for n := range raw.Contexts {
		names = append(names, n)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// mapping finds the REST resource of a kind; a kind not served yet (a custom
// resource whose CRD was just created) is looked up again after a reset.
func (c *cluster) mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil && meta.IsNoMatchError(err) {
		c.mapper.Reset()
		m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	return m, err
}
