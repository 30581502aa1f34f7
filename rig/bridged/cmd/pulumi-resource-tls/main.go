// The tls resource plugin, for @pulumi/tls.
package main

import (
	"infra.local/rig/bridged/internal/bridge"

	"github.com/hashicorp/terraform-provider-tls/shim"
)

func main() { bridge.Serve(bridge.Info("tls", "tls_", shim.NewProvider(), nil)) }
