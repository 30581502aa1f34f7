// The meta environment's cluster, from its location (stack config
// infra:location, set by infra): the sandbox's or a kubeconfig context's
// (infra:locationKubeconfig), or one a cloud location makes.
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { clusterArgs } from "./args.js";
import { metaCluster, type MetaLocation } from "../locations/index.js";
import type { OpenStackOptions } from "../locations/openstack.js";

/** The location text infra checked (src/core/location.ts), read again here: programs import no module of infra's own. */
export function metaLocation(text: string, options: Record<string, unknown>): MetaLocation {
  const [kind, rest = ""] = [text.split(":", 1)[0]!, text.slice(text.indexOf(":") + 1)];
  switch (kind) {
    case "gcp": {
      const [project, region] = rest.split("/");
      return { kind, project: project!, region: region! };
    }
    case "aws":
      return { kind, region: rest };
    case "openstack": {
      const [cloud, region] = rest.split("/");
      return { kind, cloud: cloud!, region: region!, options: options as unknown as OpenStackOptions };
    }
    case "kubernetes":
      return text.includes(":") ? { kind, context: rest } : { kind };
    default:
      return { kind: "sandbox" };
  }
}

export const cluster: ComponentFactory = (name, inputs) => {
  const a = withDefaults(clusterArgs, inputs);
  const parent = new Group("infra:meta:Cluster", name);
  const config = new pulumi.Config("infra");
  const text = config.get("location") ?? "sandbox";
  const options = a.options ? (JSON.parse(String(a.options)) as Record<string, unknown>) : {};
  const loc = metaLocation(text, options);
  // Named after the environment (meta), not the component: the cloud's resources and their
  // physical names (meta-infra, <project>-infra-meta-state) say what they belong to.
  const c = metaCluster(pulumi.getStack(), loc);
  const cloud = loc.kind;
  const region = "region" in loc ? loc.region : "local";
  parent.finish({ endpoint: c.endpoint });
  return {
    kubeconfig: pulumi.secret(c.kubeconfig),
    endpoint: c.endpoint,
    unseal: c.unseal as never,
    cloud: pulumi.output(cloud),
    region: pulumi.output(region),
    ...(c.api && {
      ...(c.api.repository && { imageRepository: c.api.repository }),
      ...(c.api.login && { registryLogin: pulumi.secret(c.api.login) }),
      stateBackend: c.api.stateBackend,
      ...(c.api.serviceAccountAnnotations && { apiAnnotations: c.api.serviceAccountAnnotations }),
      ...(c.api.stateCredentials && { stateCredentials: pulumi.secret(c.api.stateCredentials) }),
    }),
  };
};
