// Use case: get an interrupted (or failed) environment moving again. It
// resumes the kind of operation that was cut off: an interrupted destroy
// finishes as a destroy; anything else applies the last good configuration.
import { runOperation, type OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";
import { locationConfig } from "./params.js";
import { mustGet } from "./update.js";

/**
 * Forgets an environment whose cluster is gone for good (a deleted sandbox,
 * a cluster torn down by hand): its stack and state are removed without
 * calling anything, it is recorded destroyed, and the audit log says so.
 */
export async function forgetEnvironment(ctx: AppContext, name: string): Promise<OperationResult> {
  const env = await mustGet(ctx, name, "forget");
  const template = await ctx.templates.recorded(env.template);
  return runOperation(ctx, { name, kind: "forget", template });
}

export async function recoverEnvironment(ctx: AppContext, name: string): Promise<OperationResult> {
  const env = await mustGet(ctx, name, "recover");
  const template = await ctx.templates.recorded(env.template);
  return runOperation(ctx, { name, kind: "recover", template, location: () => locationConfig(ctx, template, env.location), where: env.location });
}
