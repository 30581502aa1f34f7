// The API's schemas: request bodies derived from the one command type
// (src/app/commands.ts), so the REST contract and the use cases cannot
// disagree; strict (unknown fields, wrong types: 400 before any handler);
// every status a route can answer documented, errors as problem+json.
import { z } from "zod";
import { commandSchema, type CommandKind } from "../app/commands.js";
import { NAME } from "../core/inputs.js";
import { STATUSES } from "../core/status.js";

type Json = Record<string, unknown>;

/** A command's JSON Schema as a request body: without `kind`, fields renamed (a create's `environment` is the body's `name`). */
function bodyOf(kind: CommandKind, drop: string[] = [], rename: Record<string, string> = {}): Json {
  const option = commandSchema.options.find((o) => o.shape.kind.value === kind)!;
  const { $schema: _s, ...schema } = z.toJSONSchema(option, { target: "draft-7" }) as Json & { properties: Json; required: string[] };
  const properties: Json = {};
  for (const [k, v] of Object.entries(schema.properties)) if (k !== "kind" && !drop.includes(k)) properties[rename[k] ?? k] = v;
  const required = schema.required.filter((k) => k !== "kind" && !drop.includes(k)).map((k) => rename[k] ?? k);
  return { ...schema, properties, required };
}

export const problem = {
  type: "object",
  description: "RFC 9457 problem details; `field` names the input at fault, `allowed` what it may be",
  required: ["type", "title", "status", "detail"],
  additionalProperties: true,
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    field: { type: "string" },
    allowed: { type: "array", items: { type: "string" } },
  },
} as const;

const anyObject = { type: "object", additionalProperties: true } as const;
/** An answer whose shape is the registry's record, with one example of it (the document shows it; clients see its fields). */
const answer = (example: Json) => ({ ...anyObject, examples: [example] });
const AT = "2026-12-01T09:00:00.000Z";
const OP = "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a";
const ENV_EXAMPLE = {
  id: "0b6f3c1e-8d2a-4f7b-9c5e-1a2b3c4d5e6f",
  name: "pr-42",
  description: "checkout redesign",
  status: "deployed-ok",
  template: { id: "k8s-namespace-app", version: "1.2.0", source: "builtin" },
  location: "sandbox",
  params: { image: "nginx:1.27" },
  tags: { team: "shop" },
  outputs: { url: { value: "https://pr-42.apps.example.com", kind: "entrypoint", secret: false }, apiToken: { secret: true } },
  createdAt: AT,
  updatedAt: AT,
  expiresAt: "2026-12-04T09:00:00.000Z",
  dependsOn: ["shared-db"],
  usedBy: [],
  lock: null,
};
/** A tag filter: a key as the command type's (a letter or '_', then letters, digits, '_', '.', '-'), '=', a value. */
const tagFilter = { type: "string", maxLength: 300, pattern: "^[A-Za-z_][A-Za-z0-9_.-]{0,63}=[^\\u0000-\\u001f]{0,200}$" } as const;
const envName = { type: "string", pattern: NAME.source, maxLength: 40 } as const;
const nameParam = { type: "object", additionalProperties: false, required: ["name"], properties: { name: envName } } as const;
const opParam = { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string", pattern: "^[0-9a-f-]{36}$" } } } as const;
const idParam = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "string", pattern: "^[a-z][a-z0-9-]{0,62}$" } },
} as const;
const idempotencyHeader = {
  type: "object",
  properties: { "idempotency-key": { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9._:-]{1,200}$" } },
} as const;

const accepted = {
  type: "object",
  description: "the operation, running; follow it at the Location header (GET /api/v1/operations/{id}, …/events)",
  properties: { operationId: { type: "string" }, environment: { type: "string" }, status: { type: "string" }, replayed: { type: "boolean" } },
  headers: { location: { type: "string" } },
  examples: [{ operationId: "7f1c2a9e-5b1d-4c8e-9a57-3f0e2d1c4b6a", environment: "pr-42", status: "running" }],
} as const;
const done = {
  type: "object",
  description: "nothing had to run (status unchanged: a destroy of what is destroyed), or it is done already (extend, unlock, a reaper's dry run)",
  additionalProperties: true,
  properties: { status: { type: "string", enum: ["unchanged", "done"] }, reason: { type: "string" }, environment: { type: "string" } },
  examples: [{ status: "unchanged", environment: "pr-41", reason: "destroyed already" }],
} as const;

/** The headers a refusal carries, documented with it. */
const HEADERS: Record<number, Json> = {
  401: { "www-authenticate": { type: "string", description: 'Bearer realm="infra"' } },
  429: { "retry-after": { type: "integer", minimum: 1, description: "seconds to wait before trying again" } },
};
/** Refusals as RFC 9457 problem details, under their own media type. */
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s], ...(HEADERS[s] && { headers: HEADERS[s] }), content: { "application/problem+json": { schema: problem } } },
    ]),
  );
