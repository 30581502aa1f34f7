// Reading templates: built-in (templates/) and any folders on
// INFRA_TEMPLATE_PATH. Every file is untrusted: bounded size, no YAML tags,
// few aliases, a strict schema, expressions checked before anything runs.
import { lstatSync, readFileSync, readdirSync, statSync, type Stats } from "node:fs";
import { basename, delimiter, join, relative } from "node:path";
import { RE2JS } from "re2js";
import { parseDocument } from "yaml";
import { catalogue } from "../../programs/components/catalogue.js";
import { shown, UsageError } from "../core/errors.js";
import { infraHome } from "../core/home.js";
import { cloneDir, readPins } from "./git.js";
import { packageRoot } from "../core/package-root.js";
import { parseExpr, type Ref, whenParameter } from "./expr.js";
import { findCycle, outputText } from "./order.js";
import { checkValue } from "./params.js";
import { templateSchema, type TemplateSpec } from "./schema.js";

export const MAX_TEMPLATE_BYTES = 64 * 1024;

/** A record's own entry: names like constructor or toString must not find Object.prototype's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export interface LoadedTemplate {
  spec: TemplateSpec;
  file: string;
  /** "builtin" or the folder it came from. */
  source: string;
}

/** What a template file says it is (its id and version), even when it is broken: from its YAML, else its path. */
export interface Claims {
  id?: string;
  version?: string;
}

export class TemplateError extends UsageError {
  claims: Claims = {};
  /** Every problem of the file, one line each (the message says the first and how many more). */
  problems: string[] = [];
}

/** A template file that failed to load: set aside, not fatal; using it is refused with its reason. */
export interface BrokenTemplate {
  file: string;
  source: string;
  reason: string;
  claims: Claims;
}

/** templates/<id>/<version>.yaml or <id>-<version>.yaml. */
function claimsOfPath(file: string): Claims {
  const base = basename(file).replace(/\.ya?ml$/, "");
  if (/^[0-9]+\.[0-9]+\.[0-9]+/.test(base)) return { id: basename(join(file, "..")), version: base };
  const m = /^([a-z][a-z0-9-]*?)-([0-9]+\.[0-9]+\.[0-9]+.*)$/.exec(base);
  return m ? { id: m[1]!, version: m[2]! } : {};
}

export function templateDirs(env: NodeJS.ProcessEnv = process.env, opts: { retired?: boolean } = {}): { dir: string; source: string }[] {
  const dirs = [{ dir: join(packageRoot(), "templates"), source: "builtin" }];
  for (const d of (env.INFRA_TEMPLATE_PATH ?? "").split(delimiter).filter(Boolean)) dirs.push({ dir: d, source: d });
  // Synced repositories, each checked out at its pinned commit (infra template sync).
  const home = infraHome(env);
  for (const p of readPins(home)) {
    if (p.retired && !opts.retired) continue;
    dirs.push({ dir: cloneDir(home, p.org, p.repo), source: `git+${p.url}#${p.commit}` });
  }
  return dirs;
}

/** The YAML files under dir, each with the lstat the walk made (the parse cache's stamp: no second stat). */
function yamlFiles(dir: string, depth = 0): { file: string; st: Stats }[] {
  if (depth > 4) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    if (n.startsWith(".")) return []; // .git and friends
    const p = join(dir, n);
    // lstat, and links skipped: a link in a template repository must not
    // reach files outside it.
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return [];
    if (st.isDirectory()) return yamlFiles(p, depth + 1);
    return /\.ya?ml$/.test(n) ? [{ file: p, st }] : [];
  });
}

