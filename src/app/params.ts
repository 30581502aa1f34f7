// From a template's resolved parameters to what the stack and the registry get.
import type { LoadedTemplate } from "../templates/load.js";
import { SECRET, type ParamValue } from "../templates/params.js";
import type { ConfigValue } from "./ports.js";
import type { Environment, Registry } from "../registry/types.js";
import { UsageError } from "../core/errors.js";
import { parseLocation } from "../core/location.js";
import { LOCATION_KUBECONFIG, LOCATION_NAMESPACE, makesCluster, usesLocation } from "../templates/program.js";
import { providerConfig } from "../../programs/meta/locations/provider-config.js";
import type { AppContext } from "./ports.js";

/**
 * What the location gives the stack, for templates that read it: the
 * cluster's kubeconfig as a secret (infra:locationKubeconfig). Resolved at
 * every operation, so a sandbox started on another port is followed.
 */
export async function locationConfig(ctx: AppContext, t: LoadedTemplate, location: string): Promise<Record<string, ConfigValue>> {
  if (!usesLocation(t.spec)) return {};
  const loc = parseLocation(location);
  const where = { [`${LOCATION_NAMESPACE}:location`]: { value: location, secret: false } };
  if (loc.kind !== "sandbox" && loc.kind !== "kubernetes") {
    // A template that makes its cluster there (meta) gets the cloud's provider settings instead.
    if (makesCluster(t.spec) && loc.kind !== "local") {
      return { ...where, ...Object.fromEntries(Object.entries(providerConfig(loc)).map(([k, v]) => [k, { value: v, secret: false }])) };
    }
    throw new UsageError(`template ${t.spec.id} reads its location's cluster, which ${loc.kind} does not provide: use sandbox or kubernetes[:<context>]`, {
      field: "location",
      allowed: ["sandbox", "kubernetes"],
    });
  }
  if (!ctx.clusters) throw new UsageError(`no cluster is reachable from here for location ${location}`);
  const kubeconfig = await ctx.clusters.kubeconfig(location, (message) => ctx.listen?.({ type: "notice", message }));
  return { ...where, [`${LOCATION_NAMESPACE}:${LOCATION_KUBECONFIG}`]: { value: kubeconfig, secret: true } };
}

/** The stack configuration: every parameter; a secret not given again keeps its encrypted value. */
export function configFor(t: LoadedTemplate, params: Record<string, ParamValue>): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(params)) {
    const secret = !!t.spec.parameters[k]?.secret;
    out[k] = secret && v === SECRET ? "keep" : { value: String(v), secret };
  }
  return out;
}

/**
 * The environments a run reads outputs from (its parameters of type
 * environment), each checked to be deployed. Called under the lock.
 */
export async function upstreams(registry: Registry, t: LoadedTemplate, params: Record<string, ParamValue>): Promise<{ name: string; reason: string }[]> {
  const deps: { name: string; reason: string }[] = [];
  for (const [k, p] of Object.entries(t.spec.parameters)) {
    if (p.type !== "environment") continue;
    const name = String(params[k]);
    const dep: Environment | undefined = await registry.get(name);
    if (!dep || dep.status === "destroyed") throw new UsageError(`there is no environment ${name} to read outputs from`, { field: `params.${k}`, value: name });
    if (dep.status !== "deployed-ok" && dep.status !== "drifted") {
      throw new UsageError(`environment ${name} is ${dep.status}; it must be deployed first`, { field: `params.${k}`, value: name });
    }
    deps.push({ name, reason: `parameter ${k}` });
  }
  return deps;
}
