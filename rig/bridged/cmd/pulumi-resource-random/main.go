// The random resource plugin, for @pulumi/random.
package main

import (
	"infra.local/rig/bridged/internal/bridge"

	"github.com/terraform-providers/terraform-provider-random/shim"
)

func main() { bridge.Serve(bridge.Info("random", "", shim.NewProvider(), nil)) }
