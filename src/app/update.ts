// Use cases: update an environment's parameters, or upgrade it to another
// version of its template. Both preview and ask when the caller can confirm.
import { ConflictError, NotFoundError } from "../core/errors.js";
import { checkName } from "../core/inputs.js";
import type { Environment } from "../registry/types.js";
import { resolveParams, type ParamValue } from "../templates/params.js";
import { redactParams } from "../templates/params.js";
import { configFor, locationConfig, upstreams } from "./params.js";
import { runOperation, type OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";

export async function mustGet(ctx: AppContext, name: string): Promise<Environment> {
  checkName(name);
  const env = await ctx.registry.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}`, { remedy: { see: "environments" } });
  return env;
}

export async function updateEnvironment(ctx: AppContext, input: { name: string; params: Record<string, string> }): Promise<OperationResult> {
  const env = await mustGet(ctx, input.name);
  const template = await ctx.templates.recorded(env.template);
  const params = resolveParams(template.spec, input.params, env.params as Record<string, ParamValue>);
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
  });
}

export async function upgradeEnvironment(ctx: AppContext, input: { name: string; to: string; params: Record<string, string> }): Promise<OperationResult> {
  const env = await mustGet(ctx, input.name);
  if (env.template.version === input.to) throw new ConflictError(`environment ${env.name} already runs ${env.template.id}@${input.to}`);
  const template = await ctx.templates.find(`${env.template.id}@${input.to}`);
  // Parameters the new version dropped are dropped; new ones take their defaults or --param.
  const kept = Object.fromEntries(Object.entries(env.params).filter(([k]) => k in template.spec.parameters));
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
  });
}
