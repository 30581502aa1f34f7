// The REST API, api/v1 (fastify): reads straight from the registry, changes
// through the app core's use cases run by the workers (202 + the operation).
// Request schemas are strict (unknown fields, wrong types: 400) and feed the
// OpenAPI 3.1 document at /api/v1/openapi.json.
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { OperationEvent } from "../app/events.js";
import type { AppContext } from "../app/ports.js";
import type { Registry, TokenRecord } from "../registry/types.js";
import { authenticate, mayWrite } from "./auth.js";
import { Operations } from "./operations.js";
import { detailOf, HttpProblem, sendProblem, statusOf } from "./problem.js";
import * as S from "./schemas.js";

export interface ServerOptions {
  registry: Registry;
  operations: Operations;
  /** Templates as the API shows them. */
  templates: () => Promise<{ id: string; version: string; description: string; source: string; parameters: Record<string, unknown>; locations?: string[] }[]>;
  /** Engine and bus reachability for /ready. */
  ready?: () => Promise<Record<string, "ok" | "off" | string>>;
  /** The AMQP command message's JSON Schema (published at /api/v1/amqp/command.schema.json). */
  commandSchema?: () => Promise<unknown>;
  /** A secondary serves reads and refuses changes, naming its primary; promote() makes it the primary. */
  secondaryOf?: string;
  promote?: (force: boolean) => Promise<void>;
  bodyLimit?: number;
  logger?: boolean | object;
  version: string;
}

declare module "fastify" {
  interface FastifyRequest {
    token?: TokenRecord;
  }
}

