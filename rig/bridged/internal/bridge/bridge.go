// Package bridge serves an upstream plugin-framework Terraform provider as a
// Pulumi resource plugin, with the token layout the published @pulumi/<name>
// SDKs use: every resource in the "index" module, named after the Terraform
// type less a prefix that differs per SDK: @pulumi/random keeps it
// (random_password -> random:index/randomPassword:RandomPassword), @pulumi/tls
// drops it (tls_private_key -> tls:index/privateKey:PrivateKey).
package bridge

import (
	"context"
	"fmt"

	pfprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

// Version is set at link time (-X) to the version of the npm package the
// plugin serves, so the engine finds it under resource-<name>-v<Version>.
var Version = "0.0.0-dev"

// Info builds the bridge's description of the provider.
func Info(name, stripPrefix string, p pfprovider.Provider, fields map[string]map[string]*tfbridge.SchemaInfo) tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:         pftfbridge.ShimProvider(p),
		Name:      name,
		Version:   Version,
		GitHubOrg: "hashicorp",
		Resources: map[string]*tfbridge.ResourceInfo{},
		// Official providers embed the bridge-metadata.json their tfgen step
		// writes (alias history, schema fixups). We have no history to keep,
		// and without the runtime marker the bridge derives the fixups from
		// the schema as it starts, exactly as tfgen would.
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),
	}
	for tfName, f := range fields {
		info.Resources[tfName] = &tfbridge.ResourceInfo{Fields: f}
	}
	info.MustComputeTokens(tokens.SingleModule(stripPrefix, "index", tokens.MakeStandard(name)))
	return info
}

// Serve runs the plugin. The package schema is generated in-process on the
// first GetSchema call: the engine rarely asks for it, and generating it at
// build time would need a second binary and a second build step.
func Serve(info tfbridge.ProviderInfo) {
	meta := pftfbridge.ProviderMetadata{
		XGetSchema: func(ctx context.Context, _ plugin.GetSchemaRequest) ([]byte, error) {
			res, err := pftfgen.GenerateSchema(ctx, pftfgen.GenerateSchemaOptions{
				ProviderInfo:  info,
				XInMemoryDocs: true,
			})
			if err != nil {
				return nil, fmt.Errorf("generating the %s schema: %w", info.Name, err)
			}
			return res.ProviderMetadata.PackageSchema, nil
		},
	}
	pftfbridge.Main(context.Background(), info.Name, info, meta)
}
