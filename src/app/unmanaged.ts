// Drift's "unmanaged": objects in an environment's namespaces that nobody
// declared. Left out: what a managed object owns (ownerReferences: a
// Deployment's ReplicaSets and Pods), what Kubernetes makes by itself (the
// default ServiceAccount, kube-root-ca.crt, token Secrets; Events, Endpoints,
// EndpointSlices and Leases are never listed), and what a managed Helm release
// installed (its annotations and its release Secrets).
import type { LiveObject, ObjectRef } from "../kube/objects.js";
import type { ResourceRecord } from "../registry/types.js";
import type { DriftedResource } from "./events.js";

export interface ManagedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ManagedRelease {
  name: string;
  namespace: string;
}

const group = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");
const key = (apiVersion: string, kind: string, ns: string, name: string) => `${group(apiVersion)}|${kind}|${ns}|${name}`;

function builtIn(o: LiveObject): boolean {
  if (o.kind === "ServiceAccount" && o.name === "default") return true;
  if (o.kind === "ConfigMap" && o.name === "kube-root-ca.crt") return true;
  return o.kind === "Secret" && o.type === "kubernetes.io/service-account-token";
}

function fromRelease(o: LiveObject, releases: Set<string>): boolean {
  const name = o.annotations["meta.helm.sh/release-name"];
  if (name && releases.has(`${o.annotations["meta.helm.sh/release-namespace"] ?? o.namespace}/${name}`)) return true;
  // Helm's own record of each revision.
  return o.kind === "Secret" && o.type === "helm.sh/release.v1" && releases.has(`${o.namespace}/${o.labels.name ?? ""}`);
}

/** The namespaces to look in: every managed object's, and every managed Namespace itself. */
export function namespacesOf(managed: ManagedObject[], releases: ManagedRelease[]): string[] {
  const set = new Set<string>();
  for (const m of managed) {
    if (m.kind === "Namespace" && group(m.apiVersion) === "") set.add(m.name);
    else if (m.namespace) set.add(m.namespace);
  }
  for (const r of releases) set.add(r.namespace);
  return [...set].sort();
}

export function unmanagedObjects(live: LiveObject[], managed: ManagedObject[], releases: ManagedRelease[]): DriftedResource[] {
  const declared = new Set(managed.map((m) => key(m.apiVersion, m.kind, m.namespace ?? "", m.name)));
  const installed = new Set(releases.map((r) => `${r.namespace}/${r.name}`));
  return live
    .filter((o) => !o.owned && !builtIn(o) && !fromRelease(o, installed) && !declared.has(key(o.apiVersion, o.kind, o.namespace, o.name)))
    .map((o) => ({
      state: "unmanaged" as const,
      type: `kubernetes:${o.apiVersion.includes("/") ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`,
      name: `${o.namespace}/${o.name}`,
      urn: "",
      fields: [],
    }))
    .sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
}

const RELEASE = "kubernetes:helm.sh/v3:Release";

/**
 * The Kubernetes objects and Helm releases an environment declares, as the registry records its
 * resources (type kubernetes:<group/version>:<Kind>, provider id <namespace>/<name> or <name>).
 */
export function managedOf(resources: ResourceRecord[]): { objects: ManagedObject[]; releases: ManagedRelease[] } {
  const objects: ManagedObject[] = [];
  const releases: ManagedRelease[] = [];
  for (const r of resources) {
    if (!r.type.startsWith("kubernetes:") || !r.providerId || r.status !== "ok") continue;
    const slash = r.providerId.indexOf("/");
    const namespace = slash < 0 ? undefined : r.providerId.slice(0, slash);
    const name = slash < 0 ? r.providerId : r.providerId.slice(slash + 1);
    if (r.type === RELEASE) {
      if (namespace) releases.push({ namespace, name });
      continue;
    }
    const [, gv = "", kind = ""] = r.type.split(":");
    objects.push({ apiVersion: gv.startsWith("core/") ? gv.slice(5) : gv, kind, ...(namespace && { namespace }), name });
  }
  return { objects, releases };
}

/** Where an unmanaged finding is in the cluster, to delete it. */
export function refOf(found: DriftedResource): ObjectRef {
  const [, gv = "", kind = ""] = found.type.split(":");
  const slash = found.name.indexOf("/");
  return { apiVersion: gv.startsWith("core/") ? gv.slice(5) : gv, kind, namespace: found.name.slice(0, slash), name: found.name.slice(slash + 1) };
}
