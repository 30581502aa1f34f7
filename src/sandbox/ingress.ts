// The sandbox's ingress, with the real node: what a cloud's load balancer and
// an ingress controller do, on loopback. Ingress rules are served on
// 127.0.0.1 (HTTP and HTTPS, by Host and SNI); a LoadBalancer Service's ports
// are opened on 127.0.0.1, the address the sandbox gives them. Each request
// or connection goes to the Service's ClusterIP, which the host routes to the
// real node's bridge, where kube-proxy picks a pod. Nothing but a cluster
// address is ever dialled (an ExternalName is refused), and only with the
// real node, whose routes keep those addresses home.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import { Kube } from "./kube.js";
import {
  type EndpointSliceObject,
  hostMatches,
  type IngressObject,
  loadBalancerPorts,
  realEndpoints,
  matchRoute,
  type Route,
  routeTable,
  type ServiceObject,
} from "./ingress-routes.js";
import { ensureLeaf, pkiPaths } from "./pki.js";

export interface IngressConfig {
  apiserverPort: number;
  pkiDir: string;
  /** Ports on 127.0.0.1 for Ingress rules. */
  http: number;
  https: number;
  serviceRange: string;
  /** The real node's bridge: the only pods that answer. */
  podSubnet: string;
  refreshMs?: number;
}

export type IngressLog = (entry: Record<string, unknown>) => void;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS name (optionally *.-prefixed) safe to put in a certificate request. */
export function dnsName(host: string): boolean {
  if (host.length > 253) return false;
  const labels = host.split(".");
  if (labels[0] === "*") labels.shift();
  return labels.length > 0 && labels.every((l) => LABEL.test(l));
}

function hostOf(header: string | undefined): string {
  const h = (header ?? "").toLowerCase();
  // [v6]:port, name:port, name
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}

