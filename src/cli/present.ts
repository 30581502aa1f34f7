// How an operation's result is shown: one line of status, then the outputs
// (secrets hidden); the whole record with --json.
import type { Environment } from "../registry/types.js";
import type { GlobalOptions } from "./context.js";
import { formatValue, out, printJson } from "./output.js";

export function printEnvironment(env: Environment | undefined, opts: GlobalOptions, extra: Record<string, unknown> = {}): void {
  if (!env) return;
  if (opts.json) return printJson({ ...env, ...extra });
  const lines = [`${env.name}: ${env.status} (${env.template.id}@${env.template.version})`];
  for (const [k, o] of Object.entries(env.outputs)) lines.push(`  ${k} = ${formatValue(o)}`);
  out(lines.join("\n"));
}
