// JSON with object keys sorted at every depth: one text for one value, whatever
// order its fields were written in (hashes of commands and of a set's inputs).
export function canonicalJson(v: unknown): string {
  const sorted = (x: unknown): unknown =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, sorted((x as Record<string, unknown>)[k])]),
        )
      : Array.isArray(x)
        ? x.map(sorted)
        : x;
  return JSON.stringify(sorted(v));
}
