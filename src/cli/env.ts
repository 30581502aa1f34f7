// `infra env …`: the environment lifecycle. Inputs are checked before the
// registry is opened, so bad input writes nothing.
import { readFileSync, existsSync } from "node:fs";
import { ConflictError, NotFoundError, UsageError } from "../core/errors.js";
import { checkName, parsePairs, parseTtl } from "../core/inputs.js";
import { STATUSES, type Operation } from "../core/status.js";
import type { Environment, Registry } from "../registry/types.js";
import type { LoadedTemplate } from "../templates/load.js";
import { redactParams, resolveParams, type ParamValue } from "../templates/params.js";
import { defaultBackend, infraHome, interactive, openRegistry, passphrase, readConfig, resolveSetting, type GlobalOptions } from "./context.js";
import { formatTags, formatValue, out, printJson, shortDate, table } from "./output.js";

export interface EnvOptions extends GlobalOptions {
  template?: string;
  param?: string[];
  tag?: string[];
  ttl?: string;
  description?: string;
  backend?: string;
  location?: string;
  passphraseFile?: string;
  status?: string;
  search?: string;
  limit?: string;
  operation?: string;
}

/** Templates need zod and yaml (~100 ms to load): only commands that read one pay. */
async function findTemplate(ref: string): Promise<LoadedTemplate> {
  return (await import("../templates/load.js")).findTemplate(ref);
}

async function withRegistry<T>(fn: (r: Registry) => Promise<T>): Promise<T> {
  const registry = await openRegistry();
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}

