// Reading what the registry keeps from a stack: outputs (secrets as flags
// only) and resources (from the exported state).
import type { OutputValue, ResourceRecord } from "../registry/types.js";

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  parent?: string;
  dependencies?: string[];
  pendingReplacement?: boolean;
  delete?: boolean;
}

export function outputsForRegistry(
  outputs: Record<string, { value: unknown; secret: boolean }>,
  kinds: Record<string, OutputValue["kind"]> = {},
): Record<string, OutputValue> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, o]) => [k, { ...(o.secret ? {} : { value: o.value }), secret: o.secret, ...(kinds[k] ? { kind: kinds[k] } : {}) }]),
  );
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * Resources of a deployment with the template component that made each
 * (its nearest infra:* component ancestor), without the stack itself.
 */
export function resourcesFromState(deployment: { resources?: StateResource[] }, pending: string[] = []): ResourceRecord[] {
  const all = deployment.resources ?? [];
  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const component = (r: StateResource): string | undefined => {
    for (let p = r.parent && byUrn.get(r.parent); p; p = p.parent ? byUrn.get(p.parent) : undefined) {
      if (p.type.startsWith("infra:")) return nameOf(p.urn);
    }
    return undefined;
  };
  return all
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const c = r.type.startsWith("infra:") ? nameOf(r.urn) : component(r);
      return {
        urn: r.urn,
        type: r.type,
        name: nameOf(r.urn),
        status: pending.includes(r.urn) ? "pending" : r.delete ? "pending-delete" : "ok",
        dependsOn: r.dependencies ?? [],
        ...(r.id ? { providerId: r.id } : {}),
        ...(r.parent ? { parent: r.parent } : {}),
        ...(c ? { component: c } : {}),
      };
    });
}
