// The REST API, api/v1 (fastify): strict schemas feeding the OpenAPI 3.1
// document, bearer tokens, problem+json for every refusal, and the routes,
// one plugin per resource (src/server/routes).
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Registry, TokenRecord } from "../registry/types.js";
import { authenticate, mayWrite, TOKEN_HEADER } from "./auth.js";
import type { ServerMetrics } from "./metrics.js";
import type { Operations } from "./operations.js";
import { HttpProblem, problemOf, sendProblem } from "./problem.js";
import { environmentRoutes } from "./routes/environments.js";
import { operationRoutes } from "./routes/operations.js";
import { setRoutes } from "./routes/sets.js";
import { hookRoutes, type HookOptions } from "./routes/hooks.js";
import { serverRoutes, type ServerRoutes } from "./routes/server.js";
import { templateRoutes, type BrokenTemplate, type TemplateView } from "./routes/templates.js";
import type { Submitter } from "./submit.js";
import type { Tracing } from "./tracing.js";
import { OPTIONAL_BODY } from "./schemas.js";

export interface HttpOptions {
  registry: Registry;
  operations: Operations;
  metrics?: ServerMetrics;
  submitter: Submitter;
  templates: () => Promise<{ items: TemplateView[]; broken: BrokenTemplate[] }>;
  ready?: ServerRoutes["ready"];
  commandSchema?: ServerRoutes["commandSchema"];
  asyncApi?: ServerRoutes["asyncApi"];
  /** A secondary serves reads and refuses changes, naming its primary; promote() makes it the primary. */
  role: { secondaryOf?: string };
  promote?: (force: boolean) => Promise<void>;
  bodyLimit?: number;
  /** GitHub webhooks for preview environments (absent: off). */
  github?: HookOptions["github"];
  logger?: boolean | object;
  /** A span per request (installed before any route, so handlers run in it). */
  tracing?: Tracing;
  version: string;
}

declare module "fastify" {
  interface FastifyRequest {
    token?: TokenRecord;
  }
}

/** Routes anyone may call: probes and the contract; the GitHub hook checks its own signature. */
const OPEN = new Set([
  "/api/v1/hooks/github",
  "/api/v1/health",
  "/api/v1/ready",
  "/api/v1/openapi.json",
  "/api/v1/amqp/command.schema.json",
  "/api/v1/asyncapi.json",
  "/metrics",
]);

