// What a checked template implies about order: components come after those
// they use; an output's text. No parser here: programs import this.
import { parseExpr } from "./expr.js";
import type { TemplateSpec } from "./schema.js";

export function outputText(o: TemplateSpec["outputs"][string]): string {
  return typeof o === "string" ? o : o.value;
}

/** A cycle in "component uses component", as a path that returns to its start, or undefined. */
export function findCycle(uses: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "open") return [...path.slice(path.indexOf(n)), n];
    state.set(n, "open");
    path.push(n);
    for (const m of uses.get(n) ?? []) {
      const found = visit(m);
      if (found) return found;
    }
    path.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of uses.keys()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

/** Components in an order where each comes after those it uses (the template is checked acyclic). */
export function componentOrder(spec: TemplateSpec): TemplateSpec["components"] {
  const byName = new Map(spec.components.map((c) => [c.name, c]));
  const out: TemplateSpec["components"] = [];
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    const c = byName.get(name)!;
    for (const v of Object.values(c.with)) {
      const texts = v && typeof v === "object" && !Array.isArray(v) ? Object.values(v) : [v].flat();
      for (const s of texts) {
        if (typeof s !== "string") continue;
        for (const ref of parseExpr(s)) if (typeof ref !== "string" && ref.kind === "component") visit(ref.name);
      }
    }
    out.push(c);
  };
  for (const c of spec.components) visit(c.name);
  return out;
}
