// JSON Schemas of the API's requests: strict (additionalProperties false,
// bounded strings and maps), so bad input is a 400 before any handler runs.
const NAME = "^[a-z][a-z0-9-]{0,62}$";
const scalar = { type: ["string", "number", "boolean"], maxLength: 4096 } as const;

export const anyObject = { type: "object", additionalProperties: true } as const;

export const nameParam = { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", pattern: NAME } } } as const;
export const idParam = { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string", pattern: NAME } } } as const;
export const opParam = { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "string", pattern: "^[0-9a-f-]{36}$" } } } as const;

export const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    status: { type: "string", maxLength: 30 },
    tag: { anyOf: [{ type: "string", maxLength: 300 }, { type: "array", maxItems: 20, items: { type: "string", maxLength: 300 } }] },
    search: { type: "string", maxLength: 200 },
    limit: { type: "string", pattern: "^(0|[1-9][0-9]{0,3})$" },
    offset: { type: "string", pattern: "^(0|[1-9][0-9]{0,6})$" },
  },
} as const;

export const forceQuery = { type: "object", additionalProperties: false, properties: { force: { type: "string", enum: ["true", "false"] } } } as const;
export const cascadeQuery = { type: "object", additionalProperties: false, properties: { cascade: { type: "string", enum: ["true", "false"] } } } as const;

export const idempotencyHeader = { type: "object", properties: { "idempotency-key": { type: "string", maxLength: 200 } } } as const;

export const createBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "template"],
  properties: {
    name: { type: "string", pattern: NAME },
    template: { type: "string", maxLength: 200, description: "id or id@version" },
    params: { type: "object", maxProperties: 100, additionalProperties: scalar },
    tags: { type: "object", maxProperties: 50, additionalProperties: { type: "string", maxLength: 200 } },
    ttl: { type: "string", maxLength: 20, description: "30m, 72h, 7d" },
    description: { type: "string", maxLength: 1000 },
    location: { type: "string", maxLength: 300 },
  },
} as const;

export const patchBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    params: { type: "object", maxProperties: 100, additionalProperties: scalar },
    template: { type: "string", maxLength: 200, description: "upgrade to this version: id@version or a version" },
  },
} as const;

export const accepted = {
  type: "object",
  properties: { operationId: { type: "string" }, environment: { type: "string" }, status: { type: "string" }, replayed: { type: "boolean" } },
} as const;
