// `infra env logs <name>`: the engine events kept for an operation.
import { NotFoundError } from "../../../core/errors.js";
import { checkName } from "../../../core/inputs.js";
import type { Environment, Registry } from "../../../registry/types.js";
import { withRegistry } from "../../app-context.js";
import type { GlobalOptions } from "../../context.js";
import { existsSync, readFileSync } from "node:fs";
import { out, shortDate } from "../../output.js";

export async function envLogs(name: string, opts: GlobalOptions & { operation?: string }): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
    await mustGet(r, name);
    const ops = await r.operations(name);
    const op = opts.operation ? ops.find((o) => o.id === opts.operation || o.id.startsWith(opts.operation!)) : ops.at(-1);
    if (!op)
      throw new NotFoundError(
        opts.operation ? `environment ${name} has no operation ${opts.operation}: see infra env history ${name}` : `environment ${name} has no operations yet`,
      );
    if (!op.eventsFile || !existsSync(op.eventsFile)) throw new NotFoundError(`the events of operation ${op.id} were not kept`);
    const raw = readFileSync(op.eventsFile, "utf8");
    if (opts.json) return out(raw);
    const lines: string[] = [`${op.kind} ${op.result} (${op.id}) started ${shortDate(op.startedAt)} by ${op.who}`];
    for (const l of raw.split("\n").filter(Boolean)) {
      type Raw = { infraPhase?: string } & Partial<
        Record<string, { metadata?: { op: string; type: string; urn: string }; message?: string; severity?: string; resourceChanges?: Record<string, number> }>
      >;
      let e: Raw;
      try {
        e = JSON.parse(l) as Raw;
      } catch {
        // A run killed mid-write leaves a truncated last line: say so and go on.
        lines.push("  (a line that could not be read: cut short when its run was killed?)");
        continue;
      }
      if (e.infraPhase) lines.push(`— ${e.infraPhase} —`);
      const step = e.resOutputsEvent?.metadata;
      if (step && step.op !== "same") lines.push(`  ${step.op.padEnd(8)} ${step.type} ${step.urn.slice(step.urn.lastIndexOf("::") + 2)}`);
      const d = e.diagnosticEvent;
      if (d?.message && d.severity !== "debug") lines.push(`  ${d.severity}: ${d.message.trim()}`);
      const fail = e.resOpFailedEvent?.metadata;
      if (fail) lines.push(`  failed   ${fail.type} ${fail.urn.slice(fail.urn.lastIndexOf("::") + 2)}`);
      if (e.summaryEvent?.resourceChanges)
        lines.push(
          `  summary  ${Object.entries(e.summaryEvent.resourceChanges)
            .map(([k, n]) => `${k}=${n}`)
            .join(" ")}`,
        );
    }
    out(lines.join("\n"));
  });
}

async function mustGet(r: Registry, name: string): Promise<Environment> {
  const env = await r.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}: see infra env list`);
  return env;
}