export async function startIngress(c: IngressConfig, log: IngressLog): Promise<{ close(): void }> {
  const pki = pkiPaths(c.pkiDir);
  const kube = new Kube(c.apiserverPort, pki);
  let table: Route[] = [];
  let real = new Map<string, number>();
  const noPod = (service: string) =>
    `the sandbox's ingress: Service ${service} has no Ready pod on the real node (kwok simulates the others: nothing answers there)`;
  const listeners = new Map<number, { server: TcpServer; ip: string }>();
  const refused = new Set<number>();

  const refresh = async () => {
    try {
      const [ing, svc, eps] = await Promise.all([
        kube.call("GET", "/apis/networking.k8s.io/v1/ingresses"),
        kube.call("GET", "/api/v1/services"),
        kube.call("GET", "/apis/discovery.k8s.io/v1/endpointslices"),
      ]);
      if (ing.status !== 200 || svc.status !== 200 || eps.status !== 200) return;
      real = realEndpoints(eps.json<{ items: EndpointSliceObject[] }>().items, c.podSubnet);
      const services = svc.json<{ items: ServiceObject[] }>().items;
      table = routeTable(ing.json<{ items: IngressObject[] }>().items, services, c.serviceRange);
      syncLoadBalancers(loadBalancerPorts(services, c.serviceRange));
    } catch {
      // The API server is starting or stopping: the last table stands.
    }
  };

  const syncLoadBalancers = (want: { service: string; port: number; ip: string }[]) => {
    const wanted = new Map(want.filter((w) => w.port !== c.http && w.port !== c.https).map((w) => [w.port, w]));
    for (const [port, l] of listeners) {
      if (wanted.get(port)?.ip !== l.ip) {
        l.server.close();
        listeners.delete(port);
      }
    }
    for (const [port, w] of wanted) {
      if (listeners.has(port) || refused.has(port)) continue;
      const server = createTcpServer((client) => {
        if (!real.get(w.service)) {
          log({ level: "warn", msg: noPod(`${w.service}:${port}`) });
          client.destroy();
          return;
        }
        const upstream = connect({ host: w.ip, port });
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on("error", end);
        upstream.on("error", end);
      });
      server.on("error", (err: NodeJS.ErrnoException) => {
        listeners.delete(port);
        refused.add(port);
        log({ level: "warn", msg: `LoadBalancer ${w.service} port ${port} is not opened on 127.0.0.1: ${err.code ?? err.message} (another program holds it)` });
      });
      server.listen(port, "127.0.0.1", () => log({ level: "info", msg: `LoadBalancer ${w.service}: 127.0.0.1:${port} -> ${w.ip}:${port}` }));
      listeners.set(port, { server, ip: w.ip });
    }
  };

  const proxy = (proto: "http" | "https") => (req: IncomingMessage, res: ServerResponse) => {
    const host = hostOf(req.headers.host);
    const url = req.url ?? "/";
    const route = matchRoute(table, host, url);
    const fail = (status: number, text: string, simulated = false) => {
      log({ level: "warn", host, path: url.split("?")[0], status, msg: text });
      // A status check reads this as "cannot be checked here", not as a failure of the app.
      const mark = simulated ? { "x-infra-sandbox-simulated": "kwok simulates this Service's pods: nothing answers" } : {};
      if (!res.headersSent) res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...mark });
      res.end(`${text}\n`);
    };
    if (!route) return fail(404, `the sandbox's ingress: no Ingress rule serves host ${JSON.stringify(host)} and path ${JSON.stringify(url.split("?")[0])}`);
    const b = route.backend;
    if (b.error || !b.ip || !b.port) return fail(503, `the sandbox's ingress: ${route.ingress}: ${b.error ?? "no backend"}`);
    if (!real.get(b.key)) return fail(503, noPod(b.service), true);
    const headers = {
      ...req.headers,
      "x-forwarded-for": req.socket.remoteAddress ?? "",
      "x-forwarded-proto": proto,
      "x-forwarded-host": req.headers.host ?? "",
    };
    const up = request({ host: b.ip, port: b.port, method: req.method, path: url, headers, timeout: 30_000 }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("timeout", () => up.destroy(new Error("no answer in 30 s")));
    up.on("error", (e: NodeJS.ErrnoException) =>
      fail(502, `the sandbox's ingress: Service ${b.service} did not answer (${e.code ?? e.message}): are its pods on the real node, and Ready?`),
    );
    req.pipe(up);
  };

  // Certificates by SNI: the Ingress's own Secret when it has one, else one the sandbox's CA signs.
  const contexts = new Map<string, { context: SecureContext; at: number }>();
  const contextFor = async (servername: string): Promise<SecureContext | undefined> => {
    const host = servername.toLowerCase();
    const route = table.find((r) => r.host === host) ?? table.find((r) => hostMatches(r.host, host));
    if (!route || !dnsName(host)) return undefined;
    const cached = contexts.get(host);
    if (cached && Date.now() - cached.at < 30_000) return cached.context;
    let context: SecureContext | undefined;
    if (route.tlsSecret) {
      const s = await kube
        .call("GET", `/api/v1/namespaces/${encodeURIComponent(route.tlsSecret.namespace)}/secrets/${encodeURIComponent(route.tlsSecret.name)}`)
        .catch(() => undefined);
      const data = s?.status === 200 ? s.json<{ data?: Record<string, string> }>().data : undefined;
      if (data?.["tls.crt"] && data["tls.key"]) {
        try {
          context = createSecureContext({ cert: Buffer.from(data["tls.crt"], "base64"), key: Buffer.from(data["tls.key"], "base64") });
        } catch {
          log({
            level: "warn",
            msg: `Secret ${route.tlsSecret.namespace}/${route.tlsSecret.name} holds no usable certificate: serving the sandbox CA's for ${host}`,
          });
        }
      }
    }
    if (!context) {
      const leaf = await ensureLeaf(
        pki,
        `ingress-${createHash("sha256").update(host).digest("hex").slice(0, 16)}`,
        `/CN=${host}`,
        `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`,
      );
      context = createSecureContext({ cert: readFileSync(leaf.cert), key: readFileSync(leaf.key) });
    }
    contexts.set(host, { context, at: Date.now() });
    return context;
  };

  const fallback = await ensureLeaf(
    pki,
    "ingress-default",
    "/CN=localhost",
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
  );
  const http = createHttpServer(proxy("http"));
  const https = createHttpsServer(
    {
      cert: readFileSync(fallback.cert),
      key: readFileSync(fallback.key),
      SNICallback: (name, cb) => {
        contextFor(name).then(
          (ctx) => cb(null, ctx),
          (err: Error) => cb(err),
        );
      },
    },
    proxy("https"),
  );
  const listen = (server: Server, port: number, what: string) =>
    new Promise<void>((resolve) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        log({ level: "warn", msg: `the sandbox's ingress does not serve ${what} on 127.0.0.1:${port}: ${err.code ?? err.message}` });
        resolve();
      });
      server.listen(port, "127.0.0.1", () => {
        log({ level: "info", msg: `ingress: ${what} on 127.0.0.1:${port}` });
        resolve();
      });
    });
  await listen(http, c.http, "http");
  await listen(https, c.https, "https");
  await refresh();
  const timer = setInterval(refresh, c.refreshMs ?? 2000);
  return {
    close() {
      clearInterval(timer);
      http.close();
      https.close();
      for (const l of listeners.values()) l.server.close();
    },
  };
}
