// /api/v1/environments: reads straight from the registry; changes become
// commands (the one front door) answered 202 + the operation, or 200 when
// nothing needed to run.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CommandInput } from "../../app/commands.js";
import { lastDriftReport } from "../../app/drift.js";
import { lastHealthReport } from "../../app/health.js";
import { listRelated } from "../../app/graph.js";
import type { Registry } from "../../registry/types.js";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";
import type { Submitter } from "../submit.js";
import { answer } from "./answer.js";

export interface EnvironmentRoutes {
  registry: Registry;
  submitter: Submitter;
}

type Params = { name: string };
type Body = Record<string, unknown>;

export async function environmentRoutes(app: FastifyInstance, o: EnvironmentRoutes): Promise<void> {
  const mustGet = async (name: string) => {
    const env = await o.registry.get(name);
    if (!env) throw new HttpProblem(404, `no environment named ${name.slice(0, 100)}`, { field: "name" });
    return env;
  };
  const submit = (req: FastifyRequest, reply: FastifyReply, input: CommandInput) =>
    answer(
      reply,
      o.registry,
      o.submitter.submit(input, { who: `token:${req.token!.name}`, scope: req.token!.name, key: req.headers["idempotency-key"] as string | undefined }),
    );

  app.get("/api/v1/environments", { schema: S.listEnvironments }, async function listEnvironments(req) {
    const q = req.query as {
      status?: string;
      tag?: string | string[];
      search?: string;
      limit?: string;
      offset?: string;
      dependsOn?: string;
      neededBy?: string;
    };
    const tags: Record<string, string> = {};
    for (const t of [q.tag ?? []].flat()) {
      const i = t.indexOf("=");
      if (i < 1) throw new HttpProblem(400, `tag ${t.slice(0, 100)}: write key=value`, { field: "tag" });
      tags[t.slice(0, i)] = t.slice(i + 1);
    }
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const r = await listRelated(
      o.registry,
      { ...(q.status && { status: q.status }), tags, ...(q.search && { search: q.search }), limit, offset },
      { ...(q.dependsOn !== undefined && { dependsOn: q.dependsOn }), ...(q.neededBy !== undefined && { neededBy: q.neededBy }) },
    );
    return { items: r.items, total: r.total, limit, offset };
  });

  app.get("/api/v1/environments/:name", { schema: S.getEnvironment }, async function getEnvironment(req) {
    const { name } = req.params as Params;
    const env = await mustGet(name);
    const [dependsOn, usedBy, lock] = await Promise.all([o.registry.dependencies(name), o.registry.dependents(name), o.registry.lockHolder(name)]);
    return { ...env, dependsOn, usedBy, lock: lock ?? null };
  });

  app.get("/api/v1/environments/:name/history", { schema: S.environmentHistory }, async function environmentHistory(req) {
    const { name } = req.params as Params;
    await mustGet(name);
    return { items: await o.registry.history(name) };
  });

  app.get("/api/v1/environments/:name/resources", { schema: S.environmentResources }, async function environmentResources(req) {
    const { name } = req.params as Params;
    await mustGet(name);
    return { items: await o.registry.resources(name) };
  });

  app.get("/api/v1/environments/:name/operations", { schema: S.environmentOperations }, async function environmentOperations(req) {
    const { name } = req.params as Params;
    await mustGet(name);
    return { items: await o.registry.operations(name) };
  });

  app.post("/api/v1/environments", { schema: S.createEnvironment }, async function createEnvironment(req, reply) {
    const { name, ...rest } = req.body as Body;
    return submit(req, reply, { kind: "create", environment: name, ...rest } as CommandInput);
  });

  app.patch("/api/v1/environments/:name", { schema: S.changeEnvironment }, async function changeEnvironment(req, reply) {
    const { name } = req.params as Params;
    const b = req.body as { params?: Record<string, string | number | boolean>; template?: string };
    if (b.template !== undefined) {
      const to = b.template.includes("@") ? b.template.slice(b.template.indexOf("@") + 1) : b.template;
      return submit(req, reply, { kind: "upgrade", environment: name, to, ...(b.params && { params: b.params }) });
    }
    return submit(req, reply, { kind: "update", environment: name, ...(b.params && { params: b.params }) });
  });

  app.delete("/api/v1/environments/:name", { schema: S.destroyEnvironment }, async function destroyEnvironment(req, reply) {
    const { name } = req.params as Params;
    return submit(req, reply, { kind: "destroy", environment: name, cascade: (req.query as { cascade?: string }).cascade === "true" });
  });

  app.post("/api/v1/environments/:name/recover", { schema: S.recoverEnvironment }, async function recoverEnvironment(req, reply) {
    return submit(req, reply, { kind: "recover", environment: (req.params as Params).name });
  });

  app.post("/api/v1/environments/:name/record", { schema: S.recordEnvironment }, async function recordEnvironment(req, reply) {
    return submit(req, reply, { ...(req.body as Body), kind: "record", environment: (req.params as Params).name } as CommandInput);
  });

  app.post("/api/v1/environments/:name/extend", { schema: S.extendEnvironment }, async function extendEnvironment(req, reply) {
    return submit(req, reply, { kind: "extend", environment: (req.params as Params).name, ttl: (req.body as { ttl: string }).ttl });
  });

  app.post("/api/v1/environments/:name/unlock", { schema: S.unlockEnvironment }, async function unlockEnvironment(req, reply) {
    const b = (req.body ?? {}) as { reason?: string };
    return submit(req, reply, { kind: "unlock", environment: (req.params as Params).name, ...(b.reason !== undefined && { reason: b.reason }) });
  });

  app.post("/api/v1/environments/:name/forget", { schema: S.forgetEnvironment }, async function forgetEnvironment(req, reply) {
    return submit(req, reply, { kind: "forget", environment: (req.params as Params).name });
  });

  app.post("/api/v1/environments/:name/drift", { schema: S.checkDrift }, async function checkDrift(req, reply) {
    return submit(req, reply, { kind: "drift", environment: (req.params as Params).name });
  });

  app.post("/api/v1/environments/:name/reconcile", { schema: S.reconcileEnvironment }, async function reconcileEnvironment(req, reply) {
    const b = (req.body ?? {}) as { pruneUnmanaged?: boolean };
    return submit(req, reply, { kind: "reconcile", environment: (req.params as Params).name, ...(b.pruneUnmanaged && { pruneUnmanaged: true }) });
  });

  app.post("/api/v1/environments/:name/refresh", { schema: S.refreshEnvironment }, async function refreshEnvironment(req, reply) {
    return submit(req, reply, { kind: "refresh", environment: (req.params as Params).name });
  });

  app.post("/api/v1/environments/:name/health", { schema: S.checkHealth }, async function checkHealth(req, reply) {
    return submit(req, reply, { kind: "health", environment: (req.params as Params).name });
  });

  /** The last check of a kind (health, drift) the registry keeps for an environment; 404 before the first. */
  const lastCheck = (what: "health" | "drift", read: (name: string) => Promise<unknown>) => async (req: { params: unknown }) => {
    const name = (req.params as Params).name;
    await mustGet(name);
    const report = await read(name);
    if (!report) throw new HttpProblem(404, `environment ${name} has had no ${what} check yet: POST /api/v1/environments/${name}/${what} checks it now`);
    return report;
  };
  app.get(
    "/api/v1/environments/:name/health",
    { schema: S.lastHealth },
    lastCheck("health", (n) => lastHealthReport(o.registry, n)),
  );
  app.get(
    "/api/v1/environments/:name/drift",
    { schema: S.lastDrift },
    lastCheck("drift", (n) => lastDriftReport(o.registry, n)),
  );

  app.post("/api/v1/reap", { schema: S.reapEnvironments }, async function reapEnvironments(req, reply) {
    const b = (req.body ?? {}) as { dryRun?: boolean };
    return submit(req, reply, { kind: "reap", dryRun: !!b.dryRun });
  });
}