async function mustGet(r: Registry, name: string): Promise<Environment> {
  const env = await r.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}: see infra env list`);
  return env;
}

async function engineContext(r: Registry, opts: EnvOptions) {
  const config = readConfig();
  const backendUrl = await resolveSetting(
    { flag: opts.backend, flagName: "--backend <url>", envVar: "INFRA_BACKEND", fromConfig: config.backend, fallback: defaultBackend(), prompt: "state backend:" },
    opts,
  );
  const secret = await passphrase(opts);
  const pluginDownload = process.env.INFRA_PLUGIN_DOWNLOAD === "1";
  return { registry: r, home: infraHome(), settings: { backendUrl, passphrase: secret, pluginDownload }, quiet: !!opts.json };
}

/** Environments this run reads outputs from: its parameters of type environment. */
async function dependencies(r: Registry, t: LoadedTemplate, params: Record<string, ParamValue>) {
  const deps: { name: string; reason: string }[] = [];
  for (const [k, p] of Object.entries(t.spec.parameters)) {
    if (p.type !== "environment") continue;
    const name = String(params[k]);
    const dep = await r.get(name);
    if (!dep || dep.status === "destroyed") throw new UsageError(`--param ${k}=${name}: there is no environment ${name} to read outputs from`);
    if (dep.status !== "deployed-ok" && dep.status !== "drifted") {
      throw new UsageError(`--param ${k}=${name}: environment ${name} is ${dep.status}; it must be deployed first`);
    }
    deps.push({ name, reason: `parameter ${k}` });
  }
  return deps;
}

function printResult(env: Environment | undefined, opts: GlobalOptions, extra: Record<string, unknown> = {}): void {
  if (!env) return;
  if (opts.json) return printJson({ ...env, ...extra });
  const lines = [`${env.name}: ${env.status} (${env.template.id}@${env.template.version})`];
  for (const [k, o] of Object.entries(env.outputs)) lines.push(`  ${k} = ${formatValue(o)}`);
  out(lines.join("\n"));
}

export async function envCreate(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  if (!opts.template) throw new UsageError("infra env create needs --template <id>[@version] (see infra template list)");
  const given = parsePairs(opts.param ?? [], "--param");
  const tags = parsePairs(opts.tag ?? [], "--tag");
  const ttl = opts.ttl !== undefined ? parseTtl(opts.ttl) : undefined;
  const template = await findTemplate(opts.template);
  const params = resolveParams(template.spec, given);
  const location = opts.location ?? process.env.INFRA_LOCATION ?? readConfig().location ?? "local";
  const kind = location.split(":")[0]!;
  if (template.spec.locations && !template.spec.locations.includes(kind as never)) {
    throw new UsageError(
      `template ${template.spec.id} runs in ${template.spec.locations.join(", ")}, not in ${kind}: pass --location with one of those`,
    );
  }
  await withRegistry(async (r) => {
    const existing = await r.get(name);
    if (existing && existing.status !== "destroyed") {
      throw new ConflictError(`environment ${name} already exists (${existing.status}): pick another name, or use infra env update ${name}`);
    }
    const deps = await dependencies(r, template, params);
    const ctx = await engineContext(r, opts);
    const { runOperation } = await import("../engine/operation.js");
    await runOperation(ctx, {
      name,
      kind: "create",
      template,
      params,
      dependsOn: deps,
      create: {
        name,
        description: opts.description ?? "",
        template: { id: template.spec.id, version: template.spec.version, source: template.source },
        location,
        params: redactParams(template.spec, params),
        tags: { ...template.spec.tags, ...tags },
        ...(ttl !== undefined && { expiresAt: new Date(Date.now() + ttl).toISOString() }),
      },
    });
    printResult(await r.get(name), opts);
  });
}

/** Shows a preview's change summary, then asks on a terminal (or not, with --yes). */
function confirmer(name: string, opts: EnvOptions, describe: (c: Record<string, number>) => string) {
  return async (changes: Record<string, number>) => {
    if (!opts.json) process.stderr.write(`preview of ${name}: ${describe(changes)}\n`);
    if (opts.yes) return true;
    const { confirm: ask } = await import("@inquirer/prompts");
    return ask({ message: `apply these changes to ${name}?`, default: false });
  };
}

export async function envUpdate(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  const given = parsePairs(opts.param ?? [], "--param");
  if (!opts.yes && !interactive(opts)) throw new UsageError("infra env update asks before it applies: pass --yes to apply without asking");
  await withRegistry(async (r) => {
    const env = await mustGet(r, name);
    const template = await findTemplate(`${env.template.id}@${env.template.version}`);
    const params = resolveParams(template.spec, given, env.params as Record<string, ParamValue>);
    const ctx = await engineContext(r, opts);
    const { runOperation, describeChanges } = await import("../engine/operation.js");
    const res = await runOperation({ ...ctx, confirm: confirmer(name, opts, describeChanges) }, { name, kind: "update", template, params });
    if (res.cancelled) {
      if (!opts.json) out(`${name}: not changed`);
      return;
    }
    await r.update(name, { params: redactParams(template.spec, params) });
    printResult(await r.get(name), opts, { changes: res.changes });
  });
}

export async function envUpgrade(name: string, opts: EnvOptions & { to?: string }): Promise<void> {
  checkName(name);
  if (!opts.to) throw new UsageError("infra env upgrade needs --to <version> (see infra template show <id>)");
  const given = parsePairs(opts.param ?? [], "--param");
  if (!opts.yes && !interactive(opts)) throw new UsageError("infra env upgrade asks before it applies: pass --yes to apply without asking");
  await withRegistry(async (r) => {
    const env = await mustGet(r, name);
    if (env.template.version === opts.to) throw new ConflictError(`environment ${name} already runs ${env.template.id}@${opts.to}`);
    const template = await findTemplate(`${env.template.id}@${opts.to}`);
    // Parameters the new version dropped are dropped; new ones take their defaults or --param.
    const kept = Object.fromEntries(Object.entries(env.params).filter(([k]) => k in template.spec.parameters));
    const params = resolveParams(template.spec, given, kept as Record<string, ParamValue>);
    const ctx = await engineContext(r, opts);
    const { runOperation, describeChanges } = await import("../engine/operation.js");
    const describe = (c: Record<string, number>) => `${env.template.id} ${env.template.version} -> ${opts.to}: ${describeChanges(c)}`;
    const res = await runOperation({ ...ctx, confirm: confirmer(name, opts, describe) }, { name, kind: "upgrade", template, params });
    if (res.cancelled) {
      if (!opts.json) out(`${name}: not changed`);
      return;
    }
    await r.update(name, {
      params: redactParams(template.spec, params),
      template: { id: template.spec.id, version: template.spec.version, source: template.source },
    });
    printResult(await r.get(name), opts, { changes: res.changes });
  });
}

/** The environment and everything that depends on it, dependents first. */
async function destroyOrder(r: Registry, name: string): Promise<string[]> {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = async (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of await r.dependents(n)) await visit(d);
    order.push(n);
  };
  await visit(name);
  return order;
}

export async function envDestroy(name: string, opts: EnvOptions & { cascade?: boolean }): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
    const env = await mustGet(r, name);
    if (env.status === "destroyed") throw new ConflictError(`environment ${name} is already destroyed`);
    const dependents = await r.dependents(name);
    if (dependents.length && !opts.cascade) {
      throw new ConflictError(
        `environment ${name} is used by ${dependents.join(", ")}: destroy ${dependents.length > 1 ? "them" : "it"} first, or pass --cascade to destroy ${dependents.length > 1 ? "them" : "it"} too`,
      );
    }
    const order = opts.cascade ? await destroyOrder(r, name) : [name];
    if (!opts.yes) {
      const what = order.length > 1 ? `${order.join(", ")} (in this order)` : name;
      if (!interactive(opts)) throw new UsageError(`infra env destroy asks before it destroys: pass --yes to destroy ${what} without asking`);
      const { confirm } = await import("@inquirer/prompts");
      if (!(await confirm({ message: `destroy ${what} and every resource in ${order.length > 1 ? "them" : "it"}?`, default: false }))) {
        out(`${name}: not destroyed`);
        return;
      }
    }
    const ctx = await engineContext(r, opts);
    const { runOperation } = await import("../engine/operation.js");
    const destroyed = [];
    for (const n of order) {
      const e = await mustGet(r, n);
      const template = await findTemplate(`${e.template.id}@${e.template.version}`);
      await runOperation(ctx, { name: n, kind: "destroy", template, params: e.params as Record<string, ParamValue> });
      destroyed.push(await r.get(n));
    }
    if (opts.json) return printJson(order.length > 1 ? destroyed : destroyed[0]);
    for (const e of destroyed) printResult(e, opts);
  });
}

export async function envRecover(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
    const env = await mustGet(r, name);
    const template = await findTemplate(`${env.template.id}@${env.template.version}`);
    const ctx = await engineContext(r, opts);
    const { runOperation } = await import("../engine/operation.js");
    await runOperation(ctx, { name, kind: "recover" satisfies Operation, template, params: env.params as Record<string, ParamValue> });
    printResult(await r.get(name), opts);
  });
}

export async function envList(opts: EnvOptions): Promise<void> {
  if (opts.status && !(STATUSES as readonly string[]).includes(opts.status)) {
    throw new UsageError(`--status ${opts.status}: use one of ${STATUSES.join(", ")}`);
  }
  const tags = parsePairs(opts.tag ?? [], "--tag");
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit ${opts.limit}: use a whole number (0 for all)`);
  await withRegistry(async (r) => {
    const { items, total } = await r.list({
      ...(opts.status && { status: opts.status }),
      ...(opts.search && { search: opts.search }),
      tags,
      limit,
    });
    if (opts.json) return printJson({ total, items });
    if (!items.length) return out(total ? "" : "no environments (create one with infra env create <name> --template <id>)");
    const rows = items.map((e) => [e.name, e.status, `${e.template.id}@${e.template.version}`, shortDate(e.createdAt), shortDate(e.expiresAt), formatTags(e.tags)]);
    let text = table(["NAME", "STATUS", "TEMPLATE", "CREATED", "EXPIRES", "TAGS"], rows);
    if (total > items.length) text += `(${items.length} of ${total}; --limit 0 shows all)\n`;
    out(text);
  });
}

