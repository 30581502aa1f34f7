// `infra env reap [--dry-run]`: destroy expired environments, dependents
// first; one a live environment depends on is kept (said on stderr). Asks
// first unless --yes. `infra env extend <name> --ttl <duration>`.
import { planReap, reap, extendEnvironment } from "../../../app/reap.js";
import { UsageError } from "../../../core/errors.js";
import { localActor } from "../../../core/actor.js";
import { parseTtl } from "../../../core/inputs.js";
import { withApp, withRegistry, type EngineOptions } from "../../app.js";
import { interactive, promptOutput } from "../../context.js";
import { out, printJson } from "../../output.js";

export async function envReap(opts: EngineOptions & { dryRun?: boolean }): Promise<void> {
  let current = "the reaper";
  await withApp(opts, () => current, async (ctx) => {
    const plan = await planReap(ctx);
    if (!opts.dryRun && plan.order.length && !opts.yes) {
      if (!interactive(opts)) throw new UsageError(`infra env reap asks before it destroys: pass --yes to destroy ${plan.order.join(", ")} without asking`);
      const { confirm } = await import("@inquirer/prompts");
      if (!(await confirm({ message: `destroy the expired ${plan.order.join(", ")} (in this order)?`, default: false }, await promptOutput()))) {
        out("nothing destroyed");
        return;
      }
    }
    const listen = ctx.listen;
    const r = await reap({ ...ctx, listen: (e) => { if (e.type === "started") current = e.environment; listen?.(e); } }, { dryRun: !!opts.dryRun });
    if (opts.json) {
      return printJson({ dryRun: !!opts.dryRun, order: r.order, kept: r.kept, destroyed: r.destroyed.map((d) => d.name), failed: r.failed });
    }
    const lines: string[] = [];
    if (!r.order.length) lines.push("no expired environment to destroy");
    else if (opts.dryRun) lines.push(`would destroy: ${r.order.join(", ")} (in this order)`);
    for (const d of r.destroyed) lines.push(`${d.name}: destroyed (expired)`);
    for (const k of r.kept) lines.push(`${k.name}: expired, kept (${k.neededBy.join(", ")} depend${k.neededBy.length > 1 ? "" : "s"} on it)`);
    for (const f of r.failed) lines.push(`${f.name}: ${f.message}`);
    out(lines.join("\n"));
    if (r.failed.length) process.exitCode = 1;
  });
}

export async function envExtend(name: string, opts: EngineOptions & { ttl?: string }): Promise<void> {
  if (!opts.ttl) throw new UsageError("infra env extend needs --ttl <duration>, like 24h");
  const ttlMs = parseTtl(opts.ttl);
  const at = await withRegistry((registry) => extendEnvironment({ registry, actor: localActor(), now: () => new Date() }, name, ttlMs));
  if (opts.json) return printJson({ name, expiresAt: at });
  out(`${name}: expires ${at.replace("T", " ").slice(0, 16)} UTC`);
}
