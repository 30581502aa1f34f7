// Every object in some namespaces, as `kubectl get all` should have been:
// the API server's discovery gives each namespaced kind that can be listed
// (aggregated APIs included when they answer), and each is listed per
// namespace, metadata only. For drift's "unmanaged": what is there that
// nobody declared.
import { type Endpoint, send } from "./http.js";

export interface LiveObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  owned: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** A Secret's type. */
  type?: string;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** Kinds Kubernetes keeps by itself in every namespace: never anyone's to declare. */
const SYSTEM_KINDS = new Set(["Event", "Endpoints", "EndpointSlice", "Lease", "Binding"]);

async function resources(ep: Endpoint, base: string, groupVersion: string): Promise<{ base: string; groupVersion: string; r: ApiResource }[]> {
  const a = await send(ep, "GET", base).catch(() => undefined);
  if (a?.status !== 200) return [];
  const list = ((a.json as { resources?: ApiResource[] }).resources ?? []).filter(
    (r) => r.namespaced && !r.name.includes("/") && r.verbs.includes("list") && !SYSTEM_KINDS.has(r.kind),
  );
  return list.map((r) => ({ base, groupVersion, r }));
}

/** The namespaced kinds this API server lists: core v1 and each group's preferred version. */
async function discover(ep: Endpoint): Promise<{ base: string; groupVersion: string; r: ApiResource }[]> {
  const out = await resources(ep, "api/v1", "v1");
  const g = await send(ep, "GET", "apis");
  const groups = (g.json as { groups?: { preferredVersion?: { groupVersion: string } }[] }).groups ?? [];
  const lists = await Promise.all(
    groups
      .map((x) => x.preferredVersion?.groupVersion)
      .filter((gv): gv is string => !!gv)
      // events.k8s.io repeats core's Events.
      .filter((gv) => !gv.startsWith("events.k8s.io/"))
      .map((gv) => resources(ep, `apis/${gv}`, gv)),
  );
  return [...out, ...lists.flat()];
}

type Meta = {
  name: string;
  namespace?: string;
  ownerReferences?: unknown[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** Every listable object in these namespaces; a kind the credentials may not list is left out. */
export async function namespacedObjects(ep: Endpoint, namespaces: string[]): Promise<LiveObject[]> {
  if (!namespaces.length) return [];
  const kinds = await discover(ep);
  const lists = await Promise.all(
    namespaces.flatMap((ns) =>
      kinds.map(async ({ base, groupVersion, r }) => {
        const a = await send(ep, "GET", `${base}/namespaces/${encodeURIComponent(ns)}/${r.name}`).catch(() => undefined);
        if (a?.status !== 200) return [];
        const items = (a.json as { items?: { metadata: Meta; type?: string }[] }).items ?? [];
        return items.map(
          (i): LiveObject => ({
            apiVersion: groupVersion,
            kind: r.kind,
            namespace: ns,
            name: i.metadata.name,
            owned: (i.metadata.ownerReferences ?? []).length > 0,
            labels: i.metadata.labels ?? {},
            annotations: i.metadata.annotations ?? {},
            ...(i.type && { type: i.type }),
          }),
        );
      }),
    ),
  );
  return lists.flat();
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Where each object lives in the API (its kind's path found by discovery, once per apiVersion); undefined: a kind the server does not serve. */
function objectPaths(ep: Endpoint): (ref: ObjectRef) => Promise<string | undefined> {
  const paths = new Map<string, Promise<Map<string, ApiResource>>>();
  const kindsOf = (apiVersion: string) => {
    let p = paths.get(apiVersion);
    if (!p) {
      const base = apiVersion.includes("/") ? `apis/${apiVersion}` : `api/${apiVersion}`;
      p = send(ep, "GET", base).then(
        (a) => new Map(((a.json as { resources?: ApiResource[] })?.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => [r.kind, r])),
        () => new Map(),
      );
      paths.set(apiVersion, p);
    }
    return p;
  };
  return async (ref) => {
    const r = (await kindsOf(ref.apiVersion)).get(ref.kind);
    if (!r) return undefined;
    const base = ref.apiVersion.includes("/") ? `apis/${ref.apiVersion}` : `api/${ref.apiVersion}`;
    const ns = r.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : "";
    return `${base}${ns}/${r.name}/${encodeURIComponent(ref.name)}`;
  };
}

/** Each object as the API server holds it now (undefined: not there). */
export async function getObjects(ep: Endpoint, refs: ObjectRef[]): Promise<(Record<string, unknown> | undefined)[]> {
  const pathOf = objectPaths(ep);
  return Promise.all(
    refs.map(async (ref) => {
      const path = await pathOf(ref);
      if (!path) return undefined;
      const a = await send(ep, "GET", path);
      if (a.status === 404) return undefined;
      if (a.status !== 200) throw new Error(`GET ${ref.kind} ${ref.name}: ${a.status}`);
      return a.json as Record<string, unknown>;
    }),
  );
}

/** Deletes each object (what it owns goes after it, in the background); one already gone is not an error. */
export async function deleteObjects(ep: Endpoint, refs: ObjectRef[]): Promise<void> {
  const pathOf = objectPaths(ep);
  for (const ref of refs) {
    const path = await pathOf(ref);
    if (!path) throw new Error(`${ref.kind} ${ref.name}: the cluster serves no such kind`);
    const a = await send(ep, "DELETE", path, { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" });
    if (a.status !== 200 && a.status !== 202 && a.status !== 404) throw new Error(`DELETE ${ref.kind} ${ref.namespace ?? ""}/${ref.name}: HTTP ${a.status}`);
  }
}
