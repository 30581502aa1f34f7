//go:build tools

// The commands this module builds; the import keeps them in go.mod.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
