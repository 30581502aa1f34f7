// Use cases: update an environment's parameters, or upgrade it to another
// version of its template. Both preview and ask when the caller can confirm.
import { ConflictError, NotFoundError } from "../core/errors.js";
import { checkName } from "../core/inputs.js";
import type { Environment } from "../registry/types.js";
import type { Operation } from "../core/status.js";
import { refuseRecorded } from "./record.js";
import { resolveParams, SECRET, type ParamValue } from "../templates/params.js";
import { redactParams } from "../templates/params.js";
import { configFor, locationConfig, upstreams } from "./params.js";
import { runOperation, type OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";

/** The environment, or a NotFoundError; for an engine operation, refused first when its stack is kept elsewhere. */
export async function mustGet(ctx: AppContext, name: string, engineRun?: Operation): Promise<Environment> {
  checkName(name);
  const env = await ctx.registry.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}`, { remedy: { see: "environments" } });
  if (engineRun) refuseRecorded(env, engineRun);
  return env;
}

/** How a set runs an update or an upgrade (src/app/set-run.ts). */
export interface SetOptions {
  /** The parameters are all of them (a set's file): one left out takes its default; only secrets keep their value. */
  replace?: boolean;
  /** What the run applies, recorded on success (a keyed digest). */
  inputs?: string;
  /** Only the preview: nothing applied, nothing recorded. */
  previewOnly?: boolean;
}

/** What a run starts from: the recorded parameters, or with `replace` only the secrets (their values stay in the stack). */
function baseParams(env: Environment, replace: boolean | undefined): Record<string, ParamValue> {
  const recorded = env.params as Record<string, ParamValue>;
  return replace ? Object.fromEntries(Object.entries(recorded).filter(([, v]) => v === SECRET)) : recorded;
}

const setPlan = (o: SetOptions) => ({
  ...(o.inputs !== undefined && { inputs: o.inputs }),
  ...(o.previewOnly && { previewOnly: true }),
});

export async function updateEnvironment(ctx: AppContext, input: { name: string; params: Record<string, string> } & SetOptions): Promise<OperationResult> {
  const env = await mustGet(ctx, input.name, "update");
  const template = await ctx.templates.recorded(env.template);
  const params = resolveParams(template.spec, input.params, baseParams(env, input.replace));
  return runOperation(ctx, {
    name: env.name,
    kind: "update",
    template,
    config: configFor(template, params),
    location: () => locationConfig(ctx, template, env.location),
    where: env.location,
    params: redactParams(template.spec, params),
    dependsOn: () => upstreams(ctx.registry, template, params),
    ask: {},
    ...setPlan(input),
  });
}

export async function upgradeEnvironment(
  ctx: AppContext,
  input: { name: string; to: string; params: Record<string, string> } & SetOptions,
): Promise<OperationResult> {
  const env = await mustGet(ctx, input.name, "upgrade");
  if (env.template.version === input.to) throw new ConflictError(`environment ${env.name} already runs ${env.template.id}@${input.to}`);
  const template = await ctx.templates.find(`${env.template.id}@${input.to}`);
  // Parameters the new version dropped are dropped; new ones take their defaults or --param.
  const kept = Object.fromEntries(Object.entries(baseParams(env, input.replace)).filter(([k]) => k in template.spec.parameters));
  const params = resolveParams(template.spec, input.params, kept as Record<string, ParamValue>);
  return runOperation(ctx, {
    name: env.name,
    kind: "upgrade",
    template,
    config: configFor(template, params),
    location: () => locationConfig(ctx, template, env.location),
    where: env.location,
    params: redactParams(template.spec, params),
    templateRef: { id: template.spec.id, version: template.spec.version, source: template.source },
    dependsOn: () => upstreams(ctx.registry, template, params),
    ask: { detail: `${env.template.id} ${env.template.version} -> ${input.to}` },
    ...setPlan(input),
  });
}
