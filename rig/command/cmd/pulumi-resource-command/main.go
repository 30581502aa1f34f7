// The command resource plugin, for @pulumi/command.
package main

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"infra.local/rig/command/local"
)

// Version is set at link time to the @pulumi/command version it serves.
var Version = "0.0.0-dev"

func main() {
	prov, err := infer.NewProviderBuilder().
		WithResources(infer.Resource(local.Command{})).
		WithFunctions(infer.Function(local.Run{})).
		Build()
	if err == nil {
		err = p.RunProvider(context.Background(), "command", Version, prov)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}
