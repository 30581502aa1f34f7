// The CLI client's types, made from the OpenAPI document by openapi-typescript
// (a development tool: only scripts/api-types.mjs and its test load this).
export async function apiTypes(doc: Record<string, unknown>): Promise<string> {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(doc as never, { alphabetize: true });
  return `// Generated from infra server's OpenAPI document by scripts/api-types.mjs (openapi-typescript): do not edit.\n// After a change to the API: npm run build && npm run api-types.\n\n${astToString(ast)}`;
}
