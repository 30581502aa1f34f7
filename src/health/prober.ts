// Status checks as this machine sees them: an HTTP(S) GET (any answer below
// 400 is well; redirects are not followed) or a TCP connect, each with a
// timeout. On the sandbox, names are never looked up (the host's resolver may
// ask the network): an Ingress host goes to the sandbox's ingress on loopback
// by Host and SNI, trusting the sandbox's CA, and only with the real node, the
// one place where pods answer; otherwise the check cannot be made and says so.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect, isIP } from "node:net";
import type { ProbeAnswer, Prober } from "../app/ports.js";

type Target = { kind: "http"; url: URL } | { kind: "tcp"; host: string; port: number };

export function parseTarget(text: string): Target | undefined {
  if (/^https?:\/\//i.test(text)) {
    try {
      return { kind: "http", url: new URL(text) };
    } catch {
      return undefined;
    }
  }
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return undefined;
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !/^[A-Za-z0-9.:-]+$/.test(host)) return undefined;
  return { kind: "tcp", host, port };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export interface SandboxView {
  /** Ports of the sandbox's ingress on 127.0.0.1 and its CA, when the real node runs; else why there is none. */
  ingress(): { http: number; https: number; ca: string } | { why: string };
}

function http(url: URL, timeoutMs: number, via?: { port: number; ca?: Buffer }): Promise<ProbeAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const secure = url.protocol === "https:";
    const request = secure ? httpsRequest : httpRequest;
    const req = request(
      {
        host: via ? "127.0.0.1" : url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: via?.port ?? (url.port || (secure ? 443 : 80)),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { host: url.host, "user-agent": "infra-health" },
        timeout: timeoutMs,
        agent: false,
        ...(secure && { servername: url.hostname, ...(via?.ca && { ca: via.ca }) }),
      },
      (res) => {
        res.resume();
        const simulated = via && res.headers["x-infra-sandbox-simulated"];
        if (typeof simulated === "string") return resolve({ state: "unverifiable", detail: `the sandbox's ${simulated}` });
        const code = res.statusCode ?? 0;
        const said = `HTTP ${code} in ${Date.now() - started} ms`;
        resolve(code > 0 && code < 400 ? { state: "ok", detail: said } : { state: "failing", detail: said });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: "timeout" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ state: "failing", detail: e.code === "timeout" ? e.message : `${e.code ?? e.message}` }));
    req.end();
  });
}

function tcp(host: string, port: number, timeoutMs: number): Promise<ProbeAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs });
    s.once("connect", () => {
      s.destroy();
      resolve({ state: "ok", detail: `connected in ${Date.now() - started} ms` });
    });
    s.once("timeout", () => {
      s.destroy();
      resolve({ state: "failing", detail: `no answer in ${timeoutMs} ms` });
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve({ state: "failing", detail: e.code ?? e.message }));
  });
}

export class NetworkProber implements Prober {
  constructor(
    private readonly sandbox: () => SandboxView,
    /** Whether a location's cluster is the sandbox (location sandbox, or a context naming its API server). */
    private readonly onSandbox: (location: string) => boolean = (l) => l.split(":")[0] === "sandbox",
  ) {}

  async probe(target: string, location: string, timeoutMs: number): Promise<ProbeAnswer> {
    const t = parseTarget(target);
    if (!t) return { state: "failing", detail: "not an http(s) URL or host:port" };
    const host = t.kind === "http" ? t.url.hostname.replace(/^\[(.*)\]$/, "$1") : t.host;
    if (LOOPBACK.has(host) || !this.onSandbox(location)) {
      return t.kind === "http" ? http(t.url, timeoutMs) : tcp(t.host, t.port, timeoutMs);
    }
    const ingress = this.sandbox().ingress();
    if ("why" in ingress) return { state: "unverifiable", detail: ingress.why };
    if (t.kind === "tcp") {
      // A LoadBalancer's address is 127.0.0.1 (above); a cluster name cannot be looked up from here.
      return isIP(host) ? tcp(host, t.port, timeoutMs) : { state: "unverifiable", detail: `${host} is a name only the cluster resolves` };
    }
    const secure = t.url.protocol === "https:";
    return http(t.url, timeoutMs, { port: secure ? ingress.https : ingress.http, ...(secure && { ca: readFileSync(ingress.ca) }) });
  }
}