const DESCRIPTIONS: Record<number, string> = {
  400: "the request does not fit the schema",
  401: "no token, or an unknown or revoked one",
  403: "a read token asked for a change",
  404: "no such environment, template or operation",
  409: "the environment's status or lock refuses it now",
  413: "the body is too large",
  414: "a path parameter is longer than any name can be (100 characters)",
  502: "GitHub could not be read (the repository's infra-preview.yaml)",
  422: "the input is well-formed but refused (a template that does not exist, a bad parameter, a reused idempotency key)",
  429: "every worker is busy: retry after Retry-After seconds",
  503: "this server is a secondary, or stopping",
};
const READ = errors(400, 401, 404, 414);
const CHANGE = errors(400, 401, 403, 404, 409, 413, 414, 422, 429, 503);

/** Marks a route whose body may be left out (the document says so; see http.ts). */
export const OPTIONAL_BODY = "x-infra-optional-body";

const route = (operationId: string, tag: string, summary: string, rest: Json) => ({ operationId, tags: [tag], summary, ...rest });

export const listEnvironments = route("listEnvironments", "environments", "list environments", {
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      status: { type: "string", enum: [...STATUSES] },
      tag: {
        description: "key=value; repeat it for more (all must match)",
        anyOf: [tagFilter, { type: "array", maxItems: 20, items: tagFilter }],
      },
      search: { type: "string", maxLength: 200 },
      dependsOn: { ...envName, description: "only those that depend on this environment, transitively (404 when it names none)" },
      neededBy: { ...envName, description: "only those this environment needs, transitively (404 when it names none)" },
      limit: { type: "string", pattern: "^(0|[1-9][0-9]{0,3})$" },
      offset: { type: "string", pattern: "^(0|[1-9][0-9]{0,6})$" },
    },
  },
  response: {
    200: answer({
      items: [
        { name: "pr-42", status: "deployed-ok", template: ENV_EXAMPLE.template, createdAt: AT, description: "checkout redesign", tags: { team: "shop" } },
      ],
      total: 1,
      limit: 50,
      offset: 0,
    }),
    ...errors(400, 401, 404),
  },
});
export const environmentGraph = route(
  "environmentGraph",
  "environments",
  "the environments and their dependencies, or one environment's resources: format=json (default), dot, mermaid or svg; focus=NAME&depth=N around one; resources=NAME",
  {
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: {
        format: { type: "string", enum: ["json", "dot", "mermaid", "svg"] },
        focus: envName,
        resources: envName,
        depth: { type: "string", pattern: "^[1-9][0-9]{0,2}$" },
        all: { type: "string", enum: ["true", "false"] },
      },
    },
    response: {
      200: {
        description: "the graph in the format asked for",
        content: {
          "application/json": {
            schema: answer({
              nodes: [
                { name: "pr-42", status: "deployed-ok", template: "k8s-namespace-app@1.2.0" },
                { name: "shared-db", status: "deployed-ok", template: "postgres@2.1.0" },
              ],
              edges: [{ from: "pr-42", to: "shared-db", reason: "parameter database" }],
            }),
          },
          "text/vnd.graphviz": { schema: { type: "string" } },
          "text/vnd.mermaid": { schema: { type: "string" } },
          "image/svg+xml": { schema: { type: "string" } },
        },
      },
      ...errors(400, 401, 404, 422),
    },
  },
);
export const auditLog = route("auditLog", "server", "the audit log, newest first: who did what to which environment (paged with before=next)", {
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      environment: envName,
      actor: { type: "string", maxLength: 200 },
      action: { type: "string", maxLength: 60 },
      since: { type: "string", maxLength: 40, description: "a duration back from now (30m, 24h, 7d) or an ISO 8601 time" },
      before: { type: "string", pattern: "^[1-9][0-9]{0,15}$" },
      limit: { type: "string", pattern: "^([1-9][0-9]{0,2}|1000)$", description: "1 to 1000 (default 50)" },
    },
  },
  response: {
    200: answer({ items: [{ seq: 12, at: AT, who: "token:ci", action: "create", environment: "pr-42", detail: { operation: OP } }], next: 11 }),
    ...errors(400, 401, 404, 422),
  },
});
export const getEnvironment = route("getEnvironment", "environments", "an environment: status, outputs (secrets hidden), template", {
  params: nameParam,
  response: { 200: answer(ENV_EXAMPLE), ...READ },
});
export const environmentHistory = route("environmentHistory", "environments", "status transitions", {
  params: nameParam,
  response: {
    200: answer({
      items: [
        { from: "new", to: "deploying", at: AT, operationId: OP },
        { from: "deploying", to: "deployed-ok", at: AT, operationId: OP },
      ],
    }),
    ...READ,
  },
});
export const environmentResources = route("environmentResources", "environments", "resources with their components and dependencies", {
  params: nameParam,
  response: {
    200: answer({
      items: [
        { urn: "urn:pulumi:pr-42::infra::kubernetes:apps/v1:Deployment::web", type: "kubernetes:apps/v1:Deployment", name: "web", status: "ok", dependsOn: [] },
      ],
    }),
    ...READ,
  },
});
export const environmentOperations = route("environmentOperations", "environments", "operations, newest last", {
  params: nameParam,
  response: {
    200: answer({
      items: [{ id: OP, environment: "pr-42", kind: "create", who: "token:ci", startedAt: AT, endedAt: AT, result: "succeeded", summary: { create: 7 } }],
    }),
    ...READ,
  },
});

