// A few calls to the sandbox's API server over loopback, with the admin
// client certificate: readiness, nodes, and the objects the sandbox brings.
import { request } from "node:https";
import { readFileSync } from "node:fs";
import type { Pki } from "./pki.js";

export interface KubeAnswer {
  status: number;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export class Kube {
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };

  constructor(
    readonly port: number,
    pki: Pki,
  ) {
    this.tls = { ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey) };
  }

  call(method: string, path: string, body?: unknown, timeoutMs = 5000, contentType = "application/json"): Promise<KubeAnswer> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: "127.0.0.1",
          port: this.port,
          method,
          path,
          servername: "localhost",
          ...this.tls,
          headers: { Accept: "application/json", ...(data && { "Content-Type": contentType, "Content-Length": Buffer.byteLength(data) }) },
          timeout: timeoutMs,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on("error", reject);
      if (data) req.write(data);
      req.end();
    });
  }

  /** Makes an object what `body` says (server-side apply, as the sandbox's own field manager). */
  async apply(collection: string, name: string, body: unknown): Promise<void> {
    const path = `${collection}/${encodeURIComponent(name)}?fieldManager=infra-sandbox&force=true`;
    const r = await this.call("PATCH", path, body, 5000, "application/apply-patch+yaml");
    if (r.status !== 200 && r.status !== 201) throw new Error(`apply ${collection}/${name}: ${r.status} ${r.body.slice(0, 300)}`);
  }

  /** Creates an object, or leaves the one that exists (409). */
  async ensure(path: string, body: unknown): Promise<void> {
    const r = await this.call("POST", path, body);
    if (r.status !== 201 && r.status !== 200 && r.status !== 409) throw new Error(`POST ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  }

  async readyz(): Promise<boolean> {
    try {
      const r = await this.call("GET", "/readyz", undefined, 2000);
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** Nodes whose Ready condition is True. */
  async readyNodes(): Promise<string[]> {
    const r = await this.call("GET", "/api/v1/nodes");
    if (r.status !== 200) return [];
    const items = r.json<{ items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>().items;
    return items.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).map((n) => n.metadata.name);
  }

  /** A node's container runtime (containerd://2.2.9), as its kubelet reports it. */
  async nodeInfo(node: string): Promise<{ runtime?: string } | undefined> {
    const r = await this.call("GET", `/api/v1/nodes/${encodeURIComponent(node)}`);
    if (r.status !== 200) return undefined;
    return { runtime: r.json<{ status?: { nodeInfo?: { containerRuntimeVersion?: string } } }>().status?.nodeInfo?.containerRuntimeVersion };
  }

  /** Who holds a node's lease in kube-node-lease (kwok, under a name it draws each run). */
  async leaseHolder(node: string): Promise<string | undefined> {
    const r = await this.call("GET", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(node)}`);
    return r.status === 200 ? r.json<{ spec?: { holderIdentity?: string } }>().spec?.holderIdentity : undefined;
  }

  async deleteLease(node: string): Promise<void> {
    const r = await this.call("DELETE", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(node)}`);
    if (r.status !== 200 && r.status !== 404) throw new Error(`DELETE the lease of ${node}: ${r.status} ${r.body.slice(0, 300)}`);
  }

  async serverVersion(): Promise<string | undefined> {
    try {
      const r = await this.call("GET", "/version");
      return r.status === 200 ? r.json<{ gitVersion: string }>().gitVersion : undefined;
    } catch {
      return undefined;
    }
  }
}