export async function envShow(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
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
      ...section("entrypoints", Object.entries(env.outputs).filter(([, o]) => o.kind === "entrypoint")),
      ...section("status endpoints", Object.entries(env.outputs).filter(([, o]) => o.kind === "status")),
      "outputs",
      ...(Object.keys(env.outputs).length ? Object.entries(env.outputs).map(([k, o]) => `  ${k} = ${formatValue(o)}`) : ["  -"]),
      "",
      `resources (${resources.length})`,
    ];
    let text = lines.join("\n") + "\n";
    if (resources.length) text += table(["  TYPE", "NAME", "COMPONENT", "STATUS"], resources.map((x) => [`  ${x.type}`, x.name, x.component ?? "", x.status]));
    text += `\nhistory\n` + table(["  AT", "FROM", "TO", "REASON"], history.map((h) => [`  ${shortDate(h.at)}`, h.from, h.to, h.reason ?? ""]));
    if (last) {
      text += `\nlast operation  ${last.kind} ${last.result} at ${shortDate(last.startedAt)} by ${last.who} (${last.id})`;
      if (last.message) text += `\n  ${last.message}`;
    }
    out(text);
  });
}

function section(title: string, entries: [string, { value?: unknown; secret: boolean }][]): string[] {
  return entries.length ? [title, ...entries.map(([k, o]) => `  ${k}  ${formatValue(o)}`), ""] : [];
}

