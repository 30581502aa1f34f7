// infra apply, the run: each step of a set's plan as soon as what it waits for
// is done, at most `parallel` at once. A failure skips only what waits on it; an
// environment whose inputs are as last applied runs no engine; what a destroy
// (pruned) removes goes after every apply, readers first.
import type { OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";
import { createEnvironment } from "./create.js";
import { recoverEnvironment } from "./recover.js";
import { destroyEnvironments } from "./destroy.js";
import { inputsDigest, type MadePlan, type SetPlan, type SetStep, type Work } from "./set-plan.js";
import { updateEnvironment, upgradeEnvironment } from "./update.js";

const ok = (s: SetStep) => s.result === "succeeded" || s.result === "unchanged";

export async function runSet(ctx: AppContext, made: MadePlan, parallel: number): Promise<SetPlan> {
  const { plan, work } = made;
  const byName = new Map(plan.steps.map((s) => [s.environment, s]));
  const applies = plan.steps.filter((s) => s.action !== "destroy").map((s) => s.environment);
  // Nothing is destroyed before every apply is done, nor after one failed.
  const waitsFor = (s: SetStep) => (s.action === "destroy" ? [...new Set([...s.after, ...applies])] : s.after);
  const pending = new Set(plan.steps);
  const running = new Map<SetStep, Promise<void>>();

  for (;;) {
    for (const s of [...pending]) {
      const failed = waitsFor(s)
        .map((n) => byName.get(n)!)
        .filter((u) => u.result !== undefined && !ok(u));
      if (failed.length) {
        pending.delete(s);
        s.result = "skipped";
        s.message = `not run: ${failed.map((f) => `${f.environment} ${f.result === "skipped" ? "was skipped" : f.result}`).join(", ")}`;
      }
    }
    if (ctx.signal?.aborted) {
      for (const s of pending) {
        s.result = "skipped";
        s.message = "not run: the run was interrupted";
      }
      pending.clear();
    }
    const ready = [...pending].filter((s) => waitsFor(s).every((n) => ok(byName.get(n)!)));
    for (const s of ready) {
      if (running.size >= parallel) break;
      pending.delete(s);
      running.set(
        s,
        runStep(ctx, s, work.get(s.environment)!).finally(() => running.delete(s)),
      );
    }
    if (!running.size) break;
    await Promise.race(running.values());
  }
  plan.done = true;
  return plan;
}

async function runStep(ctx: AppContext, s: SetStep, w: Work): Promise<void> {
  // Its own event stream (several run at once); nothing asked again: the plan was.
  const sub: AppContext = { ...(ctx.fork?.() ?? ctx), confirm: undefined, planned: undefined, fork: undefined };
  s.startedAt = ctx.now().toISOString();
  try {
    if (s.action === "unchanged" && s.recheck) {
      // What it reads from has run: its inputs are checked again, and unchanged it stays untouched.
      if ((await inputsDigest(ctx, w)) === (await ctx.registry.appliedInputs(s.environment))) {
        s.reason = "inputs as last applied, after its upstreams ran";
      } else {
        s.action = "update";
        s.reason = "an upstream's outputs changed";
      }
    }
    if (s.action === "unchanged") {
      s.result = "unchanged";
      return;
    }
    let r: OperationResult;
    let action = s.action;
    if (action === "recover") {
      await recoverEnvironment(sub, s.environment);
      // A recovery resumes what was cut off: a destroy ends destroyed (made again), anything else as last applied.
      const now = (await ctx.registry.get(s.environment))!;
      action = now.status === "destroyed" ? "create" : now.template.version !== w.template.spec.version ? "upgrade" : "update";
    }
    if (action === "destroy") {
      r = (await destroyEnvironments(sub, [s.environment]))[0]!;
    } else {
      const inputs = await inputsDigest(ctx, w);
      const e = w.entry!;
      if (action === "create") {
        r = await createEnvironment(sub, {
          name: e.name,
          template: s.template,
          params: e.params,
          tags: e.tags,
          location: w.location,
          inputs,
          ...(e.description !== undefined && { description: e.description }),
          ...(e.ttlMs !== undefined && { ttlMs: e.ttlMs }),
        });
      } else if (action === "upgrade") {
        r = await upgradeEnvironment(sub, { name: e.name, to: w.template.spec.version, params: e.params, replace: true, inputs });
      } else {
        r = await updateEnvironment(sub, { name: e.name, params: e.params, replace: true, inputs });
      }
    }
    s.result = "succeeded";
    s.operationId = r.operationId;
    s.changes = r.changes;
  } catch (err) {
    s.result = ctx.signal?.aborted ? "interrupted" : "failed";
    s.message = String((err as Error)?.message ?? err).split("\n")[0];
    // The operation it began, if it got that far (its events and history say the rest).
    const last = await ctx.registry
      .operations(s.environment)
      .then((ops) => ops.at(-1))
      .catch(() => undefined);
    if (last && last.startedAt >= s.startedAt) s.operationId = last.id;
  } finally {
    s.endedAt = ctx.now().toISOString();
  }
}
