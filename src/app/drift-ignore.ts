// A template's drift ignore rules applied to what a check found: a field a
// rule covers is not drift (an HPA scales spec.replicas by design); a resource
// left with no field is in sync.
import { parsePath, pathCovers, type Segment } from "../templates/paths.js";
import type { TemplateSpec } from "../templates/schema.js";
import type { DriftedResource } from "./events.js";

const kindOf = (type: string) => type.slice(type.lastIndexOf(":") + 1);

export function applyIgnoreRules(found: DriftedResource[], spec: TemplateSpec): DriftedResource[] {
  const rules = (spec.drift?.ignore ?? []).map((r) => ({ kind: r.kind, paths: r.paths.map((p) => parsePath(p)!) }));
  if (!rules.length) return found;
  const out: DriftedResource[] = [];
  for (const r of found) {
    const covering: Segment[][] = rules.filter((x) => x.kind === r.type || x.kind === kindOf(r.type)).flatMap((x) => x.paths);
    if (r.state !== "changed" || !covering.length) {
      out.push(r);
      continue;
    }
    const fields = r.fields.filter((f) => {
      const path = parsePath(f.path);
      return !path || !covering.some((c) => pathCovers(c, path));
    });
    if (fields.length) out.push({ ...r, fields });
  }
  return out;
}
