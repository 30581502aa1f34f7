// A preview as the CLI shows it: each resource that changes, its kind, each
// field old -> new, and which field forces a replacement; long lists fold.
import type { PlannedChange } from "../app/events.js";
import { shown } from "../core/errors.js";

const MARK: Record<string, string> = { create: "+", update: "~", replace: "±", delete: "-" };
const VERB: Record<string, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted" };

/** A field's value as previews and drift reports show it: JSON, cut to a readable length. */
export const value = (v: unknown) => (v === undefined ? "(none)" : shown(typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)), 60));

export function formatPlan(plan: PlannedChange[], max = 25): string {
  const lines: string[] = [];
  const order = ["delete", "replace", "update", "create"];
  const sorted = [...plan].sort((a, b) => order.indexOf(a.op) - order.indexOf(b.op) || a.name.localeCompare(b.name));
  for (const c of sorted.slice(0, max)) {
    lines.push(`  ${MARK[c.op] ?? "*"} ${c.name} (${c.type}) ${VERB[c.op] ?? c.op}`);
    for (const f of c.fields.slice(0, 10)) {
      lines.push(`      ${f.path}: ${value(f.old)} → ${value(f.new)}${f.replaces ? "  (forces replacement)" : ""}`);
    }
    if (c.fields.length > 10) lines.push(`      … and ${c.fields.length - 10} more fields`);
  }
  if (sorted.length > max) lines.push(`  … and ${sorted.length - max} more resources (--json shows all)`);
  return lines.join("\n");
}