export async function buildHttp(o: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    // One line per request, when it is answered (below), not two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: o.bodyLimit ?? 256 * 1024,
    // Strict: no coercion, no silent removal of unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, allowUnionTypes: true } },
    // What fastify refuses before routing (a malformed URL, a bad header) is problem+json too.
    frameworkErrors: (err, _req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      sendProblem(reply, status >= 400 && status < 500 ? status : 400, err.message.slice(0, 300));
    },
  });
  o.tracing?.http(app);
  // Every route's methods, so a path asked with another one answers 405 with Allow (below).
  const methodsOf = new Map<string, Set<string>>();
  let routesDone = false;
  app.addHook("onRoute", (r) => {
    if (routesDone) return;
    const set = methodsOf.get(r.url) ?? new Set<string>();
    for (const m of [r.method].flat()) set.add(m);
    methodsOf.set(r.url, set);
  });
  const { default: swagger } = await import("@fastify/swagger");
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "infra API",
        version: o.version,
        description: "Environments as Pulumi stacks, kept in a registry. Changes are asynchronous: 202 and an operation.",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      // The server that serves this document (wherever it listens).
      servers: [{ url: "/", description: "this server" }],
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: `Or the token alone in the header ${TOKEN_HEADER}, where a proxy takes Authorization for itself (a Kubernetes API server's service proxy)`,
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transformObject: (d) => optionalBodies(("openapiObject" in d ? d.openapiObject : d.swaggerObject) as Json),
  });

  app.setErrorHandler(function onError(err, req, reply) {
    // A wrong method whose request fastify refused before its handler (a QUERY without a body's type): still 405.
    const allow = (req.routeOptions.config as { allow?: string } | undefined)?.allow;
    if (allow) return wrongMethod(req, reply, allow);
    const p = problemOf(err);
    if (p.status >= 500) req.log.error({ err }, "request failed");
    if (p.status === 429 && typeof p.extra.retryAfter === "number") reply.header("retry-after", String(p.extra.retryAfter));
    if (p.status === 401) reply.header("www-authenticate", 'Bearer realm="infra"');
    return sendProblem(reply, p.status, p.detail, p.extra);
  });
  app.setNotFoundHandler(function notFound(req, reply) {
    return sendProblem(reply, 404, `no route ${req.method} ${req.url.split("?")[0]!.slice(0, 200)}: see /api/v1/openapi.json`);
  });

  app.addHook("onResponse", async function logRequest(req, reply) {
    const route = req.routeOptions.url ?? "(no route)";
    o.metrics?.request(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const line = { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime), ...(req.token && { token: req.token.name }) };
    if (reply.statusCode >= 500) req.log.error(line, "request failed");
    else req.log.info(line, `${req.method} ${route} ${reply.statusCode}`);
  });

  // Every route but the open ones needs a token; changes need a write token.
  app.addHook("onRequest", async function authorise(req) {
    const path = req.url.split("?")[0]!;
    if (OPEN.has(path)) return;
    req.token = await authenticate(o.registry, req.headers.authorization, req.headers["x-infra-token"]);
    if (req.method !== "GET" && req.method !== "HEAD") {
      mayWrite(req.token);
      if (o.role.secondaryOf && path !== "/api/v1/admin/promote") {
        throw new HttpProblem(503, `this server is a secondary of ${o.role.secondaryOf}: send changes to the primary`, { primary: o.role.secondaryOf });
      }
    }
  });

  // Prometheus's scrape: open, as /health is (no names in it, only counts by kind, route and status).
  app.get("/metrics", { schema: { hide: true } }, async function metrics(_req, reply) {
    if (!o.metrics) return sendProblem(reply, 404, "this server keeps no metrics");
    reply.type(o.metrics.contentType);
    return o.metrics.text();
  });

  await app.register(serverRoutes, {
    registry: o.registry,
    role: o.role,
    ...(o.ready && { ready: o.ready }),
    ...(o.commandSchema && { commandSchema: o.commandSchema }),
    ...(o.asyncApi && { asyncApi: o.asyncApi }),
    ...(o.promote && { promote: o.promote }),
  });
  await app.register(environmentRoutes, { registry: o.registry, submitter: o.submitter });
  await app.register(operationRoutes, { registry: o.registry, operations: o.operations });
  await app.register(setRoutes, { registry: o.registry, submitter: o.submitter });
  await app.register(hookRoutes, { registry: o.registry, submitter: o.submitter, role: o.role, ...(o.github && { github: o.github }) });
  await app.register(templateRoutes, { templates: o.templates });

  // A known path asked with a method it does not take: 405 and the methods it does (RFC 9110).
  await app.register(async function wrongMethods(scope) {
    routesDone = true;
    const ALL = scope.supportedMethods;
    for (const [url, methods] of methodsOf) {
      const missing = ALL.filter((m) => !methods.has(m));
      const allow = ALL.filter((m) => methods.has(m)).join(", ");
      if (!missing.length) continue;
      scope.route({ method: missing, url, schema: { hide: true }, config: { allow }, handler: async (req, reply) => wrongMethod(req, reply, allow) });
    }
  });
  return app;
}

type Json = Record<string, unknown>;

function wrongMethod(req: FastifyRequest, reply: FastifyReply, allow: string): FastifyReply {
  reply.header("allow", allow);
  return sendProblem(reply, 405, `${req.method} is not a method of ${req.routeOptions.url}: use ${allow}`);
}

/** The document says a body may be left out where the route allows it (fastify-swagger marks every body required). */
function optionalBodies(doc: Json): Json {
  for (const methods of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const op of Object.values(methods)) {
      if (!op[OPTIONAL_BODY]) continue;
      delete op[OPTIONAL_BODY];
      const body = op.requestBody as { required?: boolean } | undefined;
      if (body) body.required = false;
    }
  }
  return doc;
}