export const createEnvironment = route("createEnvironment", "environments", "create an environment (asynchronous)", {
  body: {
    ...bodyOf("create", [], { environment: "name" }),
    examples: [{ name: "pr-42", template: "k8s-namespace-app@1.2.0", params: { image: "nginx:1.27" }, tags: { team: "shop" }, ttl: "72h" }],
  },
  headers: idempotencyHeader,
  response: { 202: accepted, ...CHANGE },
});
export const changeEnvironment = route("changeEnvironment", "environments", "update parameters, or upgrade to another template version (asynchronous)", {
  params: nameParam,
  body: {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    properties: {
      params: (bodyOf("update").properties as Json).params,
      template: {
        type: "string",
        maxLength: 200,
        pattern: "^([a-z][a-z0-9-]{0,62}@)?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]{1,40})?$",
        description: "upgrade to this version: id@version or a version",
      },
    },
    examples: [{ params: { image: "nginx:1.28" } }, { template: "1.3.0" }],
  },
  headers: idempotencyHeader,
  response: { 202: accepted, ...CHANGE },
});
export const destroyEnvironment = route(
  "destroyEnvironment",
  "environments",
  "destroy an environment; cascade=true destroys its dependents first (asynchronous; 200 when it is destroyed already)",
  {
    params: nameParam,
    querystring: { type: "object", additionalProperties: false, properties: { cascade: { type: "string", enum: ["true", "false"] } } },
    headers: idempotencyHeader,
    response: { 202: accepted, 200: done, ...CHANGE },
  },
);
export const recoverEnvironment = route("recoverEnvironment", "environments", "get an interrupted or failed environment moving again (asynchronous)", {
  params: nameParam,
  headers: idempotencyHeader,
  response: { 202: accepted, ...CHANGE },
});
export const forgetEnvironment = route(
  "forgetEnvironment",
  "environments",
  "forget an environment whose cluster is gone for good: its state is dropped, nothing is called, it is recorded destroyed (asynchronous; audited)",
  {
    params: nameParam,
    headers: idempotencyHeader,
    response: { 202: accepted, 200: done, ...CHANGE },
  },
);
export const checkDrift = route(
  "checkDrift",
  "environments",
  "check now whether the world still holds what the environment declares: a refresh preview, nothing written to its state (asynchronous; the operation's outcome and GET …/drift say what it found)",
  { params: nameParam, headers: idempotencyHeader, response: { 202: accepted, ...CHANGE } },
);
export const reconcileEnvironment = route(
  "reconcileEnvironment",
  "environments",
  "put back what the environment declares: an update that refreshes first, with its recorded template and parameters; pruneUnmanaged also deletes what nobody declared in its namespaces (asynchronous)",
  {
    params: nameParam,
    body: { ...bodyOf("reconcile", ["environment"]), nullable: true, examples: [{ pruneUnmanaged: true }] },
    [OPTIONAL_BODY]: true,
    headers: idempotencyHeader,
    response: { 202: accepted, ...CHANGE },
  },
);
export const refreshEnvironment = route(
  "refreshEnvironment",
  "environments",
  "accept into the environment's state what was changed outside infra (pulumi refresh): nothing outside is changed (asynchronous)",
  { params: nameParam, headers: idempotencyHeader, response: { 202: accepted, ...CHANGE } },
);
export const checkHealth = route(
  "checkHealth",
  "environments",
  "probe the environment's status outputs now (asynchronous; GET …/health says what each found); a failing check makes it deployed-fail, a passing one clears a failure health set",
  { params: nameParam, headers: idempotencyHeader, response: { 202: accepted, 200: done, ...CHANGE } },
);
export const lastHealth = route(
  "lastHealth",
  "environments",
  "the last health check (after a deployment or on demand): when, by whom, and each status output's state and what it found (404 before the first)",
  {
    params: nameParam,
    response: {
      200: answer({
        state: "failing",
        checks: [{ output: "health", target: "https://pr-42.apps.example.com/healthz", state: "failing", detail: "HTTP 503 after 3 attempts", attempts: 3 }],
        checkedAt: AT,
        by: "drift-checker",
      }),
      ...READ,
    },
  },
);
export const lastDrift = route(
  "lastDrift",
  "environments",
  "the last drift check: when, by whom, and each resource changed or missing (404 before the first)",
  {
    params: nameParam,
    response: {
      200: answer({
        environment: "pr-42",
        checkedAt: AT,
        by: "token:ci",
        operation: OP,
        inSync: false,
        changed: 1,
        missing: 0,
        unmanaged: 0,
        resources: [
          {
            state: "changed",
            type: "kubernetes:apps/v1:Deployment",
            name: "web",
            urn: "urn:pulumi:pr-42::infra::kubernetes:apps/v1:Deployment::web",
            fields: [{ path: "spec.template.spec.containers[0].image", declared: "nginx:1.27", actual: "nginx:1.25" }],
          },
        ],
      }),
      ...READ,
    },
  },
);
export const recordEnvironment = route(
  "recordEnvironment",
  "environments",
  "record an environment another infra made and keeps the stack of (infra bootstrap sends the meta environment): listed with its outputs and resources; the engine's operations on it are refused here (asynchronous, no engine run)",
  {
    params: nameParam,
    body: {
      ...bodyOf("record", ["environment"]),
      examples: [
        {
          template: "meta@1.0.0",
          location: "sandbox",
          from: "infra bootstrap on alice@laptop",
          outputs: { apiUrl: { value: "http://infra-api.infra.svc:7780", secret: false, kind: "entrypoint" }, kubeconfig: { secret: true } },
        },
      ],
    },
    headers: idempotencyHeader,
    response: { 202: accepted, ...CHANGE },
  },
);
export const extendEnvironment = route("extendEnvironment", "environments", "move the planned destruction to ttl from now (audited)", {
  params: nameParam,
  body: { ...bodyOf("extend", ["environment"]), examples: [{ ttl: "24h" }] },
  headers: idempotencyHeader,
  response: { 200: done, ...CHANGE },
});
export const unlockEnvironment = route(
  "unlockEnvironment",
  "environments",
  "remove the lock of a run that is gone for good; its operation is marked interrupted (audited)",
  {
    params: nameParam,
    body: { ...bodyOf("unlock", ["environment"]), nullable: true, examples: [{ reason: "the CI runner that held it was deleted" }] },
    [OPTIONAL_BODY]: true,
    headers: idempotencyHeader,
    response: { 200: done, ...CHANGE },
  },
);
export const reapEnvironments = route(
  "reapEnvironments",
  "environments",
  "destroy expired environments, dependents first (asynchronous; 200 when none expired or dryRun)",
  {
    body: { ...bodyOf("reap"), nullable: true, examples: [{ dryRun: true }] },
    [OPTIONAL_BODY]: true,
    headers: idempotencyHeader,
    response: { 202: accepted, 200: done, ...CHANGE },
  },
);

