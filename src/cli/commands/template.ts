// `infra template list|show`: the templates infra knows, from templates/ and
// INFRA_TEMPLATE_PATH.
import { catalogue } from "../../../programs/components/catalogue.js";
import { compareSemver, describeSource, findTemplate, scanTemplates, type BrokenTemplate } from "../../templates/load.js";
import type { TemplateSpec } from "../../templates/schema.js";
import type { GlobalOptions } from "../context.js";
import { remoteSession } from "../remote.js";
import { out, printJson, table } from "../output.js";

/** A broken file's one line: the reason without the file's path, which the row shows. */
const brokenReason = (b: BrokenTemplate) => (b.reason.startsWith(`${b.file}: `) ? b.reason.slice(b.file.length + 2) : b.reason);

export async function templateList(opts: GlobalOptions): Promise<void> {
  const remote = remoteSession();
  if (remote) {
    // The server's templates, as it answers: --json equals GET /api/v1/templates.
    const { get } = await import("../client.js");
    const body = await get<{ items: { id: string; version: string; source: string; description: string }[]; broken: { file: string; reason: string }[] }>(
      remote,
      "/api/v1/templates",
    );
    if (opts.json) return printJson(body);
    const rows = body.items
      .sort((a, b) => a.id.localeCompare(b.id) || compareSemver(b.version, a.version))
      .map((t) => [t.id, t.version, t.source, t.description.split("\n")[0]!]);
    for (const b of body.broken) rows.push(["?", "?", b.file, `BROKEN: ${b.reason}`]);
    return out(table(["ID", "VERSION", "SOURCE", "DESCRIPTION"], rows));
  }
  const scan = scanTemplates();
  const all = scan.templates.sort((a, b) => a.spec.id.localeCompare(b.spec.id) || compareSemver(b.spec.version, a.spec.version));
  if (opts.json) {
    return printJson([
      ...all.map((t) => ({ id: t.spec.id, version: t.spec.version, description: t.spec.description, source: t.source, file: t.file, broken: false })),
      ...scan.broken.map((b) => ({ ...b.claims, source: b.source, file: b.file, broken: true, reason: brokenReason(b) })),
    ]);
  }
  if (!all.length && !scan.broken.length) return out("no templates (built-in templates live in templates/; add folders with INFRA_TEMPLATE_PATH)");
  const rows = all.map((t) => [t.spec.id, t.spec.version, describeSource(t), t.spec.description.split("\n")[0]!]);
  for (const b of scan.broken) rows.push([b.claims.id ?? "?", b.claims.version ?? "?", b.file, `BROKEN: ${brokenReason(b)}`]);
  out(table(["ID", "VERSION", "SOURCE", "DESCRIPTION"], rows));
  if (scan.broken.length)
    process.stderr.write(
      `infra: ${scan.broken.length} template file${scan.broken.length > 1 ? "s are" : " is"} broken and set aside; infra template validate <file> says why\n`,
    );
}

export async function templateShow(ref: string, opts: GlobalOptions): Promise<void> {
  const remote = remoteSession();
  if (remote) {
    const [id, version] = ref.split("@", 2) as [string, string | undefined];
    const { get } = await import("../client.js");
    const { UsageError } = await import("../../core/errors.js");
    const body = await get<{ versions: { version: string; source: string; spec: TemplateSpec }[] }>(remote, `/api/v1/templates/${encodeURIComponent(id)}`);
    const want =
      version ??
      body.versions
        .map((v) => v.version)
        .sort(compareSemver)
        .at(-1);
    const v = body.versions.find((x) => x.version === want);
    if (!v) throw new UsageError(`template ${id} has no version ${version}: it has ${body.versions.map((x) => x.version).join(", ")}`);
    if (opts.json) return printJson({ ...v.spec, source: v.source });
    return out(describeSpec(v.spec, v.source));
  }
  const t = findTemplate(ref);
  if (opts.json) return printJson({ ...t.spec, source: t.source, file: t.file });
  out(describeSpec(t.spec, describeSource(t)));
}

/** The component catalogue (the same on a server: components are code), or one component's inputs and outputs. */
export async function templateComponents(id: string | undefined, opts: GlobalOptions): Promise<void> {
  const view = ([cid, c]: [string, (typeof catalogue)[string]]) => ({
    id: cid,
    description: c.description,
    inputs: c.inputs,
    outputs: c.outputs,
    plugins: c.plugins,
  });
  if (id === undefined) {
    if (opts.json) return printJson(Object.entries(catalogue).map(view));
    return out(
      table(
        ["COMPONENT", "DESCRIPTION"],
        Object.entries(catalogue).map(([cid, c]) => [cid, c.description]),
      ),
    );
  }
  if (!Object.hasOwn(catalogue, id)) {
    const { UsageError } = await import("../../core/errors.js");
    throw new UsageError(`no component ${id}: infra template components lists them`);
  }
  const c = catalogue[id]!;
  if (opts.json) return printJson(view([id, c]));
  const lines = [id, c.description, "", "inputs"];
  for (const [k, i] of Object.entries(c.inputs)) lines.push(`  ${k}${i.required ? " (required)" : ""}${i.literal ? " (literal text)" : ""}: ${i.description}`);
  if (!Object.keys(c.inputs).length) lines.push("  (none)");
  lines.push("", "outputs");
  for (const [k, o] of Object.entries(c.outputs)) lines.push(`  ${k}${o.secret ? " (secret)" : ""}: ${o.description}`);
  out(lines.join("\n"));
}

