// What the sandbox's ingress serves, read from the cluster's Ingresses and
// Services: host and path to a Service's ClusterIP and port (kube-proxy on the
// real node takes it from there to a pod), and which LoadBalancer ports to
// open on loopback. Pure: the objects in, a table out.
import { inCidr } from "./egress.js";

export interface Backend {
  /** namespace/name:port, for messages. */
  service: string;
  /** namespace/name */
  key: string;
  ip?: string;
  port?: number;
  /** Why nothing can be dialled for it (no such Service, no port by that name, an ExternalName). */
  error?: string;
}

export interface Route {
  /** Lower-case; "" for a rule with no host; "*.example.com" matches one label. */
  host: string;
  path: string;
  exact: boolean;
  backend: Backend;
  /** The Ingress's TLS Secret for this host, if it names one. */
  tlsSecret?: { namespace: string; name: string };
  ingress: string;
}

export interface LoadBalancerPort {
  /** namespace/name */
  service: string;
  port: number;
  ip: string;
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

export interface ServiceObject {
  metadata: { namespace?: string; name: string };
  spec?: { type?: string; clusterIP?: string; ports?: ServicePort[] };
}

interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
}

export interface IngressObject {
  metadata: { namespace?: string; name: string };
  spec?: {
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend: IngressBackend }[] } }[];
  };
}

function backendOf(ns: string, b: IngressBackend, services: Map<string, ServiceObject>, serviceRange: string): Backend {
  if (!b.service)
    return { service: `${ns}/?`, key: `${ns}/?`, error: "the backend is not a Service (a resource backend): the sandbox's ingress serves Services only" };
  const want = b.service.port?.number ?? b.service.port?.name ?? "?";
  const label = `${ns}/${b.service.name}:${want}`;
  const key = `${ns}/${b.service.name}`;
  const svc = services.get(`${ns}/${b.service.name}`);
  if (!svc) return { service: label, key, error: `no Service ${ns}/${b.service.name}` };
  const ip = svc.spec?.clusterIP;
  // An ExternalName or headless Service names no address of the sandbox's: nothing is dialled for it.
  if (!ip || ip === "None" || !inCidr(ip, serviceRange)) {
    return {
      service: label,
      key,
      error: `Service ${ns}/${b.service.name} has no cluster address (headless or ExternalName): the sandbox's ingress dials only cluster addresses`,
    };
  }
  const port = (svc.spec?.ports ?? []).find((p) =>
    b.service!.port?.number !== undefined ? p.port === b.service!.port.number : p.name === b.service!.port?.name,
  );
  if (!port) return { service: label, key, error: `Service ${ns}/${b.service.name} has no port ${want}` };
  return { service: label, key, ip, port: port.port };
}

/** The routing table: every Ingress rule and path, most specific first. */
export function routeTable(ingresses: IngressObject[], serviceList: ServiceObject[], serviceRange: string): Route[] {
  const services = new Map(serviceList.map((s) => [`${s.metadata.namespace ?? "default"}/${s.metadata.name}`, s]));
  const routes: Route[] = [];
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? "default";
    const name = `${ns}/${ing.metadata.name}`;
    const tlsFor = (host: string) => {
      const t = (ing.spec?.tls ?? []).find((x) => x.secretName && (x.hosts ?? []).some((h) => h.toLowerCase() === host));
      return t?.secretName ? { namespace: ns, name: t.secretName } : undefined;
    };
    for (const rule of ing.spec?.rules ?? []) {
      const host = (rule.host ?? "").toLowerCase();
      for (const p of rule.http?.paths ?? []) {
        const tls = tlsFor(host);
        routes.push({
          host,
          path: p.path || "/",
          exact: p.pathType === "Exact",
          backend: backendOf(ns, p.backend, services, serviceRange),
          ingress: name,
          ...(tls && { tlsSecret: tls }),
        });
      }
    }
    if (ing.spec?.defaultBackend) {
      routes.push({ host: "", path: "/", exact: false, backend: backendOf(ns, ing.spec.defaultBackend, services, serviceRange), ingress: name });
    }
  }
  // Exact paths before prefixes, longer prefixes before shorter: the most specific match wins.
  return routes.sort((a, b) => Number(b.exact) - Number(a.exact) || b.path.length - a.path.length);
}

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith("*.")) return false;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

function pathMatches(r: Route, path: string): boolean {
  if (r.exact) return path === r.path;
  if (r.path === "/") return true;
  const prefix = r.path.endsWith("/") ? r.path.slice(0, -1) : r.path;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The route for a request: a rule naming the host first (exact, then wildcard), then rules with no host. */
export function matchRoute(table: Route[], host: string, path: string): Route | undefined {
  const h = host.toLowerCase();
  const p = path.split("?")[0] || "/";
  return (
    table.find((r) => r.host === h && pathMatches(r, p)) ??
    table.find((r) => r.host.startsWith("*.") && hostMatches(r.host, h) && pathMatches(r, p)) ??
    table.find((r) => r.host === "" && pathMatches(r, p))
  );
}

/** The TCP ports of LoadBalancer Services, each to its cluster address (the first Service to claim a port keeps it). */
export function loadBalancerPorts(serviceList: ServiceObject[], serviceRange: string): LoadBalancerPort[] {
  const seen = new Set<number>();
  const out: LoadBalancerPort[] = [];
  const sorted = [...serviceList].sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
  for (const s of sorted) {
    const ip = s.spec?.clusterIP;
    if (s.spec?.type !== "LoadBalancer" || !ip || ip === "None" || !inCidr(ip, serviceRange)) continue;
    for (const p of s.spec.ports ?? []) {
      if ((p.protocol ?? "TCP") !== "TCP" || seen.has(p.port)) continue;
      seen.add(p.port);
      out.push({ service: `${s.metadata.namespace ?? "default"}/${s.metadata.name}`, port: p.port, ip });
    }
  }
  return out;
}

export interface EndpointSliceObject {
  metadata: { namespace?: string; labels?: Record<string, string> };
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
}

/** How many Ready endpoints each Service has on the real node's bridge (kwok's pods answer nothing). */
export function realEndpoints(slices: EndpointSliceObject[], bridge: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of slices) {
    const svc = s.metadata.labels?.["kubernetes.io/service-name"];
    if (!svc) continue;
    const key = `${s.metadata.namespace ?? "default"}/${svc}`;
    const n = (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false && (e.addresses ?? []).some((a) => inCidr(a, bridge))).length;
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return out;
}
