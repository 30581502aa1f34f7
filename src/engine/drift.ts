// What a refresh preview found to differ between the state and the world,
// per resource and field, from the engine's step events (the state's inputs
// and the inputs the provider read back), never from its text: a resource
// `changed` (each field's path, what was declared, what is there) or
// `missing` (deleted outside infra). Secret values arrive masked ([secret]).
import type { StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import type { DriftedResource } from "../app/events.js";
import type { ManagedObject, ManagedRelease } from "../app/unmanaged.js";

type DriftedField = DriftedResource["fields"][number];

/** Fields a server owns and changes by itself: never drift. */
const SERVER_OWNED = new Set([
  "status",
  "metadata.managedFields",
  "metadata.resourceVersion",
  "metadata.generation",
  "metadata.uid",
  "metadata.creationTimestamp",
]);

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  return plain ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/** Leaf-by-leaf differences between two values; a list of different length is one difference. */
export function differences(declared: unknown, actual: unknown, path = ""): DriftedField[] {
  if (SERVER_OWNED.has(path)) return [];
  if (declared === actual) return [];
  const bothObjects = declared && actual && typeof declared === "object" && typeof actual === "object";
  if (bothObjects && Array.isArray(declared) === Array.isArray(actual)) {
    if (Array.isArray(declared) && Array.isArray(actual)) {
      if (declared.length !== actual.length) return [{ path, declared, actual }];
      return declared.flatMap((d, i) => differences(d, actual[i], join(path, i)));
    }
    const d = declared as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(d), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => differences(d[k], a[k], join(path, k)));
  }
  if (JSON.stringify(declared) === JSON.stringify(actual)) return [];
  return [{ path, ...(declared !== undefined && { declared }), ...(actual !== undefined && { actual }) }];
}

/** A refresh step as drift; undefined for a resource that is as declared. */
export function driftedResource(m: StepEventMetadata): DriftedResource | undefined {
  const op = String(m.op);
  if (m.type.startsWith("pulumi:providers:") || m.type === "pulumi:pulumi:Stack") return undefined;
  if ((m.old ?? m.new)?.custom === false) return undefined;
  const base = { type: m.type, name: nameOf(m.urn), urn: m.urn };
  if (op === "delete") return { state: "missing", ...base, fields: [] };
  if (op !== "update") return undefined;
  let fields = differences(m.old?.inputs ?? {}, m.new?.inputs ?? {});
  // The provider read back outputs only (a dynamic resource's Read): the outputs tell what changed.
  if (!fields.length) fields = differences(m.old?.outputs ?? {}, m.new?.outputs ?? {});
  // Nothing to compare either way: name what the engine says changed.
  if (!fields.length) {
    const paths = m.diffs ?? [];
    if (!paths.length) return undefined;
    return { state: "changed", ...base, fields: paths.map((path) => ({ path })) };
  }
  return { state: "changed", ...base, fields };
}

/** Records the Kubernetes object (or Helm release) a step is about, as the state holds it. */
export function managedKubernetes(m: StepEventMetadata, into: { objects: ManagedObject[]; releases: ManagedRelease[] }): void {
  if (!m.type.startsWith("kubernetes:")) return;
  const state = m.old ?? m.new;
  if (!state || state.custom === false) return;
  const o = (state.outputs ?? {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
    name?: unknown;
    namespace?: unknown;
  };
  if (m.type === "kubernetes:helm.sh/v3:Release") {
    if (typeof o.name === "string" && typeof o.namespace === "string") into.releases.push({ name: o.name, namespace: o.namespace });
    return;
  }
  const name = o.metadata?.name;
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string" || typeof name !== "string") return;
  const ns = o.metadata?.namespace;
  into.objects.push({ apiVersion: o.apiVersion, kind: o.kind, name, ...(typeof ns === "string" && { namespace: ns }) });
}
