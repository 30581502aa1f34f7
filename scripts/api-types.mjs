#!/usr/bin/env node
// Writes src/cli/api.gen.ts: TypeScript types of infra server's OpenAPI
// document (openapi-typescript), for the CLI's client mode. Run after a
// change to the API (npm run build && npm run api-types); a unit test fails
// while the file is stale.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { openApiDocument } = await import(pathToFileURL(join(root, "dist/src/server/openapi-doc.js")).href);
const { apiTypes } = await import(pathToFileURL(join(root, "dist/src/server/api-types.js")).href);
writeFileSync(join(root, "src/cli/api.gen.ts"), await apiTypes(await openApiDocument("0.0.0")));
console.log("wrote src/cli/api.gen.ts");