export async function envHistory(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
    await mustGet(r, name);
    const [history, operations] = await Promise.all([r.history(name), r.operations(name)]);
    if (opts.json) return printJson({ history, operations });
    let text = table(["AT", "FROM", "TO", "OPERATION", "REASON"], history.map((h) => [shortDate(h.at), h.from, h.to, h.operationId?.slice(0, 8) ?? "", h.reason ?? ""]));
    text += "\n" + table(
      ["OPERATION", "KIND", "RESULT", "STARTED", "ENDED", "BY", "CHANGES"],
      operations.map((o) => [o.id, o.kind, o.result, shortDate(o.startedAt), shortDate(o.endedAt), o.who, Object.entries(o.summary ?? {}).map(([k, n]) => `${k}=${n}`).join(" ")]),
    );
    out(text);
  });
}

export async function envLogs(name: string, opts: EnvOptions): Promise<void> {
  checkName(name);
  await withRegistry(async (r) => {
    await mustGet(r, name);
    const ops = await r.operations(name);
    const op = opts.operation ? ops.find((o) => o.id === opts.operation || o.id.startsWith(opts.operation!)) : ops.at(-1);
    if (!op) throw new NotFoundError(opts.operation ? `environment ${name} has no operation ${opts.operation}: see infra env history ${name}` : `environment ${name} has no operations yet`);
    if (!op.eventsFile || !existsSync(op.eventsFile)) throw new NotFoundError(`the events of operation ${op.id} were not kept`);
    const raw = readFileSync(op.eventsFile, "utf8");
    if (opts.json) return out(raw);
    const lines: string[] = [`${op.kind} ${op.result} (${op.id}) started ${shortDate(op.startedAt)} by ${op.who}`];
    for (const l of raw.split("\n").filter(Boolean)) {
      const e = JSON.parse(l) as { infraPhase?: string } & Partial<Record<string, { metadata?: { op: string; type: string; urn: string }; message?: string; severity?: string; resourceChanges?: Record<string, number> }>>;
      if (e.infraPhase) lines.push(`— ${e.infraPhase} —`);
      const step = e.resOutputsEvent?.metadata;
      if (step && step.op !== "same") lines.push(`  ${step.op.padEnd(8)} ${step.type} ${step.urn.slice(step.urn.lastIndexOf("::") + 2)}`);
      const d = e.diagnosticEvent;
      if (d?.message && d.severity !== "debug") lines.push(`  ${d.severity}: ${d.message.trim()}`);
      const fail = e.resOpFailedEvent?.metadata;
      if (fail) lines.push(`  failed   ${fail.type} ${fail.urn.slice(fail.urn.lastIndexOf("::") + 2)}`);
      if (e.summaryEvent?.resourceChanges) lines.push(`  summary  ${Object.entries(e.summaryEvent.resourceChanges).map(([k, n]) => `${k}=${n}`).join(" ")}`);
    }
    out(lines.join("\n"));
  });
}
