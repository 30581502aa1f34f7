// Use cases: the TTL reaper (destroys expired environments, dependents
// first; keeps an expired one that a live environment still depends on) and
// extending an environment's time to live. The CLI (`infra env reap`,
// `infra env extend`) and the server's schedule call these.
import { ConflictError, NotFoundError, UsageError } from "../core/errors.js";
import { checkName } from "../core/inputs.js";
import { destroyEnvironments } from "./destroy.js";
import type { OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";

export interface ReapPlan {
  /** Expired environments to destroy, dependents first. */
  order: string[];
  /** Expired, kept: a live environment that has not expired depends on it. */
  kept: { name: string; neededBy: string[] }[];
}

export interface ReapResult extends ReapPlan {
  destroyed: { name: string; operation: OperationResult }[];
  failed: { name: string; message: string }[];
}

const GONE = new Set(["destroyed", "destroying"]);

export async function planReap(ctx: AppContext): Promise<ReapPlan> {
  const now = ctx.now().getTime();
  const all = (await ctx.registry.list({ limit: 0 })).items.filter((e) => !GONE.has(e.status));
  const expired = new Set(all.filter((e) => e.expiresAt && Date.parse(e.expiresAt) <= now).map((e) => e.name));
  // An expired environment goes only if everything that depends on it goes too (transitively).
  const dependents = new Map<string, string[]>();
  for (const n of expired) dependents.set(n, await ctx.registry.dependents(n));
  const keep = new Map<string, string[]>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of expired) {
      if (keep.has(n)) continue;
      const blockers = dependents.get(n)!.filter((d) => !expired.has(d) || keep.has(d));
      if (blockers.length) {
        keep.set(n, blockers);
        changed = true;
      }
    }
  }
  // Dependents first: a depth-first order over the environments that go.
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of dependents.get(n) ?? []) if (expired.has(d) && !keep.has(d)) visit(d);
    order.push(n);
  };
  for (const n of [...expired].sort()) if (!keep.has(n)) visit(n);
  return { order, kept: [...keep].map(([name, neededBy]) => ({ name, neededBy })).sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Destroys what planReap says; one failure does not stop the others (but keeps what it depends on). */
export async function reap(ctx: AppContext, opts: { dryRun?: boolean } = {}): Promise<ReapResult> {
  const plan = await planReap(ctx);
  for (const k of plan.kept) {
    ctx.listen?.({
      type: "notice",
      message: `${k.name} has expired but is kept: ${k.neededBy.join(", ")} still depend${k.neededBy.length > 1 ? "" : "s"} on it`,
    });
  }
  const result: ReapResult = { ...plan, destroyed: [], failed: [] };
  if (opts.dryRun) return result;
  const failed = new Set<string>();
  for (const name of plan.order) {
    const blocked = (await ctx.registry.dependents(name)).filter((d) => failed.has(d));
    if (blocked.length) {
      failed.add(name);
      result.failed.push({ name, message: `not destroyed: its dependent ${blocked.join(", ")} could not be` });
      continue;
    }
    try {
      const [operation] = await destroyEnvironments(ctx, [name]);
      result.destroyed.push({ name, operation: operation! });
    } catch (err) {
      failed.add(name);
      result.failed.push({ name, message: (err as Error).message });
    }
  }
  return result;
}

/** Sets an environment's planned destruction to `ttlMs` from now (audited). */
export async function extendEnvironment(ctx: Pick<AppContext, "registry" | "actor" | "now">, name: string, ttlMs: number): Promise<string> {
  checkName(name);
  if (!(ttlMs > 0)) throw new UsageError("a positive duration, like 24h", { field: "ttl" });
  const env = await ctx.registry.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}`, { remedy: { see: "environments" } });
  if (GONE.has(env.status)) throw new ConflictError(`environment ${name} is ${env.status}: there is nothing to extend`);
  const expiresAt = new Date(ctx.now().getTime() + ttlMs).toISOString();
  await ctx.registry.setExpiry(name, expiresAt, ctx.actor.who);
  return expiresAt;
}