type UseCase = (ctx: AppContext) => Promise<unknown>;

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: o.bodyLimit ?? 256 * 1024,
    // Strict: no coercion, no silent removal of unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, allowUnionTypes: true } },
  });
  const { default: swagger } = await import("@fastify/swagger");
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "infra API", version: o.version, description: "Environments as Pulumi stacks, kept in a registry. Changes are asynchronous: 202 and an operation." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });

  app.setErrorHandler((err, req, reply) => {
    const status = statusOf(err);
    if (status >= 500) req.log.error({ err }, "request failed");
    const extra = err instanceof HttpProblem ? err.extra : {};
    if (status === 429 && typeof extra.retryAfter === "number") reply.header("retry-after", String(extra.retryAfter));
    return sendProblem(reply, status, detailOf(err, status), extra);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 404, `no route ${req.method} ${req.url.split("?")[0]!.slice(0, 200)}: see /api/v1/openapi.json`));

  // Every route but health, readiness and the document needs a token; changes need a write token.
  app.addHook("onRequest", async (req) => {
    const open = ["/api/v1/health", "/api/v1/ready", "/api/v1/openapi.json", "/api/v1/amqp/command.schema.json"];
    const path = req.url.split("?")[0]!;
    if (open.includes(path)) return;
    req.token = await authenticate(o.registry, req.headers.authorization);
    if (req.method !== "GET" && req.method !== "HEAD") {
      mayWrite(req.token);
      if (o.secondaryOf && path !== "/api/v1/admin/promote") throw new HttpProblem(503, `this server is a secondary of ${o.secondaryOf}: send changes to the primary`, { primary: o.secondaryOf });
    }
  });

  const who = (req: FastifyRequest) => `token:${req.token!.name}`;

  /** Starts a use case for a request, honouring its Idempotency-Key; answers 202 with the operation. */
  const accept = async (req: FastifyRequest, reply: import("fastify").FastifyReply, run: UseCase) => {
    const key = req.headers["idempotency-key"];
    if (key !== undefined && (typeof key !== "string" || !/^[A-Za-z0-9._:-]{1,200}$/.test(key))) {
      throw new HttpProblem(400, "Idempotency-Key: 1 to 200 letters, digits, '.', '_', ':' or '-'");
    }
    const scope = req.token!.name;
    const earlier = key ? await o.registry.idempotent(scope, key) : undefined;
    let id = earlier;
    let environment: string | undefined;
    if (!id) {
      const started = await o.operations.start(who(req), run);
      id = key ? await o.registry.rememberIdempotent(scope, key, started.operationId) : started.operationId;
      environment = started.environment;
    }
    const op = await o.registry.operation(id);
    reply.code(202).header("location", `/api/v1/operations/${id}`);
    return { operationId: id, environment: environment ?? op?.environment, status: op?.result ?? "running", ...(earlier && { replayed: true }) };
  };

  app.get("/api/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/api/v1/amqp/command.schema.json", { schema: { hide: true } }, async () => {
    if (!o.commandSchema) throw new HttpProblem(404, "this server takes no AMQP commands");
    return o.commandSchema();
  });

  app.get("/api/v1/health", { schema: { security: [], summary: "liveness", response: { 200: S.anyObject } } }, async () => ({ status: "ok" }));

  app.get("/api/v1/ready", { schema: { security: [], summary: "the registry, the engine and the bus are reachable", response: { 200: S.anyObject, 503: S.anyObject } } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await o.registry.list({ limit: 1 });
      checks.registry = "ok";
    } catch (err) {
      checks.registry = (err as Error).message.split("\n")[0]!;
    }
    Object.assign(checks, (await o.ready?.().catch((err: Error) => ({ engine: err.message }))) ?? {});
    const ok = Object.values(checks).every((v) => v === "ok" || v === "off");
    if (!ok) reply.code(503);
    return { status: ok ? "ok" : "not ready", role: o.secondaryOf ? "secondary" : "primary", checks };
  });

  app.post("/api/v1/admin/promote", { schema: { summary: "make this secondary the primary: its registry's standby is promoted, then it takes changes (409 while the primary still streams to it, unless force=true)", querystring: S.forceQuery, response: { 200: S.anyObject } } }, async (req) => {
    if (!o.secondaryOf) throw new HttpProblem(409, "this server is the primary already");
    if (!o.promote) throw new HttpProblem(409, "this secondary cannot promote its registry");
    const was = o.secondaryOf;
    await o.promote((req.query as { force?: string }).force === "true");
    o.secondaryOf = undefined;
    req.log.warn({ by: req.token!.name, was }, "promoted to primary");
    await o.registry.audit(`token:${req.token!.name}`, "server-promoted", undefined, { formerPrimary: was });
    return { role: "primary", formerPrimary: was };
  });

  app.get("/api/v1/environments", { schema: { summary: "list environments", querystring: S.listQuery, response: { 200: S.anyObject } } }, async (req) => {
    const q = req.query as { status?: string; tag?: string | string[]; search?: string; limit?: string; offset?: string };
    const tags: Record<string, string> = {};
    for (const t of [q.tag ?? []].flat()) {
      const i = t.indexOf("=");
      if (i < 1) throw new HttpProblem(400, `tag ${t.slice(0, 100)}: write key=value`);
      tags[t.slice(0, i)] = t.slice(i + 1);
    }
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const r = await o.registry.list({ ...(q.status && { status: q.status }), tags, ...(q.search && { search: q.search }), limit, offset });
    return { items: r.items, total: r.total, limit, offset };
  });

  const mustGet = async (name: string) => {
    const env = await o.registry.get(name);
    if (!env) throw new HttpProblem(404, `no environment named ${name.slice(0, 100)}`);
    return env;
  };
  app.get("/api/v1/environments/:name", { schema: { summary: "an environment: status, outputs (secrets hidden), template", params: S.nameParam, response: { 200: S.anyObject } } }, async (req) =>
    mustGet((req.params as { name: string }).name));
  app.get("/api/v1/environments/:name/history", { schema: { summary: "status transitions", params: S.nameParam, response: { 200: S.anyObject } } }, async (req) => {
    const { name } = req.params as { name: string };
    await mustGet(name);
    return { items: await o.registry.history(name) };
  });
  app.get("/api/v1/environments/:name/resources", { schema: { summary: "resources with their components and dependencies", params: S.nameParam, response: { 200: S.anyObject } } }, async (req) => {
    const { name } = req.params as { name: string };
    await mustGet(name);
    return { items: await o.registry.resources(name) };
  });
  app.get("/api/v1/environments/:name/operations", { schema: { summary: "operations, newest last", params: S.nameParam, response: { 200: S.anyObject } } }, async (req) => {
    const { name } = req.params as { name: string };
    await mustGet(name);
    return { items: await o.registry.operations(name) };
  });

  app.get("/api/v1/templates", { schema: { summary: "templates", response: { 200: S.anyObject } } }, async () => ({ items: await o.templates() }));
  app.get("/api/v1/templates/:id", { schema: { summary: "a template's versions", params: S.idParam, response: { 200: S.anyObject } } }, async (req) => {
    const { id } = req.params as { id: string };
    const versions = (await o.templates()).filter((t) => t.id === id);
    if (!versions.length) throw new HttpProblem(404, `no template ${id.slice(0, 100)}`);
    return { id, versions };
  });

  const { createEnvironment } = await import("../app/create.js");
  const { updateEnvironment, upgradeEnvironment } = await import("../app/update.js");
  const { destroyEnvironments, planDestroy } = await import("../app/destroy.js");
  const { recoverEnvironment } = await import("../app/recover.js");
  const { parseTtl, checkName } = await import("../core/inputs.js");
  const text = (params: Record<string, string | number | boolean> | undefined) => Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, String(v)]));

  app.post("/api/v1/environments", { schema: { summary: "create an environment (asynchronous)", body: S.createBody, headers: S.idempotencyHeader, response: { 202: S.accepted } } }, async (req, reply) => {
    const b = req.body as { name: string; template: string; params?: Record<string, string | number | boolean>; tags?: Record<string, string>; ttl?: string; description?: string; location?: string };
    checkName(b.name);
    const ttlMs = b.ttl === undefined ? undefined : parseTtl(b.ttl);
    return accept(req, reply, (ctx) =>
      createEnvironment(ctx, {
        name: b.name,
        template: b.template,
        params: text(b.params),
        tags: b.tags ?? {},
        location: b.location ?? "sandbox",
        ...(b.description !== undefined && { description: b.description }),
        ...(ttlMs !== undefined && { ttlMs }),
      }));
  });

  app.patch("/api/v1/environments/:name", { schema: { summary: "update parameters, or upgrade to another template version (asynchronous)", params: S.nameParam, body: S.patchBody, headers: S.idempotencyHeader, response: { 202: S.accepted } } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    const b = req.body as { params?: Record<string, string | number | boolean>; template?: string };
    if (b.template !== undefined) {
      const to = b.template.includes("@") ? b.template.split("@")[1]! : b.template;
      return accept(req, reply, (ctx) => upgradeEnvironment(ctx, { name, to, params: text(b.params) }));
    }
    return accept(req, reply, (ctx) => updateEnvironment(ctx, { name, params: text(b.params) }));
  });

  app.delete("/api/v1/environments/:name", { schema: { summary: "destroy an environment; cascade=true destroys its dependents first (asynchronous)", params: S.nameParam, querystring: S.cascadeQuery, headers: S.idempotencyHeader, response: { 202: S.accepted } } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    const cascade = (req.query as { cascade?: string }).cascade === "true";
    return accept(req, reply, async (ctx) => destroyEnvironments(ctx, await planDestroy(ctx, name, cascade)));
  });

  app.post("/api/v1/environments/:name/recover", { schema: { summary: "get an interrupted or failed environment moving again (asynchronous)", params: S.nameParam, headers: S.idempotencyHeader, response: { 202: S.accepted } } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    return accept(req, reply, (ctx) => recoverEnvironment(ctx, name));
  });

  app.get("/api/v1/operations/:id", { schema: { summary: "an operation", params: S.opParam, response: { 200: S.anyObject } } }, async (req) => {
    const { id } = req.params as { id: string };
    const op = await o.registry.operation(id);
    if (!op) throw new HttpProblem(404, `no operation ${id}`);
    const { eventsFile: _hidden, ...shown } = op;
    return shown;
  });

  app.get("/api/v1/operations/:id/events", { schema: { summary: "the operation's events as server-sent events, until it ends", params: S.opParam } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const live = o.operations.get(id);
    const record = live ? undefined : await o.registry.operation(id);
    if (!live && !record) throw new HttpProblem(404, `no operation ${id}`);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (e: OperationEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    const end = (result: string) => {
      res.write(`event: end\ndata: ${JSON.stringify({ operation: id, result })}\n\n`);
      res.end();
    };
    if (live) {
      for (const e of live.events) send(e);
      if (live.done) return end(String((await o.registry.operation(id))?.result ?? "finished"));
      const listener = (e: OperationEvent | undefined) => {
        if (e) return send(e);
        void o.registry.operation(id).then((r) => end(String(r?.result ?? "finished")));
      };
      live.listeners.add(listener);
      req.raw.on("close", () => live.listeners.delete(listener));
      return;
    }
    // Run by another server, or before this one started: what the registry knows.
    end(record!.result);
  });

  return app;
}
