// A set's plan and its run as the terminal shows them: one line per
// environment, in the order they run.
import { describeChanges } from "../app/events.js";
import type { SetPlan, SetStep } from "../app/set-plan.js";

const DOING: Record<SetStep["action"], string> = {
  create: "create",
  update: "update",
  upgrade: "upgrade",
  recover: "recover",
  unchanged: "unchanged",
  destroy: "destroy",
};

/** Counts of what the plan does: "2 to create, 1 to update, 3 unchanged". */
export function planSummary(plan: SetPlan): string {
  const n: Record<string, number> = {};
  for (const s of plan.steps) n[s.action] = (n[s.action] ?? 0) + 1;
  const parts = (["create", "update", "upgrade", "recover", "destroy"] as const).filter((a) => n[a]).map((a) => `${n[a]} to ${a}`);
  if (n.unchanged) parts.push(`${n.unchanged} unchanged`);
  return parts.join(", ") || "no environment";
}

export function formatSetPlan(plan: SetPlan): string {
  const w = Math.max(4, ...plan.steps.map((s) => s.environment.length));
  const t = Math.max(8, ...plan.steps.map((s) => s.template.length));
  const lines = [`set ${plan.set}: ${planSummary(plan)}`];
  plan.levels.forEach((level, i) => {
    for (const name of level) {
      const s = plan.steps.find((x) => x.environment === name)!;
      const counts = s.changes ? ` [${describeChanges(s.changes)}]` : "";
      lines.push(`  ${String(i + 1).padStart(2)}  ${DOING[s.action].padEnd(9)} ${name.padEnd(w)}  ${s.template.padEnd(t)}  ${s.reason}${counts}`);
    }
  });
  if (plan.unlisted.length) lines.push(`  kept, no longer listed (--prune destroys them): ${plan.unlisted.join(", ")}`);
  return lines.join("\n");
}

const DONE: Record<string, string> = { create: "created", update: "updated", upgrade: "upgraded", recover: "recovered", destroy: "destroyed" };

/** One step's result: "api: updated (1 updated, 4 unchanged)", "web: skipped (not run: api failed)". */
export function stepLine(s: SetStep): string {
  switch (s.result) {
    case "succeeded":
      return `${s.environment}: ${DONE[s.action] ?? s.action}${s.changes ? ` (${describeChanges(s.changes)})` : ""}`;
    case "unchanged":
      return `${s.environment}: unchanged`;
    case "skipped":
      return `${s.environment}: skipped (${s.message ?? "not run"})`;
    case "interrupted":
      return `${s.environment}: interrupted${s.message ? ` (${s.message})` : ""}`;
    case "failed":
      return `${s.environment}: failed: ${s.message ?? ""}`;
    default:
      return `${s.environment}: ${s.action} (not run)`;
  }
}

/** The run's last line: "set shop: 3 ran, 1 failed, 1 skipped, 2 unchanged". */
export function runSummary(plan: SetPlan): string {
  const n = (r: string) => plan.steps.filter((s) => s.result === r).length;
  const parts = [`${n("succeeded")} ran`];
  for (const r of ["failed", "interrupted", "skipped", "unchanged"]) if (n(r)) parts.push(`${n(r)} ${r}`);
  return `set ${plan.set}: ${parts.join(", ")}`;
}

export const setFailed = (plan: SetPlan) => plan.steps.some((s) => s.result === "failed" || s.result === "skipped" || s.result === "interrupted");
