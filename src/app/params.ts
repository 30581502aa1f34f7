// From a template's resolved parameters to what the stack and the registry get.
import type { LoadedTemplate } from "../templates/load.js";
import { redactParams, SECRET, type ParamValue } from "../templates/params.js";
import type { ConfigValue } from "./ports.js";
import type { Environment, Registry } from "../registry/types.js";
import { UsageError } from "../core/errors.js";

/** The stack configuration: every parameter; a secret not given again keeps its encrypted value. */
export function configFor(t: LoadedTemplate, params: Record<string, ParamValue>): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(params)) {
    const secret = !!t.spec.parameters[k]?.secret;
    out[k] = secret && v === SECRET ? "keep" : { value: String(v), secret };
  }
  return out;
}

export { redactParams };

/**
 * The environments a run reads outputs from (its parameters of type
 * environment), each checked to be deployed. Called under the lock.
 */
export async function upstreams(
  registry: Registry,
  t: LoadedTemplate,
  params: Record<string, ParamValue>,
): Promise<{ name: string; reason: string }[]> {
  const deps: { name: string; reason: string }[] = [];
  for (const [k, p] of Object.entries(t.spec.parameters)) {
    if (p.type !== "environment") continue;
    const name = String(params[k]);
    const dep: Environment | undefined = await registry.get(name);
    if (!dep || dep.status === "destroyed") throw new UsageError(`--param ${k}=${name}: there is no environment ${name} to read outputs from`);
    if (dep.status !== "deployed-ok" && dep.status !== "drifted") {
      throw new UsageError(`--param ${k}=${name}: environment ${name} is ${dep.status}; it must be deployed first`);
    }
    deps.push({ name, reason: `parameter ${k}` });
  }
  return deps;
}
