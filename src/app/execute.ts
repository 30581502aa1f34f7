// Runs a command (src/app/commands.ts) through its use case. Every door calls
// this: the CLI with a terminal's confirm, the server's workers without one.
import { availableParallelism } from "node:os";
import type { LockOwner, Environment } from "../registry/types.js";
import type { Command } from "./commands.js";
import type { PlannedChange } from "./events.js";
import { destroyEnvironments, planDestroy } from "./destroy.js";
import type { OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";
import { extendEnvironment, planReap, reap, type ReapResult } from "./reap.js";
import { forgetEnvironment, recoverEnvironment } from "./recover.js";
import { createEnvironment } from "./create.js";
import { checkDrift, reconcileEnvironment, refreshEnvironment } from "./drift.js";
import { checkHealth, type HealthCheckResult } from "./health.js";
import { mustGet, updateEnvironment, upgradeEnvironment } from "./update.js";
import { planSet, type SetPlan } from "./set-plan.js";
import { runSet } from "./set-run.js";
import { recordEnvironment } from "./record.js";

export type Outcome =
  /** One operation per environment it ran on (a cascade runs several), in order. */
  | { kind: "operations"; results: OperationResult[] }
  /** Nothing to do, and nothing was run: a destroy of what is destroyed already, or a change the user declined. */
  | { kind: "unchanged"; environment: Environment; why: "already-destroyed" | "declined" }
  | { kind: "reaped"; result: ReapResult }
  | { kind: "extended"; environment: string; expiresAt: string }
  | { kind: "unlocked"; environment: string; removed?: LockOwner }
  /** A drift check: its operation, with what it found (result.drift; empty when in sync). */
  | { kind: "drift"; result: OperationResult }
  /** A health check: each status output probed now. */
  | { kind: "health"; result: HealthCheckResult }
  /** infra apply: the set's plan, with what each step did once it ran (`done`). */
  | { kind: "set"; result: SetPlan };

export async function execute(ctx: AppContext, c: Command): Promise<Outcome> {
  switch (c.kind) {
    case "create":
      return one(
        await createEnvironment(ctx, {
          name: c.environment,
          template: c.template,
          params: c.params,
          tags: c.tags,
          location: c.location,
          ...(c.description !== undefined && { description: c.description }),
          ...(c.ttlMs !== undefined && { ttlMs: c.ttlMs }),
        }),
      );
    case "update":
      return one(await updateEnvironment(ctx, { name: c.environment, params: c.params }));
    case "upgrade":
      return one(await upgradeEnvironment(ctx, { name: c.environment, to: c.to, params: c.params }));
    case "recover":
      return one(await recoverEnvironment(ctx, c.environment));
    case "destroy": {
      const env = await mustGet(ctx, c.environment);
      // An empty destroy succeeds, as Terraform's and Pulumi's do: a cleanup that runs twice is not a failure.
      if (env.status === "destroyed") return { kind: "unchanged", environment: env, why: "already-destroyed" };
      const order = await planDestroy(ctx, c.environment, c.cascade);
      if (ctx.confirm && !(await ctx.confirm({ environment: c.environment, kind: "destroy", changes: {}, order, plan: await deletions(ctx, order) }))) {
        return { kind: "unchanged", environment: env, why: "declined" };
      }
      return { kind: "operations", results: await destroyEnvironments(ctx, order) };
    }
    case "reap": {
      if (!c.dryRun && ctx.confirm) {
        const plan = await planReap(ctx);
        if (plan.order.length && !(await ctx.confirm({ environment: plan.order[0]!, kind: "reap", changes: {}, order: plan.order }))) {
          return { kind: "reaped", result: { ...plan, order: [], destroyed: [], failed: [] } };
        }
      }
      return { kind: "reaped", result: await reap(ctx, { dryRun: c.dryRun }) };
    }
    case "forget": {
      const env = await mustGet(ctx, c.environment);
      if (env.status === "destroyed") return { kind: "unchanged", environment: env, why: "already-destroyed" };
      if (ctx.confirm && !(await ctx.confirm({ environment: c.environment, kind: "forget", changes: {} })))
        return { kind: "unchanged", environment: env, why: "declined" };
      return one(await forgetEnvironment(ctx, c.environment));
    }
    case "extend":
      return { kind: "extended", environment: c.environment, expiresAt: await extendEnvironment(ctx, c.environment, c.ttlMs) };
    case "drift":
      return { kind: "drift", result: await checkDrift(ctx, c.environment) };
    case "reconcile":
      return one(await reconcileEnvironment(ctx, c.environment, { pruneUnmanaged: c.pruneUnmanaged }));
    case "refresh":
      return one(await refreshEnvironment(ctx, c.environment));
    case "health":
      return { kind: "health", result: await checkHealth(ctx, c.environment) };
    case "record":
      return one(
        await recordEnvironment(ctx, {
          name: c.environment,
          template: c.template,
          location: c.location,
          description: c.description,
          from: c.from,
          outputs: c.outputs,
          resources: c.resources,
        }),
      );
    case "apply": {
      // Previews only where someone reads them: a plan asked for, or shown before asking.
      const made = await planSet(ctx, c, { preview: c.planOnly || !!ctx.confirm });
      const { plan } = made;
      if (c.planOnly) return { kind: "set", result: plan };
      const todo = plan.steps.filter((s) => s.action !== "unchanged");
      if (!todo.length) {
        for (const s of plan.steps) s.result = "unchanged";
        return { kind: "set", result: { ...plan, done: true } };
      }
      if (ctx.confirm) {
        const changes: Record<string, number> = {};
        for (const s of todo) changes[s.action] = (changes[s.action] ?? 0) + 1;
        if (!(await ctx.confirm({ environment: c.set, kind: "apply", changes, set: plan }))) return { kind: "set", result: { ...plan, declined: true } };
      }
      ctx.planned?.(plan);
      return { kind: "set", result: await runSet(ctx, made, c.parallel ?? availableParallelism()) };
    }
    case "unlock": {
      await mustGet(ctx, c.environment);
      const removed = await ctx.registry.forceUnlock(c.environment, ctx.actor.who, c.reason ?? "forced unlock");
      return { kind: "unlocked", environment: c.environment, ...(removed && { removed }) };
    }
  }
}

/** What a destroy deletes, from the registry's record of each environment's resources. */
async function deletions(ctx: AppContext, order: string[]): Promise<PlannedChange[]> {
  const plan: PlannedChange[] = [];
  for (const name of order) {
    for (const r of await ctx.registry.resources(name)) {
      // Components, providers and the stack itself hold nothing of their own.
      if (r.type.startsWith("pulumi:") || r.type.startsWith("infra:")) continue;
      plan.push({ op: "delete", type: r.type, name: order.length > 1 ? `${name}/${r.name}` : r.name, fields: [] });
    }
  }
  return plan;
}

function one(r: OperationResult): Outcome {
  if (r.cancelled) return { kind: "unchanged", environment: r.environment, why: "declined" };
  return { kind: "operations", results: [r] };
}
