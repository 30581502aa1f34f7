// The Kubernetes resource plugin, for @pulumi/kubernetes.
package main

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"

	"infra.local/rig/kubernetes/provider"
)

// Version is set at link time to the @pulumi/kubernetes version it serves.
var Version = "0.0.0-dev"

func main() {
	if err := p.RunProvider(context.Background(), "kubernetes", Version, provider.New(Version)); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-kubernetes: %v\n", err)
		os.Exit(1)
	}
}
