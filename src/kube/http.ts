// Plain HTTPS to a Kubernetes API server (or any endpoint) from a kubeconfig's
// current context: client certificate or token auth, the cluster's CA. For
// the few calls infra makes itself (a reachability probe, Vault through the
// API server's proxy); everything else goes through the engine's provider.
import { request as httpsRequest, type RequestOptions } from "node:https";
import { request as httpRequest } from "node:http";
import { InfraError, UsageError } from "../core/errors.js";

export interface Endpoint {
  base: URL;
  tls: Pick<RequestOptions, "ca" | "cert" | "key" | "rejectUnauthorized">;
  headers: Record<string, string>;
}

export function send(ep: Endpoint, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, ep.base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ...ep.tls,
        headers: {
          ...ep.headers,
          accept: "application/json",
          ...(payload && { "content-type": "application/json", "content-length": String(payload.length) }),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = { text: text.slice(0, 300) };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer in 30 s")));
    req.on("error", (err) => reject(Object.assign(new InfraError(`cannot reach ${ep.base.origin}: ${err.message}`), { reason: err.message })));
    req.end(payload);
  });
}

/** The parts of a kubeconfig's current context a client needs (client certificate or token auth). */
export function kubeEndpoint(kubeconfig: string, parse: (text: string) => unknown): Endpoint {
  const doc = parse(kubeconfig) as {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string; "certificate-authority-data"?: string; "insecure-skip-tls-verify"?: boolean } }[];
    users?: { name: string; user: { "client-certificate-data"?: string; "client-key-data"?: string; token?: string; exec?: unknown } }[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.context.user)?.user;
  if (!ctx || !cluster || !user) throw new UsageError("the meta environment's kubeconfig has no usable current context");
  if (user.exec)
    throw new UsageError("the meta cluster's kubeconfig authenticates with a plugin (exec); reach Vault with infra vault … --address <url> instead");
  const b64 = (s?: string) => (s ? Buffer.from(s, "base64").toString("utf8") : undefined);
  const ca = b64(cluster["certificate-authority-data"]);
  const cert = b64(user["client-certificate-data"]);
  const key = b64(user["client-key-data"]);
  return {
    base: new URL(cluster.server.endsWith("/") ? cluster.server : `${cluster.server}/`),
    tls: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }), ...(cluster["insecure-skip-tls-verify"] && { rejectUnauthorized: false }) },
    headers: user.token ? { authorization: `Bearer ${user.token}` } : {},
  };
}

/** Asks the API server for its version: resolves, or throws one line saying why it cannot be reached. */
export async function probe(kubeconfig: string, parse: (text: string) => unknown, timeoutMs = 5000): Promise<void> {
  const ep = kubeEndpoint(kubeconfig, parse);
  const r = await Promise.race([
    send(ep, "GET", "version"),
    new Promise<never>((_, reject) => setTimeout(() => reject(new InfraError(`no answer in ${timeoutMs / 1000} s`)), timeoutMs).unref()),
  ]).catch((err: Error) => {
    throw new InfraError(`the cluster at ${ep.base.origin} is unreachable: ${(err as { reason?: string }).reason ?? err.message}`);
  });
  if (r.status === 401 || r.status === 403) throw new InfraError(`the cluster at ${ep.base.origin} refuses the kubeconfig's credentials (${r.status})`);
}
