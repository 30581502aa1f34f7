// The OpenAPI document without a running server: the routes built on inert
// parts (nothing is called until a request comes, and none comes). The CLI's
// client types are generated from it (scripts/api-types.mjs), so what the
// client sends and reads is what the server documents.
import type { Operations } from "./operations.js";
import type { Registry } from "../registry/types.js";
import type { Submitter } from "./submit.js";

export async function openApiDocument(version: string): Promise<Record<string, unknown>> {
  const { buildHttp } = await import("./http.js");
  const inert = {} as never;
  const app = await buildHttp({
    registry: inert as Registry,
    operations: inert as Operations,
    submitter: inert as Submitter,
    templates: async () => ({ items: [], broken: [] }),
    role: {},
    version,
  });
  await app.ready();
  const doc = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return doc;
}