const SET_EXAMPLE = {
  set: "shop",
  levels: [["db"], ["api", "worker"]],
  steps: [
    { environment: "db", action: "unchanged", template: "postgres@1.0.0", after: [], reason: "template, parameters and upstream outputs as last applied" },
    { environment: "api", action: "update", template: "k8s-namespace-app@1.2.0", after: ["db"], reason: "parameters changed: image" },
    { environment: "worker", action: "create", template: "k8s-namespace-app@1.2.0", after: ["db"], reason: "new" },
  ],
  unlisted: [],
  done: false,
};
const setParam = { type: "object", additionalProperties: false, required: ["set"], properties: { set: envName } } as const;
export const applySet = route(
  "applySet",
  "sets",
  "apply a set of environments: a plan (create, update, upgrade, unchanged, destroy with prune), then the run in dependency order (asynchronous; 200 with the plan when plan is true or nothing has to run)",
  {
    body: {
      ...bodyOf("apply"),
      examples: [
        {
          set: "shop",
          environments: [
            { name: "db", template: "postgres@1.0.0" },
            { name: "api", template: "k8s-namespace-app@1.2.0", params: { image: "shop/api:1.4", database: "db" } },
          ],
          prune: true,
        },
      ],
    },
    response: {
      202: {
        ...anyObject,
        description: "the plan, running: each step gets its result and operation as it runs; follow it at the Location header",
        headers: { location: { type: "string" } },
        examples: [{ run: OP, status: "running", ...SET_EXAMPLE }],
      },
      200: {
        ...anyObject,
        description: "the plan only (plan: true), or nothing had to run (every environment as last applied)",
        examples: [{ status: "planned", ...SET_EXAMPLE }],
      },
      ...CHANGE,
    },
  },
);
export const setRun = route("setRun", "sets", "a set's run on this server: the plan, each step's result and operation as it runs (kept in memory)", {
  params: {
    type: "object",
    additionalProperties: false,
    required: ["set", "run"],
    properties: { set: envName, run: { type: "string", pattern: "^[0-9a-f-]{36}$" } },
  },
  response: { 200: answer({ run: OP, status: "running", ...SET_EXAMPLE }), ...READ },
});
export const getSet = route("getSet", "sets", "a set: its environments (those tagged infra.set=<set>, not destroyed; none: an empty list)", {
  params: setParam,
  response: {
    200: answer({ set: "shop", environments: [{ name: "db", status: "deployed-ok", template: { id: "postgres", version: "1.0.0", source: "builtin" } }] }),
    ...READ,
  },
});

