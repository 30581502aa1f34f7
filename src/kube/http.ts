// Plain HTTPS to a Kubernetes API server (or any endpoint) from a kubeconfig's
// current context: client certificate, token or credential plugin (exec, as
// GKE's and EKS's kubeconfigs use), the cluster's CA. For the few calls infra
// makes itself (a reachability probe, Vault and infra's API through the API
// server's proxy); everything else goes through the engine's provider.
import { execFileSync } from "node:child_process";
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
    users?: { name: string; user: { "client-certificate-data"?: string; "client-key-data"?: string; token?: string; exec?: ExecConfig } }[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.context.user)?.user;
  if (!ctx || !cluster || !user) throw new UsageError("the meta environment's kubeconfig has no usable current context");
  const b64 = (s?: string) => (s ? Buffer.from(s, "base64").toString("utf8") : undefined);
  const ca = b64(cluster["certificate-authority-data"]);
  const plugin = user.exec ? execCredential(user.exec) : undefined;
  const cert = plugin?.clientCertificateData ?? b64(user["client-certificate-data"]);
  const key = plugin?.clientKeyData ?? b64(user["client-key-data"]);
  const token = plugin?.token ?? user.token;
  return {
    base: new URL(cluster.server.endsWith("/") ? cluster.server : `${cluster.server}/`),
    tls: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }), ...(cluster["insecure-skip-tls-verify"] && { rejectUnauthorized: false }) },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
}

/** A kubeconfig user's credential plugin, as client-go runs it. */
interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
  installHint?: string;
}

/**
 * Runs a credential plugin as kubectl would (no shell; its own env entries over ours; KUBERNETES_EXEC_INFO
 * saying nobody can answer a prompt) and reads the ExecCredential it prints.
 */
function execCredential(exec: ExecConfig): { token?: string; clientCertificateData?: string; clientKeyData?: string } {
  if (typeof exec.command !== "string" || !exec.command) throw new UsageError("the kubeconfig's credential plugin (exec) names no command");
  const apiVersion = exec.apiVersion ?? "client.authentication.k8s.io/v1";
  let out: string;
  try {
    out = execFileSync(exec.command, (exec.args ?? []).map(String), {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
      env: {
        ...process.env,
        ...Object.fromEntries((exec.env ?? []).map((e) => [String(e.name), String(e.value)])),
        KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: "ExecCredential", spec: { interactive: false } }),
      },
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") {
      throw new UsageError(
        `the kubeconfig's credential plugin ${exec.command} is not installed${exec.installHint ? `: ${exec.installHint.trim().split("\n")[0]}` : ""}`,
      );
    }
    const said = (e.stderr ?? "").trim().split("\n").pop() || e.message;
    throw new InfraError(`the kubeconfig's credential plugin ${exec.command} failed: ${said.slice(0, 300)}`);
  }
  let status: { token?: unknown; clientCertificateData?: unknown; clientKeyData?: unknown } | undefined;
  try {
    status = (JSON.parse(out) as { status?: typeof status }).status;
  } catch {
    throw new InfraError(`the kubeconfig's credential plugin ${exec.command} printed no ExecCredential`);
  }
  const str = (x: unknown) => (typeof x === "string" && x ? x : undefined);
  const c = { token: str(status?.token), clientCertificateData: str(status?.clientCertificateData), clientKeyData: str(status?.clientKeyData) };
  if (!c.token && !(c.clientCertificateData && c.clientKeyData)) {
    throw new InfraError(`the kubeconfig's credential plugin ${exec.command} gave neither a token nor a client certificate`);
  }
  return c;
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
