// The CLI's client types are the server's OpenAPI document's: regenerated
// here and compared with the committed file, which the client compiles
// against (src/cli/client.ts), so the two cannot drift apart unnoticed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiTypes } from "../../../src/server/api-types.js";
import { openApiDocument } from "../../../src/server/openapi-doc.js";

describe("the CLI's client types", () => {
  it("are those of the OpenAPI document the server serves (else: npm run build && npm run api-types)", async () => {
    const committed = readFileSync("src/cli/api.gen.ts", "utf8");
    expect(await apiTypes(await openApiDocument("0.0.0"))).toBe(committed);
  }, 30_000);
});
