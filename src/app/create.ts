// Use case: create an environment from a template.
import { UsageError } from "../core/errors.js";
import { checkName } from "../core/inputs.js";
import { parseLocation } from "../core/location.js";
import { resolveParams } from "../templates/params.js";
import { redactParams } from "../templates/params.js";
import { configFor, locationConfig, upstreams } from "./params.js";
import { runOperation, type OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";

export interface CreateInput {
  name: string;
  /** id or id@version */
  template: string;
  params: Record<string, string>;
  tags?: Record<string, string>;
  description?: string;
  location: string;
  /** Planned destruction, in ms from now. */
  ttlMs?: number;
  /** What a set's run applies (a keyed digest), recorded on success. */
  inputs?: string;
}

export async function createEnvironment(ctx: AppContext, input: CreateInput): Promise<OperationResult> {
  const { name } = input;
  checkName(name);
  const template = await ctx.templates.find(input.template);
  const params = resolveParams(template.spec, input.params);
  const kind = parseLocation(input.location).kind;
  if (template.spec.locations && !template.spec.locations.includes(kind as never)) {
    throw new UsageError(`template ${template.spec.id} runs in ${template.spec.locations.join(", ")}, not in ${kind}: pick one of those`, {
      field: "location",
      allowed: [...template.spec.locations],
    });
  }
  const redacted = redactParams(template.spec, params);
  return runOperation(ctx, {
    name,
    kind: "create",
    template,
    config: configFor(template, params),
    location: () => locationConfig(ctx, template, input.location),
    where: input.location,
    params: redacted,
    dependsOn: () => upstreams(ctx.registry, template, params),
    ...(input.inputs !== undefined && { inputs: input.inputs }),
    create: {
      name,
      description: input.description ?? "",
      template: { id: template.spec.id, version: template.spec.version, source: template.source },
      location: input.location,
      params: redacted,
      tags: { ...template.spec.tags, ...input.tags },
      ...(input.ttlMs !== undefined && { expiresAt: new Date(ctx.now().getTime() + input.ttlMs).toISOString() }),
    },
  });
}
