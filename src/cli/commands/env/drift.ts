// `infra env drift <name> [--last]`: does the world still hold what the
// environment declares? Exit 0 in sync, 4 (EXIT.drifted) when it differs.
import { type DriftedResource, drifts } from "../../../app/events.js";
import { value } from "../../plan.js";
import type { EngineOptions } from "../../app-context.js";
import { withApp, withRegistry } from "../../app-context.js";
import { sayError, UsageError } from "../../../core/errors.js";
import { isDeployed } from "../../../core/status.js";
import { CLI_WORDS } from "../../words.js";
import { EXIT } from "../../exit.js";
import { out, printJson } from "../../output.js";
import { remoteSession } from "../../remote.js";
import { submitCommand } from "./submit.js";

export async function envDrift(name: string | undefined, opts: EngineOptions & { last?: boolean; all?: boolean }): Promise<void> {
  if (opts.all) {
    if (name !== undefined) throw new UsageError("infra env drift takes a name or --all, not both");
    return driftAll(opts);
  }
  if (name === undefined) throw new UsageError("infra env drift needs a name, or --all for every deployed environment");
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
  if (report.resources.some(drifts)) process.exitCode = EXIT.drifted;
}

/** Every deployed environment, one check after another; one that cannot be checked (locked) is said and skipped. */
async function driftAll(opts: EngineOptions): Promise<void> {
  const remote = remoteSession();
  let names: string[];
  if (remote) {
    const { get } = await import("../../client.js");
    names = (await get<{ items: { name: string; status: string }[] }>(remote, "/api/v1/environments?limit=0")).items
      .filter((e) => isDeployed(e.status))
      .map((e) => e.name);
  } else {
    names = await withRegistry(async (r) => (await r.list({ limit: 0 })).items.filter((e) => isDeployed(e.status)).map((e) => e.name));
  }
  const reports: ReturnType<typeof driftJson>[] = [];
  const failed: { environment: string; error: string }[] = [];
  const { execute } = await import("../../../app/execute.js");
  const check = async (name: string): Promise<DriftedResource[]> => {
    if (remote) {
      const { submitRemote } = await import("../../client.js");
      const o = await submitRemote(remote, { kind: "drift", environment: name }, { ...opts, json: true });
      return o.kind === "drift" ? (o.result.drift ?? []) : [];
    }
    const o = await withApp(
      { ...opts, json: true },
      () => name,
      (ctx) => execute(ctx, { kind: "drift", environment: name }),
    );
    return o.kind === "drift" ? (o.result.drift ?? []) : [];
  };
  for (const name of names) {
    try {
      const found = await check(name);
      reports.push(driftJson(name, found));
      if (!opts.json) out(found.some(drifts) ? driftText(name, found).split("\n").slice(0, -1).join("\n") : driftText(name, found));
    } catch (err) {
      const error = sayError(err, CLI_WORDS).split("\n")[0]!;
      failed.push({ environment: name, error });
      if (!opts.json) out(`${name}: not checked: ${error}`);
    }
  }
  const drifted = reports.filter((r) => !r.inSync).length;
  if (opts.json) printJson({ checked: reports.length, drifted, reports, failed });
  else
    out(
      `${reports.length} checked, ${drifted} drifted${failed.length ? `, ${failed.length} not checked` : ""}${names.length ? "" : " (no deployed environment)"}`,
    );
  process.exitCode = drifted ? EXIT.drifted : failed.length ? EXIT.failure : EXIT.ok;
}

export async function envReconcile(name: string, opts: EngineOptions & { pruneUnmanaged?: boolean }): Promise<void> {
  await submitCommand({ kind: "reconcile", environment: name, ...(opts.pruneUnmanaged && { pruneUnmanaged: true }) }, opts);
}

export async function envRefresh(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "refresh", environment: name }, opts);
}

export function driftJson(name: string, resources: DriftedResource[], operation?: string) {
  return { environment: name, inSync: !resources.some(drifts), ...(operation && { operation }), resources };
}

/** One line per resource and field: what was declared, what is there; then what nobody declared. */
export function driftText(name: string, resources: DriftedResource[]): string {
  const drifted = resources.filter(drifts);
  const extra = resources.filter((r) => !drifts(r));
  const others = extra.map((r) => `  ? ${r.name} (${r.type}) unmanaged: nobody declared it`);
  if (!drifted.length) {
    const head = `${name}: in sync (nothing changed outside infra)`;
    return extra.length ? [`${head}; ${extra.length} object${extra.length > 1 ? "s" : ""} nobody declared:`, ...others].join("\n") : head;
  }
  const lines = [`${name}: drifted (${drifted.length} resource${drifted.length > 1 ? "s" : ""} differ from what it declares)`];
  for (const r of drifted) {
    if (r.state === "missing") {
      lines.push(`  - ${r.name} (${r.type}) missing: deleted outside infra`);
      continue;
    }
    lines.push(`  ~ ${r.name} (${r.type}) changed`);
    for (const f of r.fields) lines.push(`      ${f.path}: ${value(f.declared)} → ${value(f.actual)}`);
  }
  lines.push(...others);
  lines.push(`infra env reconcile ${name} puts back what it declares${extra.length ? " (and leaves what nobody declared)" : ""}`);
  return lines.join("\n");
}