/** A template as template show prints it: parameters with their rules, components, outputs. */
function describeSpec(s: TemplateSpec, source: string): string {
  const lines = [`${s.id}@${s.version}  (${source})`, ...(s.description ? [s.description.trim()] : []), "", "parameters"];
  for (const [k, p] of Object.entries(s.parameters)) {
    const rules = [
      p.default !== undefined ? `default ${JSON.stringify(p.default)}` : "required",
      p.secret ? "secret" : "",
      p.enum ? `one of ${p.enum.join("|")}` : "",
      p.min !== undefined ? `min ${p.min}` : "",
      p.max !== undefined ? `max ${p.max}` : "",
      p.pattern ? `pattern ${p.pattern}` : "",
    ].filter(Boolean);
    lines.push(`  ${k} (${p.type}; ${rules.join(", ")})${p.description ? `: ${p.description}` : ""}`);
  }
  if (!Object.keys(s.parameters).length) lines.push("  -");
  lines.push("", "components");
  for (const c of s.components) lines.push(`  ${c.name}: ${c.use} — ${catalogue[c.use]?.description ?? ""}`);
  lines.push("", "outputs");
  for (const [k, v] of Object.entries(s.outputs)) {
    lines.push(
      typeof v === "string" ? `  ${k} = ${v}` : `  ${k} = ${v.value}${v.kind !== "info" ? `  (${v.kind})` : ""}${v.description ? `  ${v.description}` : ""}`,
    );
  }
  if (s.locations) lines.push("", `locations: ${s.locations.join(", ")}`);
  return lines.join("\n");
}

export async function templateValidate(path: string, opts: GlobalOptions): Promise<void> {
  const { loadTemplateFile } = await import("../../templates/load.js");
  const { existsSync } = await import("node:fs");
  const { UsageError } = await import("../../core/errors.js");
  if (!existsSync(path)) throw new UsageError(`no file ${path}`);
  let t: Awaited<ReturnType<typeof loadTemplateFile>>;
  try {
    t = loadTemplateFile(path, "local");
  } catch (err) {
    const problems = (err as { problems?: string[] }).problems;
    if (!problems?.length) throw err;
    // Every problem of the file at once, one line each.
    if (opts.json) printJson({ ok: false, file: path, problems });
    else for (const p of problems) process.stderr.write(`infra: ${p}\n`);
    process.exitCode = 2;
    return;
  }
  const s = t.spec;
  if (opts.json) return printJson({ ok: true, id: s.id, version: s.version, file: path });
  out(
    `${path}: ok — ${s.id}@${s.version}, ${Object.keys(s.parameters).length} parameters, ${s.components.length} components, ${Object.keys(s.outputs).length} outputs`,
  );
}

export async function templateSync(opts: GlobalOptions & { githubOrganisation?: string; repositoryPrefix?: string }): Promise<void> {
  const [{ readConfig }, { infraHome }] = await Promise.all([import("../../config/settings.js"), import("../../core/home.js")]);
  const { UsageError } = await import("../../core/errors.js");
  const { syncSources } = await import("../../templates/git.js");
  const config = readConfig();
  const org = opts.githubOrganisation ?? process.env.INFRA_GITHUB_ORGANISATION ?? config.githubOrganisation;
  const prefix = opts.repositoryPrefix ?? process.env.INFRA_REPOSITORY_PREFIX ?? config.repositoryPrefix ?? "infra-";
  if (!org) throw new UsageError("no GitHub organisation: pass --github-organisation, set INFRA_GITHUB_ORGANISATION, or run infra init");
  const base = process.env.INFRA_GIT_BASE ?? "https://github.com";
  const changes = await syncSources(infraHome(), base, org, prefix);
  const { cloneDir } = await import("../../templates/git.js");
  const { templatesIn } = await import("../../templates/load.js");
  const brokenIn = (repo: string) => templatesIn(cloneDir(infraHome(), org, repo.slice(repo.indexOf("/") + 1)), repo).broken;
  const report = changes.map((c) => ({ ...c, broken: c.after ? brokenIn(c.repo).map((b) => ({ file: b.file, reason: brokenReason(b) })) : [] }));
  const broken = report.flatMap((c) => c.broken);
  if (opts.json) return printJson(report);
  if (!changes.length) return out(`no repositories of ${org} start with ${prefix}`);
  const short = (c?: string) => c?.slice(0, 7);
  out(
    changes
      .map((c) =>
        !c.after
          ? `${c.repo}: removed (was ${short(c.before)})`
          : !c.before
            ? `${c.repo}: added at ${short(c.after)}`
            : c.before === c.after
              ? `${c.repo}: unchanged at ${short(c.after)}`
              : `${c.repo}: ${short(c.before)} -> ${short(c.after)}`,
      )
      .join("\n"),
  );
  for (const b of broken) process.stderr.write(`infra: broken, set aside: ${b.file}: ${b.reason}\n`);
}
