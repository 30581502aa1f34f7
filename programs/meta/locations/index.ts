// Where the meta environment's cluster comes from. The cloud locations make
// one; sandbox and kubernetes[:context] use the cluster the location already
// is (its kubeconfig reaches the program as the secret infra:locationKubeconfig).
// Programs import no module of infra's own: the location arrives parsed.
import * as pulumi from "@pulumi/pulumi";
import { awsCluster } from "./aws.js";
import { gcpCluster } from "./gcp.js";
import { openstackCluster, type OpenStackOptions } from "./openstack.js";
import type { MetaCluster } from "./types.js";

export type MetaLocation =
  | { kind: "sandbox" }
  | { kind: "kubernetes"; context?: string }
  | { kind: "gcp"; project: string; region: string }
  | { kind: "aws"; region: string }
  | { kind: "openstack"; cloud: string; region: string; options: Omit<OpenStackOptions, never> };

export { providerConfig } from "./provider-config.js";

export function metaCluster(name: string, loc: MetaLocation): MetaCluster {
  switch (loc.kind) {
    case "gcp":
      return gcpCluster(name, loc.project, loc.region);
    case "aws":
      return awsCluster(name, loc.region);
    case "openstack":
      return openstackCluster(name, loc.region, loc.options);
    case "sandbox":
    case "kubernetes": {
      const kubeconfig = new pulumi.Config("infra").requireSecret("locationKubeconfig");
      return { kubeconfig, endpoint: pulumi.output(loc.kind === "sandbox" ? "the sandbox" : `kubeconfig context ${loc.context ?? "(current)"}`) };
    }
  }
}

export type { MetaCluster } from "./types.js";
