// The CLI as a client of infra server: the same commands, sent over the REST
// API; problem+json answers become errors of the same kinds (so the same
// exit codes); a change's operation is followed live through its events.
import { request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import type { CommandInput } from "../app/commands.js";
import type { DriftedResource, OperationEvent } from "../app/events.js";
import type { HealthReport } from "../app/health.js";
import type { Outcome } from "../app/execute.js";
import { ConflictError, EngineError, InfraError, NotFoundError, UsageError, type Hint, type Remedy } from "../core/errors.js";
import type { Environment, LockOwner, OperationRecord, ResourceRecord, Transition } from "../registry/types.js";
import type { operations } from "./api.gen.js";
import type { GlobalOptions } from "./context.js";
import { interactive, promptOutput } from "./context.js";
import { progress } from "./progress.js";
import { API_PROXY_PATH, type RemoteSession } from "./remote.js";

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * A problem+json answer as the error of the kind its status means; where the
 * server sent the parts of its message (reason, field, remedy), the CLI says
 * them in its own words, as a local run would.
 */
export function refusal(url: string, a: Answer): InfraError {
  const p = (a.body ?? {}) as { detail?: string; title?: string; reason?: unknown; field?: unknown; value?: unknown; remedy?: unknown; allowed?: unknown };
  const text = p.detail ?? p.title ?? `HTTP ${a.status}`;
  const hint: Hint = {
    ...(typeof p.field === "string" && { field: p.field === "name" ? "environment" : p.field }),
    ...(typeof p.value === "string" && { value: p.value }),
    ...(typeof p.remedy === "object" && p.remedy !== null ? { remedy: p.remedy as Remedy } : {}),
    ...(Array.isArray(p.allowed) && { allowed: p.allowed.map(String) }),
  };
  const reason = typeof p.reason === "string" ? p.reason : undefined;
  if (a.status === 401) return new InfraError(`${url} refused the token: ${text} (infra login again)`, "internal");
  if (a.status === 403) return new InfraError(`${url} refused: ${text}`, "internal");
  if (a.status === 404) return new NotFoundError(reason ?? text, reason ? hint : {});
  if (a.status === 409 || a.status === 429 || a.status === 503) return new ConflictError(reason ?? text, reason ? hint : {});
  if (a.status === 400 || a.status === 413 || a.status === 422) return new UsageError(reason ?? text, reason ? hint : {});
  return new InfraError(`${url} failed: ${text}`, "internal");
}

/** Per process: the API server and credentials of each context a session goes through (a plugin runs once). */
const clusterRoutes = new Map<string, Promise<{ url: string; through: NonNullable<RemoteSession["through"]> }>>();

/** infra's API through a kubeconfig context's API server: the service proxy's URL and the context's credentials. */
function throughCluster(context: string | undefined) {
  const key = context ?? "";
  let route = clusterRoutes.get(key);
  if (!route) {
    route = (async () => {
      const [{ contextKubeconfig }, { kubeEndpoint }, { parse }] = await Promise.all([
        import("../sandbox/clusters.js"),
        import("../kube/http.js"),
        import("yaml"),
      ]);
      const ep = kubeEndpoint(contextKubeconfig(process.env, context), (text) => parse(text, { maxAliasCount: 20 }));
      return { url: new URL(API_PROXY_PATH, ep.base).href, through: { tls: ep.tls, headers: ep.headers } };
    })();
    clusterRoutes.set(key, route);
  }
  return route;
}

/** One request; the token goes in a header, never in a URL or an argument. */
export async function call(s: RemoteSession, method: string, path: string, body?: unknown, onData?: (chunk: string) => void): Promise<Answer> {
  if (s.cluster) s = { ...s, ...(await throughCluster(s.cluster.context)), cluster: undefined };
  let url: URL;
  let base = s.url;
  while (base.endsWith("/")) base = base.slice(0, -1);
  try {
    // The server's own path, if any (a proxy's), then the route's.
    url = new URL(`${base}${path}`);
  } catch {
    throw new UsageError(`the server address ${s.url.slice(0, 100)} is not a URL, like https://infra.example.com`);
  }
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const ca = s.caFile ? readFileSync(s.caFile) : undefined;
  // node:https (TLS) costs ~9 ms to load: only for a server that speaks it.
  const send = url.protocol === "https:" ? (await import("node:https")).request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          ...(s.through ? { ...s.through.headers, "x-infra-token": s.token } : { authorization: `Bearer ${s.token}` }),
          accept: "application/json, application/problem+json, text/event-stream",
          ...(payload && { "content-type": "application/json", "content-length": payload.length }),
        },
        ...(ca && { ca }),
        ...s.through?.tls,
        timeout: onData ? 0 : 30_000,
      },
      (res) => {
        res.setEncoding("utf8");
        let text = "";
        res.on("data", (c: string) => (onData && res.statusCode === 200 ? onData(c) : (text += c)));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", (err: NodeJS.ErrnoException) => reject(new InfraError(`cannot reach the server at ${url.origin}: ${err.code ?? err.message}`, "internal")));
    req.end(payload);
  });
}

