// Use case: the server's day-2 sweep. Each deployed environment in turn: a
// drift check, a reconcile when it drifted and remediation is opted in (the
// template's drift.remediate, or the environment's tag infra.remediate), and
// a health check. One locked by another run is skipped and comes next time:
// never two operations on one environment.
import { ConflictError, kindOf } from "../core/errors.js";
import { isDeployed } from "../core/status.js";
import { recordedElsewhere } from "./record.js";
import type { Environment } from "../registry/types.js";
import type { TemplateSpec } from "../templates/schema.js";
import { checkDrift, reconcileEnvironment } from "./drift.js";
import { drifts } from "./events.js";
import { checkHealth } from "./health.js";
import type { AppContext } from "./ports.js";

export interface SweepResult {
  environment: string;
  drift?: "in-sync" | "drifted";
  reconciled?: boolean;
  health?: string;
  skipped?: string;
  error?: string;
}

/** Whether a drifted environment is put back by itself: its tag says so, else its template. */
export function remediates(env: Pick<Environment, "tags">, spec: Pick<TemplateSpec, "drift">): boolean {
  const tag = env.tags["infra.remediate"];
  if (tag === "reconcile") return true;
  if (tag === "none") return false;
  return spec.drift?.remediate === "reconcile";
}

export async function sweepOne(ctx: AppContext, name: string): Promise<SweepResult> {
  const out: SweepResult = { environment: name };
  try {
    const env = await ctx.registry.get(name);
    // What a sweep can check: deployed, whatever it found last time.
    if (!env || !isDeployed(env.status)) return { ...out, skipped: `it is ${env?.status ?? "gone"}` };
    // Its stack is elsewhere: only what needs none (its status outputs, its objects' health).
    if (recordedElsewhere(env.tags) !== undefined) {
      out.health = (await checkHealth(ctx, name)).report.state;
      return out;
    }
    const checked = await checkDrift(ctx, name);
    const drifted = (checked.drift ?? []).some(drifts);
    out.drift = drifted ? "drifted" : "in-sync";
    if (drifted && remediates(env, (await ctx.templates.recorded(env.template)).spec)) {
      await reconcileEnvironment(ctx, name);
      out.reconciled = true;
    }
    out.health = (await checkHealth(ctx, name)).report.state;
  } catch (err) {
    // Locked by another run (or moved on meanwhile): next time.
    if (err instanceof ConflictError || kindOf(err) === "locked") return { ...out, skipped: (err as Error).message };
    return { ...out, error: (err as Error).message };
  }
  return out;
}
