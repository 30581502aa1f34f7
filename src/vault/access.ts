// How infra reaches Vault's HTTP API: through the Kubernetes API server's
// proxy to the Vault service and pods (no port-forward, no network path to
// the cluster's inside needed), or at an address given (VAULT_ADDR-like).
import { request as httpsRequest, type RequestOptions } from "node:https";
import { request as httpRequest } from "node:http";
import { InfraError, UsageError } from "../core/errors.js";

export interface VaultAccess {
  /** A call to Vault's API (`/v1/...`), on the service, or on one pod. */
  call(method: "GET" | "PUT" | "POST", path: string, body?: unknown, pod?: string): Promise<unknown>;
  /** The Vault server pods, by name (one, the address itself, when not on Kubernetes). */
  pods(): Promise<string[]>;
}

interface Endpoint {
  base: URL;
  tls: Pick<RequestOptions, "ca" | "cert" | "key" | "rejectUnauthorized">;
  headers: Record<string, string>;
}

function send(ep: Endpoint, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, ep.base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ...ep.tls,
      headers: { ...ep.headers, accept: "application/json", ...(payload && { "content-type": "application/json", "content-length": String(payload.length) }) },
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown = undefined;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = { text: text.slice(0, 300) };
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 30 s")));
    req.on("error", (err) => reject(new InfraError(`cannot reach Vault through ${ep.base.origin}: ${err.message}`)));
    req.end(payload);
  });
}

async function checked(ep: Endpoint, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await send(ep, method, path, body);
  if (r.status >= 300) {
    const errors = (r.json as { errors?: string[]; message?: string } | undefined)?.errors?.join("; ") ?? (r.json as { message?: string })?.message ?? JSON.stringify(r.json);
    throw new InfraError(`Vault (${path.replace(/^.*\/proxy/, "")}) answered ${r.status}: ${String(errors).slice(0, 300)}`);
  }
  return r.json;
}

/** Vault at an address (https://vault.example:8200), for a Vault infra does not reach through Kubernetes. */
export function directAccess(address: string, ca?: string): VaultAccess {
  let base: URL;
  try {
    base = new URL(address);
  } catch {
    throw new UsageError(`--address ${address.slice(0, 100)}: a URL like https://vault.example.com:8200`);
  }
  const ep: Endpoint = { base, tls: ca ? { ca } : {}, headers: {} };
  return {
    call: (method, path, body) => checked(ep, method, path, body),
    pods: async () => [base.host],
  };
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
  if (user.exec) throw new UsageError("the meta cluster's kubeconfig authenticates with a plugin (exec); reach Vault with infra vault … --address <url> instead");
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

/** Vault in the cluster, through the API server's service and pod proxies. */
export function kubeAccess(kubeconfig: string, parse: (text: string) => unknown, namespace = "vault", service = "vault"): VaultAccess {
  const ep = kubeEndpoint(kubeconfig, parse);
  const ns = encodeURIComponent(namespace);
  return {
    call: (method, path, body, pod) => {
      const target = pod ? `pods/https:${encodeURIComponent(pod)}:8200` : `services/https:${encodeURIComponent(service)}:8200`;
      return checked(ep, method, `api/v1/namespaces/${ns}/${target}/proxy${path}`, body);
    },
    pods: async () => {
      const list = (await checked(ep, "GET", `api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent("app.kubernetes.io/name=vault,component=server")}`)) as { items: { metadata: { name: string } }[] };
      return list.items.map((p) => p.metadata.name).sort();
    },
  };
}