export const githubHook = route(
  "githubHook",
  "hooks",
  "GitHub pull_request events: opened, reopened and synchronize apply pr-<repository>-<number> from the repository's infra-preview.yaml; closed destroys it. Signed with the webhook's secret (X-Hub-Signature-256), no bearer token; a repeated X-GitHub-Delivery runs nothing",
  {
    security: [],
    headers: {
      type: "object",
      // Not required here: a missing signature is a 401 the handler says, not a schema's 400.
      properties: {
        "x-hub-signature-256": { type: "string", description: "sha256=<hex HMAC-SHA256 of the body with the webhook's secret>" },
        "x-github-event": { type: "string", examples: ["pull_request"] },
        "x-github-delivery": { type: "string", maxLength: 100 },
      },
    },
    response: {
      202: answer({ status: "accepted", environment: "pr-shop-42", action: "create" }),
      200: answer({ status: "replayed", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958" }),
      ...errors(400, 401, 404, 409, 422, 502, 503),
    },
  },
);

export const getOperation = route("getOperation", "operations", "an operation", {
  params: opParam,
  response: {
    200: answer({ id: OP, environment: "pr-42", kind: "create", who: "token:ci", startedAt: AT, endedAt: AT, result: "succeeded", summary: { create: 7 } }),
    ...READ,
  },
});
export const operationEvents = route("operationEvents", "operations", "the operation's events as server-sent events, until it ends", {
  params: opParam,
  produces: ["text/event-stream"],
  response: {
    // One server-sent event, as OpenAPI 3.1 tools read a text/event-stream schema (3.2's itemSchema).
    200: {
      description: "text/event-stream: one event per operation event (its type as the event name, the event as JSON data), then `end`",
      type: "object",
      required: ["event", "data"],
      properties: {
        event: { type: "string", description: "the operation event's type (started, step, notice, finished, …), or end" },
        data: { type: "string", contentMediaType: "application/json", description: "the event as JSON; end's: {operation, result}" },
      },
      examples: [{ event: "started", data: `{"type":"started","environment":"pr-42","operation":"${OP}","kind":"create"}` }],
    },
    ...READ,
  },
});

export const listTemplates = route("listTemplates", "templates", "templates (broken ones with their reason)", {
  response: {
    200: answer({
      items: [
        {
          id: "k8s-namespace-app",
          version: "1.2.0",
          description: "an app in a namespace of its own",
          source: "builtin",
          parameters: { image: { type: "string" } },
        },
      ],
      broken: [],
    }),
    ...errors(401),
  },
});
export const getTemplate = route("getTemplate", "templates", "a template's versions", {
  params: idParam,
  response: { 200: answer({ id: "k8s-namespace-app", versions: [{ version: "1.2.0", description: "an app in a namespace of its own" }] }), ...READ },
});

export const health = route("health", "server", "liveness", { security: [], response: { 200: answer({ status: "ok" }) } });
export const ready = route("ready", "server", "the registry, the engine and the bus are reachable", {
  security: [],
  response: {
    200: answer({ status: "ok", role: "primary", checks: { registry: "ok", engine: "ok", bus: "ok" } }),
    503: answer({ status: "not ready", role: "primary", checks: { registry: "ok", engine: "ok", bus: "not connected" } }),
  },
});
export const whoami = route("whoami", "server", "the token this request carries: its name and role", {
  response: { 200: answer({ name: "ci", role: "write", server: "primary" }), ...errors(401) },
});
export const promote = route(
  "promote",
  "server",
  "make this secondary the primary: its registry's standby is promoted, then it takes changes (409 while the primary still streams to it, unless force=true)",
  {
    querystring: { type: "object", additionalProperties: false, properties: { force: { type: "string", enum: ["true", "false"] } } },
    response: { 200: answer({ role: "primary", formerPrimary: "https://infra-a.example.com" }), ...errors(400, 401, 403, 409) },
  },
);