/** Parses and checks one template file; every error names the file, the place in it and the fix. */
export function loadTemplateFile(file: string, source = "local"): LoadedTemplate {
  let claims = claimsOfPath(file);
  const fail = (where: string, msg: string): never => {
    const err = new TemplateError(`${file}${where ? `: ${where}` : ""}: ${msg}`);
    err.claims = claims;
    throw err;
  };
  const size = statSync(file).size;
  if (size > MAX_TEMPLATE_BYTES) fail("", `${size} bytes is more than the ${MAX_TEMPLATE_BYTES} a template may have`);
  const doc = parseDocument(readFileSync(file, "utf8"), { schema: "core", uniqueKeys: true, customTags: [], prettyErrors: false });
  // Unknown tags (!!js/function, !include…) are only warnings to the parser; here they are errors.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) fail("", `not valid YAML: ${problem.message.split("\n")[0]}`);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 });
  } catch (err) {
    fail("", `not valid YAML: ${(err as Error).message.split("\n")[0]} (aliases are limited to keep templates small)`);
  }
  const said = raw as { id?: unknown; version?: unknown } | null;
  if (said && typeof said === "object" && typeof said.id === "string" && typeof said.version === "string")
    claims = { id: said.id.slice(0, 64), version: said.version.slice(0, 40) };
  if (depth(raw) > MAX_DEPTH) fail("", `nested more than ${MAX_DEPTH} levels deep; templates are flat`);
  const parsed = templateSchema.safeParse(raw, { reportInput: true });
  const problems: string[] = [];
  // Every problem at once (template validate shows them all), each in infra's words.
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 50)) problems.push(`${file}: ${issue.path.join(".") || "(top)"}: ${schemaWords(issue)}`);
  } else {
    checkTemplate(parsed.data, fail, (err) => problems.push(err.message));
  }
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: infra template validate shows all)` : "";
    const err = new TemplateError(`${problems[0]}${more}`);
    err.claims = claims;
    err.problems = problems;
    throw err;
  }
  return { spec: parsed.data!, file, source };
}

/** The deepest nesting a template may have (maps and lists); real ones need 5. */
export const MAX_DEPTH = 12;

function depth(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depth));
  if (v && typeof v === "object") return 1 + Math.max(0, ...Object.values(v).map(depth));
  return 0;
}

/** A schema problem as infra says it: what was expected, never the library's phrasing. */
function schemaWords(issue: import("zod").z.core.$ZodIssue): string {
  const i = issue as {
    code: string;
    expected?: string;
    input?: unknown;
    keys?: string[];
    values?: unknown[];
    minimum?: number | bigint;
    maximum?: number | bigint;
    origin?: string;
    message: string;
  };
  const got =
    i.input === undefined
      ? "nothing"
      : Array.isArray(i.input)
        ? "a list"
        : i.input === null
          ? "null"
          : typeof i.input === "object"
            ? "a map"
            : `a ${typeof i.input}`;
  const unit = i.origin === "string" ? " characters" : i.origin === "array" ? " items" : i.origin === "object" ? " entries" : "";
  switch (i.code) {
    case "invalid_type":
      return i.input === undefined
        ? `missing: it needs a ${i.expected}`
        : `expected a ${i.expected === "array" ? "list" : i.expected === "object" ? "map" : i.expected}, got ${got}`;
    case "unrecognized_keys":
      return `unknown field${i.keys!.length > 1 ? "s" : ""} ${i.keys!.map((k) => k.slice(0, 40)).join(", ")}`;
    case "invalid_value":
      return `one of ${i.values!.map(String).join(", ")}`;
    case "too_small":
      return `at least ${String(i.minimum)}${unit}`;
    case "too_big":
      return `at most ${String(i.maximum)}${unit}`;
    case "invalid_union":
      return `does not fit any of the forms this field takes, got ${got}`;
    default:
      return i.message.replace(/^Invalid input: /, "");
  }
}

function checkTemplate(spec: TemplateSpec, fail: (where: string, msg: string) => never, collect: (err: TemplateError) => void): void {
  // Each parameter, component and output is checked on its own, so one bad entry does not hide the next.
  const each = (check: () => void) => {
    try {
      check();
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      collect(err);
    }
  };
  for (const [name, p] of Object.entries(spec.parameters))
    each(() => {
      if (p.pattern !== undefined) {
        const why = patternProblem(p.pattern);
        if (why) fail(`parameters.${name}.pattern`, why);
      }
      if (p.min !== undefined && p.max !== undefined && p.min > p.max) fail(`parameters.${name}`, `min ${p.min} is more than max ${p.max}`);
      if (p.default !== undefined) {
        try {
          checkValue(name, p, p.default);
        } catch (err) {
          fail(`parameters.${name}.default`, `the default does not fit: ${(err as UsageError).detail}`);
        }
      }
    });
  const index = new Map<string, number>();
  spec.components.forEach((c, i) => {
    each(() => {
      if (index.has(c.name)) fail(`components.${i}.name`, `component name ${c.name} is used twice`);
      index.set(c.name, i);
    });
  });
  const uses = new Map<string, Set<string>>(spec.components.map((c) => [c.name, new Set<string>()]));
  const check = (where: string, text: string, from?: string) => {
    let parts: ReturnType<typeof parseExpr>;
    try {
      parts = parseExpr(text);
    } catch (err) {
      return fail(where, (err as Error).message);
    }
    for (const ref of parts.filter((p): p is Ref => typeof p !== "string")) {
      if (ref.kind === "param" && !own(spec.parameters, ref.name)) {
        fail(where, `no parameter named ${ref.name}; the template has ${Object.keys(spec.parameters).join(", ") || "none"}`);
      }
      if (ref.kind === "environment" && own(spec.parameters, ref.param)?.type !== "environment") {
        fail(where, `${ref.param} is not a parameter of type environment`);
      }
      if (ref.kind === "location" && spec.locations && !spec.locations.some((l) => l === "sandbox" || l === "kubernetes")) {
        fail(where, "${location.kubeconfig} comes from the sandbox and kubernetes locations; add one of them to locations");
      }
      if (ref.kind === "component") {
        const i = index.get(ref.name);
        if (i === undefined) fail(where, `no component named ${ref.name}`);
        const use = spec.components[i!]!.use;
        const outputs = own(catalogue, use)?.outputs;
        if (outputs && !own(outputs, ref.output)) {
          fail(where, `component ${ref.name} (${use}) has no output ${ref.output}; it has ${Object.keys(outputs).join(", ")}`);
        }
        if (from) uses.get(from)!.add(ref.name);
      }
    }
  };
  spec.components.forEach((c, i) => {
    each(() => {
      if (c.when) {
        const p = whenParameter(c.when)!; // the schema let only this form through
        if (own(spec.parameters, p)?.type !== "boolean") fail(`components.${i}.when`, `${p} is not a boolean parameter`);
      }
      const info = own(catalogue, c.use);
      if (!info) fail(`components.${i}.use`, unknownComponent(c.use));
      for (const [k, v] of Object.entries(c.with)) {
        const where = `components.${i}.with.${k}`;
        const input = own(info!.inputs, k);
        if (!input) fail(where, `${c.use} has no input ${k}; it takes ${Object.keys(info!.inputs).join(", ")}`);
        const isMap = !!v && typeof v === "object" && !Array.isArray(v);
        if (input!.map && !isMap) fail(where, `${k} is a map of NAME: value`);
        if (!input!.map && isMap) fail(where, `${k} is a single value or a list, not a map`);
        const texts = isMap ? Object.values(v as Record<string, unknown>) : [v].flat();
        for (const s of texts) {
          if (typeof s !== "string") continue;
          if (input!.literal && s.includes("${")) {
            fail(
              where,
              `an expression cannot go into a command (a shell would run the value as code): pass it in environment (NAME: "\${...}") and write "$NAME" in the command`,
            );
          }
          check(where, s, c.name);
        }
      }
      for (const [k, inp] of Object.entries(info!.inputs)) {
        if (inp.required && !Object.hasOwn(c.with, k)) fail(`components.${i}.with`, `${c.use} needs the input ${k} (${inp.description})`);
      }
    });
  });
  each(() => {
    const cycle = findCycle(uses);
    if (cycle) fail("components", `dependency cycle: ${cycle.join(" -> ")}; a component cannot use its own outputs, directly or through others`);
  });
  for (const [k, v] of Object.entries(spec.outputs)) each(() => check(`outputs.${k}`, outputText(v)));
}

/**
 * A pattern is checked by RE2's syntax, which has no backreferences or
 * lookarounds: what it accepts runs in linear time whatever its nesting.
 */
export function patternProblem(p: string): string | undefined {
  try {
    RE2JS.compile(p);
    return undefined;
  } catch (err) {
    const why = (err as Error).message.replace(/^error parsing regexp: /, "");
    if (/\\[1-9]|\\k</.test(p)) return `backreferences are not allowed (RE2 syntax, which runs in linear time): ${why}`;
    if (/\(\?<?[=!]/.test(p)) return `lookarounds are not allowed (RE2 syntax, which runs in linear time): ${why}`;
    return `not a valid regular expression (RE2 syntax): ${why}`;
  }
}

/** Every template file on the template folders: those that load, and those set aside with their reason. */
export function scanTemplates(env: NodeJS.ProcessEnv = process.env, opts: { retired?: boolean } = {}): Scan {
  const scans = templateDirs(env, opts).map(({ dir, source }) => templatesIn(dir, source));
  return { templates: scans.flatMap((s) => s.templates), broken: scans.flatMap((s) => s.broken) };
}

export interface Scan {
  templates: LoadedTemplate[];
  broken: BrokenTemplate[];
}

/** The templates that load (a broken file is set aside: see scanTemplates). */
export function allTemplates(env: NodeJS.ProcessEnv = process.env, opts: { retired?: boolean } = {}): LoadedTemplate[] {
  return scanTemplates(env, opts).templates;
}

/** A template repository's bootstrap file (see src/app/bootstrap-file.ts) lives beside its templates and is not one. */
const NOT_TEMPLATES = new Set(["infra-bootstrap.yaml", "infra-bootstrap.yml"]);

export function templatesIn(dir: string, source: string): Scan {
  const scan: Scan = { templates: [], broken: [] };
  for (const f of yamlFiles(dir)) {
    if (NOT_TEMPLATES.has(basename(f.file))) continue;
    try {
      scan.templates.push(loadUnlessUnchanged(f.file, f.st, source));
    } catch (err) {
      // One bad file (a bad commit in one repository) must not stop every other template.
      if (!(err instanceof TemplateError)) throw err;
      scan.broken.push({ file: f.file, source, reason: err.message, claims: err.claims });
    }
  }
  return scan;
}

/**
 * Parsed templates (or their error) by file, kept while the file's size and
 * times stay the same: a long-running server lists and finds templates on
 * every request, and sees a template sync or an edited file at once, without
 * parsing and checking every file again. Callers must not change what it hands back.
 */
const parsed = new Map<string, { stamp: string; result: LoadedTemplate | Error }>();
const MAX_PARSED = 4096;

function loadUnlessUnchanged(file: string, st: Stats, source: string): LoadedTemplate {
  const key = `${source}\0${file}`;
  const stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const hit = parsed.get(key);
  if (hit?.stamp === stamp) {
    if (hit.result instanceof Error) throw hit.result;
    return hit.result;
  }
  if (parsed.size >= MAX_PARSED) parsed.clear();
  try {
    const t = loadTemplateFile(file, source);
    parsed.set(key, { stamp, result: t });
    return t;
  } catch (err) {
    if (err instanceof TemplateError) parsed.set(key, { stamp, result: err });
    throw err;
  }
}

/**
 * The template an environment recorded, from the files of its source whose
 * names say its id and version (templates/<id>/<version>.yaml,
 * <id>-<version>.yaml), with no other file parsed: every operation on an
 * environment looks its template up, and parsing and checking every file of
 * every source cost ~0.2 s of each CLI run. Undefined when no such file holds
 * it (a file named otherwise): the caller scans everything then.
 */
export function recordedByName(t: { id: string; version: string; source: string }, env: NodeJS.ProcessEnv = process.env): LoadedTemplate | undefined {
  for (const { dir, source } of templateDirs(env, { retired: true })) {
    if (source !== t.source) continue;
    for (const f of yamlFiles(dir)) {
      const c = claimsOfPath(f.file);
      if (c.id !== t.id || c.version !== t.version || NOT_TEMPLATES.has(basename(f.file))) continue;
      try {
        const x = loadUnlessUnchanged(f.file, f.st, source);
        if (x.spec.id === t.id && x.spec.version === t.version) return x;
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
      }
    }
  }
  return undefined;
}

/** `id` (latest version) or `id@version`; a broken file that claims it is refused with its reason. */
export function findTemplate(ref: string, env: NodeJS.ProcessEnv = process.env, scan: Scan = scanTemplates(env)): LoadedTemplate {
  const all = scan.templates;
  const [id, version] = ref.split("@", 2) as [string, string | undefined];
  const same = all.filter((t) => t.spec.id === id);
  const broken = scan.broken.filter((b) => b.claims.id === id && (version === undefined || b.claims.version === version));
  if (broken.length && (!same.length || (version !== undefined && !same.some((t) => t.spec.version === version)))) {
    const b = broken[0]!;
    throw new UsageError(
      `template ${id}${b.claims.version ? `@${b.claims.version}` : ""} is broken, so it cannot be used until its file is fixed: ${b.reason}`,
      { field: "template" },
    );
  }
  if (!same.length) {
    const known = [...new Set(all.map((t) => t.spec.id))].sort();
    throw new UsageError(`unknown template '${shown(id, 64)}': known templates are ${known.join(", ") || "none"}`, { remedy: { see: "templates" } });
  }
  const want =
    version ??
    same
      .map((t) => t.spec.version)
      .sort(compareSemver)
      .at(-1)!;
  const exact = same.filter((t) => t.spec.version === want);
  if (!exact.length) {
    throw new UsageError(
      `template ${id} has no version ${version}: it has ${same
        .map((t) => t.spec.version)
        .sort(compareSemver)
        .join(", ")}`,
    );
  }
  // One id@version from two sources: neither silently wins.
  if (exact.length > 1) {
    throw new UsageError(`template ${id}@${want} is defined more than once (${exact.map((t) => t.file).join(" and ")}): remove or rename all but one`);
  }
  return exact[0]!;
}

export function compareSemver(a: string, b: string): number {
  const pa = a.split(/[.-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  // a pre-release sorts before its release
  return (b.includes("-") ? 1 : 0) - (a.includes("-") ? 1 : 0);
}

export function describeSource(t: LoadedTemplate): string {
  if (t.source === "builtin") return "builtin";
  const git = /^git\+(.*)#([0-9a-f]{7})[0-9a-f]*$/.exec(t.source);
  if (git) return `${git[1]!.replace(/^.*\/([^/]+\/[^/]+?)(\.git)?$/, "$1")}@${git[2]}`;
  return `${t.source} (${relative(t.source, t.file)})`;
}

/** Names what there is near an unknown component: its group's components, or the groups (the whole list is too long for one line). */
function unknownComponent(use: string): string {
  const ids = Object.keys(catalogue);
  const group = use.split("/")[0]!;
  const same = ids.filter((id) => id.startsWith(`${group}/`));
  if (same.length) return `unknown component '${use}'; ${group} has ${same.join(", ")}`;
  return `unknown component '${use}'; the groups are ${[...new Set(ids.map((id) => id.split("/")[0]))].join(", ")}`;
}
