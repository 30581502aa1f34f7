// `infra env show <name>`: everything the registry knows of one environment.
import { NotFoundError } from "../../../core/errors.js";
import { checkName } from "../../../core/inputs.js";
import type { Environment, Registry } from "../../../registry/types.js";
import { withRegistry } from "../../app-context.js";
import { remoteSession } from "../../remote.js";
import type { GlobalOptions } from "../../context.js";
import { formatTags, formatValue, out, printJson, shortDate, table } from "../../output.js";

export async function envShow(name: string, opts: GlobalOptions): Promise<void> {
  checkName(name);
  const remote = remoteSession();
  if (remote) {
    const { remoteReader } = await import("../../client.js");
    return showFrom(remoteReader(remote), name, opts);
  }
  await withRegistry((r) => showFrom(r, name, opts));
}

type Reader = Pick<Registry, "get" | "resources" | "dependencies" | "dependents" | "history" | "operations" | "lockHolder">;

async function showFrom(r: Reader, name: string, opts: GlobalOptions): Promise<void> {
  {
    const env = await mustGet(r, name);
    const [resources, dependsOn, usedBy, history, operations, lock] = await Promise.all([
      r.resources(name),
      r.dependencies(name),
      r.dependents(name),
      r.history(name),
      r.operations(name),
      r.lockHolder(name),
    ]);
    const last = operations.at(-1);
    if (opts.json) return printJson({ ...env, resources, dependsOn, usedBy, history, lastOperation: last, lock });
    const lines = [
      `name         ${env.name}`,
      `status       ${env.status}${lock ? ` (locked by ${lock.owner}, operation ${lock.operationId})` : ""}`,
      `template     ${env.template.id}@${env.template.version} (${env.template.source})`,
      `location     ${env.location}`,
      ...(env.description ? [`description  ${env.description}`] : []),
      `created      ${shortDate(env.createdAt)}${env.destroyedAt ? `, destroyed ${shortDate(env.destroyedAt)}` : ""}${env.expiresAt ? `, expires ${shortDate(env.expiresAt)}` : ""}`,
      ...(Object.keys(env.tags).length ? [`tags         ${formatTags(env.tags)}`] : []),
      `depends on   ${dependsOn.join(", ") || "-"}`,
      `used by      ${usedBy.join(", ") || "-"}`,
      "",
      "parameters",
      ...Object.entries(env.params).map(([k, v]) => `  ${k} = ${typeof v === "string" ? v : JSON.stringify(v)}`),
      "",
      ...section(
        "entrypoints",
        Object.entries(env.outputs).filter(([, o]) => o.kind === "entrypoint"),
      ),
      ...section(
        "status endpoints",
        Object.entries(env.outputs).filter(([, o]) => o.kind === "status"),
      ),
      "outputs",
      ...(Object.keys(env.outputs).length ? Object.entries(env.outputs).map(([k, o]) => `  ${k} = ${formatValue(o)}`) : ["  -"]),
      "",
      `resources (${resources.length})`,
    ];
    let text = lines.join("\n") + "\n";
    if (resources.length)
      text += table(
        ["  TYPE", "NAME", "COMPONENT", "STATUS"],
        resources.map((x) => [`  ${x.type}`, x.name, x.component ?? "", x.status]),
      );
    text +=
      `\nhistory\n` +
      table(
        ["  AT", "FROM", "TO", "REASON"],
        history.map((h) => [`  ${shortDate(h.at)}`, h.from, h.to, h.reason ?? ""]),
      );
    if (last) {
      text += `\nlast operation  ${last.kind} ${last.result} at ${shortDate(last.startedAt)} by ${last.who} (${last.id})`;
      if (last.message) text += `\n  ${last.message}`;
    }
    out(text);
  }
}

function section(title: string, entries: [string, { value?: unknown; secret: boolean }][]): string[] {
  return entries.length ? [title, ...entries.map(([k, o]) => `  ${k}  ${formatValue(o)}`), ""] : [];
}

async function mustGet(r: Reader, name: string): Promise<Environment> {
  const env = await r.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}`, { remedy: { see: "environments" } });
  return env;
}
