// Use case: does the world still hold what the environment declares? A
// refresh preview under the environment's lock (nothing is written to the
// state); the registry records the check, and the status says drifted, or
// deployed-ok again once a check finds it back in sync.
import { ConflictError } from "../core/errors.js";
import type { Registry } from "../registry/types.js";
import { type DriftedResource, drifts } from "./events.js";
import { runOperation, type OperationResult } from "./operation.js";
import { locationConfig } from "./params.js";
import type { AppContext } from "./ports.js";
import { mustGet } from "./update.js";

/**
 * One of the day-2 operations on an environment as it was recorded: its
 * template and location, nothing else changed; refused on a destroyed one.
 */
async function onRecorded(
  ctx: AppContext,
  name: string,
  kind: "drift" | "reconcile" | "refresh",
  what: string,
  ask?: string,
  pruneUnmanaged = false,
): Promise<OperationResult> {
  const env = await mustGet(ctx, name, kind);
  if (env.status === "destroyed") throw new ConflictError(`environment ${name} is destroyed: there is nothing to ${what}`);
  const template = await ctx.templates.recorded(env.template);
  return runOperation(ctx, {
    name,
    kind,
    template,
    location: () => locationConfig(ctx, template, env.location),
    where: env.location,
    ...(ask && { ask: { detail: ask } }),
    ...(pruneUnmanaged && { pruneUnmanaged }),
  });
}

export function checkDrift(ctx: AppContext, name: string): Promise<OperationResult> {
  return onRecorded(ctx, name, "drift", "check");
}

/**
 * Use case: put back what the environment declares. An update that refreshes
 * first (the preview too, so what it shows is the world against the
 * template), with the recorded template and parameters; asked after the preview.
 */
export function reconcileEnvironment(ctx: AppContext, name: string, o: { pruneUnmanaged?: boolean } = {}): Promise<OperationResult> {
  return onRecorded(ctx, name, "reconcile", "reconcile", "puts back what it declares", !!o.pruneUnmanaged);
}

/**
 * Use case: accept what was changed outside infra into the environment's
 * state (pulumi refresh), after showing it (the drift) and asking. Nothing
 * outside is changed; what was deleted leaves the state.
 */
export function refreshEnvironment(ctx: AppContext, name: string): Promise<OperationResult> {
  return onRecorded(ctx, name, "refresh", "refresh", "accepts into its state what was changed outside infra");
}

/** The last drift check of an environment as the registry keeps it (its audit entry); undefined before the first. */
export async function lastDriftReport(registry: Registry, name: string): Promise<DriftReport | undefined> {
  const [entry] = await registry.auditLog({ environment: name, action: "drift-check", limit: 1 });
  if (!entry) return undefined;
  const d = entry.detail as { operation?: string; changed?: number; missing?: number; unmanaged?: number; resources?: DriftedResource[] };
  const resources = d.resources ?? [];
  return {
    environment: name,
    checkedAt: entry.at,
    by: entry.who,
    ...(d.operation && { operation: d.operation }),
    inSync: !resources.some(drifts),
    changed: d.changed ?? 0,
    missing: d.missing ?? 0,
    unmanaged: d.unmanaged ?? 0,
    resources,
  };
}

export interface DriftReport {
  environment: string;
  checkedAt: string;
  by: string;
  operation?: string;
  inSync: boolean;
  changed: number;
  missing: number;
  /** Objects in its namespaces nobody declared: reported, never drift by themselves. */
  unmanaged: number;
  resources: DriftedResource[];
}
