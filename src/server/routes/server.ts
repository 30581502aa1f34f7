// The server itself: liveness, readiness, the token a caller holds, the
// contract documents, and promoting a secondary.
import type { FastifyInstance } from "fastify";
import { auditPage } from "../../app/audit.js";
import { environmentGraph as buildGraph, resourceGraph } from "../../app/graph.js";
import { GRAPH_CONTENT_TYPES, renderGraph } from "../../app/graph-text.js";
import type { Registry } from "../../registry/types.js";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";

export interface ServerRoutes {
  registry: Registry;
  /** Engine and bus reachability for /ready. */
  ready?: () => Promise<Record<string, string>>;
  /** The AMQP command message's JSON Schema. */
  commandSchema?: () => Promise<unknown>;
  /** The bus's AsyncAPI 3 document. */
  asyncApi?: () => Promise<unknown>;
  role: { secondaryOf?: string };
  promote?: (force: boolean) => Promise<void>;
}

export async function serverRoutes(app: FastifyInstance, o: ServerRoutes): Promise<void> {
  app.get("/api/v1/openapi.json", { schema: { hide: true } }, async function openapi() {
    return app.swagger();
  });

  app.get("/api/v1/asyncapi.json", { schema: { hide: true } }, async function asyncApi() {
    if (!o.asyncApi) throw new HttpProblem(404, "this server takes no AMQP commands");
    return o.asyncApi();
  });

  app.get("/api/v1/amqp/command.schema.json", { schema: { hide: true } }, async function commandSchema() {
    if (!o.commandSchema) throw new HttpProblem(404, "this server takes no AMQP commands");
    return o.commandSchema();
  });

  app.get("/api/v1/graph", { schema: S.environmentGraph }, async function environmentGraph(req, reply) {
    const q = req.query as { format?: "json" | "dot" | "mermaid" | "svg"; focus?: string; depth?: string; all?: string; resources?: string };
    if (q.resources !== undefined && (q.focus !== undefined || q.depth !== undefined || q.all !== undefined))
      // 422, not 400: each parameter fits the document; together they ask for two graphs.
      throw new HttpProblem(422, "resources=NAME draws all of one environment's resources: leave out focus, depth and all");
    const g =
      q.resources !== undefined
        ? await resourceGraph(o.registry, q.resources)
        : await buildGraph(o.registry, {
            ...(q.focus !== undefined && { focus: q.focus }),
            ...(q.depth !== undefined && { depth: Number(q.depth) }),
            all: q.all === "true",
          });
    const format = q.format ?? "json";
    if (format === "json") return g;
    reply.type(GRAPH_CONTENT_TYPES[format]);
    return renderGraph(g, format);
  });

  app.get("/api/v1/audit", { schema: S.auditLog }, async function auditLog(req) {
    const q = req.query as { environment?: string; actor?: string; action?: string; since?: string; before?: string; limit?: string };
    return auditPage(o.registry, {
      ...(q.environment !== undefined && { environment: q.environment }),
      ...(q.actor !== undefined && { actor: q.actor }),
      ...(q.action !== undefined && { action: q.action }),
      ...(q.since !== undefined && { since: q.since }),
      ...(q.before !== undefined && { before: Number(q.before) }),
      ...(q.limit !== undefined && { limit: Number(q.limit) }),
    });
  });

  app.get("/api/v1/health", { schema: S.health }, async function health() {
    return { status: "ok" };
  });

  app.get("/api/v1/ready", { schema: S.ready }, async function ready(_req, reply) {
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
    return { status: ok ? "ok" : "not ready", role: o.role.secondaryOf ? "secondary" : "primary", checks };
  });

  app.get("/api/v1/whoami", { schema: S.whoami }, async function whoami(req) {
    return { name: req.token!.name, role: req.token!.role, server: o.role.secondaryOf ? "secondary" : "primary" };
  });

  app.post("/api/v1/admin/promote", { schema: S.promote }, async function promote(req) {
    if (!o.role.secondaryOf) throw new HttpProblem(409, "this server is the primary already");
    if (!o.promote) throw new HttpProblem(409, "this secondary cannot promote its registry");
    const was = o.role.secondaryOf;
    await o.promote((req.query as { force?: string }).force === "true");
    o.role.secondaryOf = undefined;
    req.log.warn({ by: req.token!.name, was }, "promoted to primary");
    await o.registry.audit(`token:${req.token!.name}`, "server-promoted", undefined, { formerPrimary: was });
    return { role: "primary", formerPrimary: was };
  });
}
