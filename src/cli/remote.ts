// Logged in to an infra server: where it is and the token, kept 0600 in the
// infra home by `infra login` (or INFRA_SERVER + INFRA_TOKEN). While there is
// a session, `infra env …`, `infra template list|show` and `infra audit` go
// through the server's REST API; the token never reaches argv or output.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import type { Endpoint } from "../kube/http.js";
import { infraHome } from "../core/home.js";

export interface RemoteSession {
  url: string;
  token: string;
  /** A private CA's PEM file for the server's certificate. */
  caFile?: string;
  /**
   * Reached through a Kubernetes API server's service proxy (url is the proxy's path to the Service):
   * the API server's TLS and credentials; the token then goes in X-Infra-Token, as the API server
   * keeps Authorization for itself.
   */
  through?: Pick<Endpoint, "tls" | "headers">;
  /**
   * The infra API in a cluster, reached through that cluster's API server with a context of the
   * user's kubeconfig (`infra login kubernetes:<context>`); url then just names it.
   */
  cluster?: { context?: string };
}

/** The API server's service proxy to infra's API (Service infra/infra-api, port http), relative to the server. */
export const API_PROXY_PATH = "api/v1/namespaces/infra/services/http:infra-api:http/proxy";

export const loginFile = (home = infraHome()) => join(home, "login.json");

/** The session commands run in: the environment's, else the login file's, else none (local). */
export function remoteSession(env: NodeJS.ProcessEnv = process.env): RemoteSession | undefined {
  if (env.INFRA_SERVER) {
    if (!env.INFRA_TOKEN) throw new UsageError("INFRA_SERVER is set without INFRA_TOKEN: set both, or neither to work locally");
    return { url: env.INFRA_SERVER, token: env.INFRA_TOKEN, ...(env.SSL_CERT_FILE && { caFile: env.SSL_CERT_FILE }) };
  }
  const file = loginFile(infraHome(env));
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as RemoteSession;
    if (typeof s.url !== "string" || typeof s.token !== "string") throw new Error("no url or token");
    if (s.cluster !== undefined && (typeof s.cluster !== "object" || (s.cluster.context !== undefined && typeof s.cluster.context !== "string"))) {
      throw new Error("a cluster that is not a kubeconfig context");
    }
    return s;
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}; run infra logout, then infra login again`);
  }
}

export function saveSession(s: RemoteSession, home = infraHome()): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const file = loginFile(home);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

export function forgetSession(home = infraHome()): boolean {
  const file = loginFile(home);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/** Commands that only make sense on this machine refuse in one line while logged in. */
export function localOnly(what: string): void {
  const s = process.env.INFRA_SERVER ? { url: process.env.INFRA_SERVER } : existsSync(loginFile()) ? remoteSession() : undefined;
  if (s) throw new UsageError(`${what} runs on this machine only, and you are logged in to ${s.url}: run it where the server runs, or infra logout first`);
}