/** GET, or a refusal as an error. */
export async function get<T>(s: RemoteSession, path: string): Promise<T> {
  const a = await call(s, "GET", path);
  if (a.status !== 200) throw refusal(s.url, a);
  return a.body as T;
}

const ENV = "/api/v1/environments";
const enc = encodeURIComponent;

/** A request body as the server's OpenAPI document types it (src/cli/api.gen.ts): the client cannot send what it does not document. */
type BodyOf<O extends keyof operations> = operations[O] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
/** What a change answers 202 with, as the document types it. */
type Accepted = operations["createEnvironment"]["responses"][202]["content"]["application/json"];

function requestFor(c: CommandInput): { method: string; path: string; body?: unknown } {
  switch (c.kind) {
    case "create": {
      const { kind: _k, environment, ...rest } = c;
      return { method: "POST", path: ENV, body: { name: environment, ...rest } satisfies BodyOf<"createEnvironment"> };
    }
    case "update":
      return { method: "PATCH", path: `${ENV}/${enc(c.environment)}`, body: { params: c.params ?? {} } satisfies BodyOf<"changeEnvironment"> };
    case "upgrade":
      return {
        method: "PATCH",
        path: `${ENV}/${enc(c.environment)}`,
        body: { template: c.to, ...(c.params && { params: c.params }) } satisfies BodyOf<"changeEnvironment">,
      };
    case "destroy":
      return { method: "DELETE", path: `${ENV}/${enc(c.environment)}${c.cascade ? "?cascade=true" : ""}` };
    case "recover":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/recover` };
    case "extend":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/extend`, body: { ttl: c.ttl } satisfies BodyOf<"extendEnvironment"> };
    case "unlock":
      return {
        method: "POST",
        path: `${ENV}/${enc(c.environment)}/unlock`,
        body: (c.reason === undefined ? {} : { reason: c.reason }) satisfies BodyOf<"unlockEnvironment">,
      };
    case "reap":
      return { method: "POST", path: "/api/v1/reap", body: { dryRun: !!c.dryRun } satisfies BodyOf<"reapEnvironments"> };
    case "forget":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/forget` };
    case "drift":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/drift` };
    case "reconcile":
      return {
        method: "POST",
        path: `${ENV}/${enc(c.environment)}/reconcile`,
        ...(c.pruneUnmanaged && { body: { pruneUnmanaged: true } satisfies BodyOf<"reconcileEnvironment"> }),
      };
    case "refresh":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/refresh` };
    case "health":
      return { method: "POST", path: `${ENV}/${enc(c.environment)}/health` };
    case "record": {
      const { kind: _k, environment, ...body } = c;
      return { method: "POST", path: `${ENV}/${enc(environment)}/record`, body: body satisfies BodyOf<"recordEnvironment"> };
    }
    case "apply": {
      const { kind: _k, ...body } = c;
      return { method: "POST", path: "/api/v1/sets", body: body satisfies BodyOf<"applySet"> };
    }
  }
}

/** Sends a command to the server, follows its operation to the end, and returns what it did. */
export async function submitRemote(s: RemoteSession, c: CommandInput, opts: GlobalOptions): Promise<Outcome> {
  if (
    (c.kind === "update" ||
      c.kind === "upgrade" ||
      c.kind === "reconcile" ||
      c.kind === "refresh" ||
      c.kind === "destroy" ||
      c.kind === "forget" ||
      (c.kind === "reap" && !c.dryRun)) &&
    !opts.yes
  ) {
    // A server applies what it is sent: the question is asked here, before anything is sent.
    if (!interactive(opts)) throw new UsageError(`the server applies a ${c.kind} without asking: pass --yes to send it`);
    const { confirm } = await import("@inquirer/prompts");
    const what = "environment" in c ? c.environment : "the expired environments";
    if (!(await confirm({ message: `${c.kind} ${what} on ${s.url}?`, default: false }, await promptOutput()))) {
      if ("environment" in c) return { kind: "unchanged", environment: await get<Environment>(s, `${ENV}/${enc(c.environment)}`), why: "declined" };
      return { kind: "reaped", result: { order: [], kept: [], destroyed: [], failed: [] } };
    }
  }
  const r = requestFor(c);
  const a = await call(s, r.method, r.path, r.body);
  if (a.status === 200) {
    const b = a.body as {
      status: string;
      reason?: string;
      environment?: string;
      expiresAt?: string;
      removed?: unknown;
      order?: string[];
      kept?: never[];
      destroyed?: string[];
      failed?: never[];
    };
    if (c.kind === "extend") return { kind: "extended", environment: c.environment, expiresAt: b.expiresAt! };
    if (c.kind === "unlock") return { kind: "unlocked", environment: c.environment, ...(b.removed ? { removed: b.removed as never } : {}) };
    if (c.kind === "health") {
      const environment = await get<Environment>(s, `${ENV}/${enc(c.environment)}`);
      return {
        kind: "health",
        result: { environment: c.environment, report: (b as { health?: HealthReport }).health ?? { state: "none", checks: [] }, status: environment.status },
      };
    }
    if (c.kind === "reap") return { kind: "reaped", result: { order: b.order ?? [], kept: b.kept ?? [], destroyed: [], failed: b.failed ?? [] } };
    return {
      kind: "unchanged",
      environment: await get<Environment>(s, `${ENV}/${enc(b.environment!)}`),
      why: b.reason === "declined" ? "declined" : "already-destroyed",
    };
  }
  if (a.status !== 202) throw refusal(s.url, a);
  const answered = a.body as Accepted;
  if (typeof answered.operationId !== "string" || typeof answered.environment !== "string")
    throw new InfraError(`${s.url} answered 202 without its operation: is it an infra server of this version?`, "internal");
  const accepted = { operationId: answered.operationId, environment: answered.environment };
  const result = await follow(s, accepted.operationId, accepted.environment, opts);
  const op = await get<{ result: string; message?: string; summary?: Record<string, number> }>(s, `/api/v1/operations/${accepted.operationId}`);
  if (result !== "succeeded" || op.result !== "succeeded") {
    const message = op.message ?? `${c.kind} of ${accepted.environment} ${op.result}`;
    throw new EngineError(`${c.kind} of ${accepted.environment} ${op.result === "interrupted" ? "was interrupted" : "failed"}: ${message}`);
  }
  const target = "environment" in c ? c.environment : accepted.environment;
  const environment = await get<Environment>(s, `${ENV}/${enc(target)}`);
  if (c.kind === "health") {
    const report = await get<HealthReport>(s, `${ENV}/${enc(target)}/health`);
    return { kind: "health", result: { environment: target, report, status: environment.status, operationId: accepted.operationId } };
  }
  if (c.kind === "drift") {
    const report = await get<{ resources: DriftedResource[] }>(s, `${ENV}/${enc(target)}/drift`);
    return { kind: "drift", result: { operationId: accepted.operationId, changes: op.summary ?? {}, environment, drift: report.resources } };
  }
  return { kind: "operations", results: [{ operationId: accepted.operationId, changes: op.summary ?? {}, environment }] };
}

/**
 * Follows an operation's server-sent events on the same progress line a
 * local run draws; Ctrl-C stops following only (the server's operation goes on).
 */
async function follow(s: RemoteSession, id: string, environment: string, opts: GlobalOptions): Promise<string> {
  const view = await progress(!!opts.json);
  let result = "unknown";
  let buffer = "";
  const onInterrupt = () => {
    view.close();
    process.stderr.write(`\ninfra: stopped following; the operation goes on on the server: infra env show ${environment} tells how it ends\n`);
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  try {
    await call(s, "GET", `/api/v1/operations/${id}/events`, undefined, (chunk) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!event || !data) continue;
        const parsed = JSON.parse(data) as OperationEvent | { result: string };
        if (event === "end") result = (parsed as { result: string }).result;
        else view.listen(parsed as OperationEvent);
      }
    });
  } finally {
    process.off("SIGINT", onInterrupt);
    view.close();
  }
  return result;
}

/** The registry's reads, answered by a server (for `infra env show` and `history` logged in). */
export function remoteReader(s: RemoteSession) {
  const env = (name: string) => `${ENV}/${enc(name)}`;
  let cached: Promise<(Environment & { dependsOn: string[]; usedBy: string[]; lock: LockOwner | null }) | undefined> | undefined;
  const full = (name: string) =>
    (cached ??= get<Environment & { dependsOn: string[]; usedBy: string[]; lock: LockOwner | null }>(s, env(name)).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }));
  const items = async <T>(path: string) => (await get<{ items: T[] }>(s, path)).items;
  return {
    get: async (name: string) => {
      const e = await full(name);
      if (!e) return undefined;
      const { dependsOn: _d, usedBy: _u, lock: _l, ...rest } = e;
      return rest as Environment;
    },
    dependencies: async (name: string) => (await full(name))?.dependsOn ?? [],
    dependents: async (name: string) => (await full(name))?.usedBy ?? [],
    lockHolder: async (name: string) => (await full(name))?.lock ?? undefined,
    resources: (name: string) => items<ResourceRecord>(`${env(name)}/resources`),
    history: (name: string) => items<Transition>(`${env(name)}/history`),
    operations: (name: string) => items<OperationRecord>(`${env(name)}/operations`),
  };
}
