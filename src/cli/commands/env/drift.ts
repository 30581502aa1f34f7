// `infra env drift <name> [--last]`: does the world still hold what the
// environment declares? Exit 0 in sync, 4 (EXIT.drifted) when it differs.
import type { DriftedResource } from "../../../app/events.js";
import { value } from "../../plan.js";
import type { EngineOptions } from "../../app-context.js";
import { withRegistry } from "../../app-context.js";
import { EXIT } from "../../exit.js";
import { out, printJson } from "../../output.js";
import { remoteSession } from "../../remote.js";
import { submitCommand } from "./submit.js";

export async function envDrift(name: string, opts: EngineOptions & { last?: boolean }): Promise<void> {
  if (!opts.last) return submitCommand({ kind: "drift", environment: name }, opts);
  // The last check as the registry keeps it: nothing is run.
  const remote = remoteSession();
  type Report = { checkedAt: string; by: string; operation?: string; resources: DriftedResource[] };
  let report: Report | undefined;
  if (remote) {
    const { get } = await import("../../client.js");
    report = await get<Report>(remote, `/api/v1/environments/${encodeURIComponent(name)}/drift`);
  } else {
    const { lastDriftReport } = await import("../../../app/drift.js");
    const { NotFoundError } = await import("../../../core/errors.js");
    report = await withRegistry(async (registry) => {
      if (!(await registry.get(name))) throw new NotFoundError(`no environment named ${name}: see infra env list`);
      return lastDriftReport(registry, name);
    });
    if (!report) throw new NotFoundError(`${name} has had no drift check yet: infra env drift ${name} checks it now`);
  }
  if (opts.json) printJson({ ...driftJson(name, report.resources, report.operation), checkedAt: report.checkedAt, by: report.by });
  else out(`${driftText(name, report.resources)}\n(checked ${report.checkedAt.replace("T", " ").slice(0, 16)} UTC by ${report.by})`);
  if (report.resources.length) process.exitCode = EXIT.drifted;
}

export async function envReconcile(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "reconcile", environment: name }, opts);
}

export async function envRefresh(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "refresh", environment: name }, opts);
}

export function driftJson(name: string, resources: DriftedResource[], operation?: string) {
  return { environment: name, inSync: resources.length === 0, ...(operation && { operation }), resources };
}

/** One line per resource and field: what was declared, what is there. */
export function driftText(name: string, resources: DriftedResource[]): string {
  if (!resources.length) return `${name}: in sync (nothing changed outside infra)`;
  const lines = [`${name}: drifted (${resources.length} resource${resources.length > 1 ? "s" : ""} differ from what it declares)`];
  for (const r of resources) {
    if (r.state === "missing") {
      lines.push(`  - ${r.name} (${r.type}) missing: deleted outside infra`);
      continue;
    }
    lines.push(`  ~ ${r.name} (${r.type}) changed`);
    for (const f of r.fields) lines.push(`      ${f.path}: ${value(f.declared)} → ${value(f.actual)}`);
  }
  lines.push(`infra env reconcile ${name} puts back what it declares`);
  return lines.join("\n");
}
