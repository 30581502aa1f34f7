// Field paths in drift ignore rules: keys joined by dots, list indexes in
// brackets (a number, or * for any), odd keys quoted: spec.replicas,
// spec.template.spec.containers[*].image, metadata.annotations["a/b"]. Read
// by a small scanner (no backtracking), the same way drift writes its paths.
export type Segment = { key: string } | { index: number | "*" };

const KEY_CHAR = /[A-Za-z0-9_-]/;

/** The path's segments, or undefined when it is not a path. */
export function parsePath(text: string): Segment[] | undefined {
  if (!text || text.length > 300) return undefined;
  const out: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      if (inner === "*") out.push({ index: "*" });
      else if (/^[0-9]{1,6}$/.test(inner)) out.push({ index: Number(inner) });
      else if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2) {
        try {
          const key = JSON.parse(inner) as unknown;
          if (typeof key !== "string" || !key) return undefined;
          out.push({ key });
        } catch {
          return undefined;
        }
      } else return undefined;
      i = close + 1;
      continue;
    }
    if (text[i] === ".") {
      if (i === 0 || i === text.length - 1 || text[i + 1] === "." || text[i + 1] === "[") return undefined;
      i++;
      continue;
    }
    // A key: runs to the next . or [.
    if (out.length && text[i - 1] !== ".") return undefined;
    let j = i;
    while (j < text.length && KEY_CHAR.test(text[j]!)) j++;
    if (j === i) return undefined;
    out.push({ key: text.slice(i, j) });
    i = j;
  }
  return out.length ? out : undefined;
}

/** Whether `rule` names `field` or a field above it (`metadata.annotations` covers each annotation). */
export function pathCovers(rule: Segment[], field: Segment[]): boolean {
  if (rule.length > field.length) return false;
  return rule.every((r, n) => {
    const f = field[n]!;
    if ("key" in r) return "key" in f && f.key === r.key;
    return "index" in f && (r.index === "*" || r.index === f.index);
  });
}
