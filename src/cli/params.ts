// Template parameters from the command line: --param-file (YAML or JSON; -
// for standard input; repeatable) under --param (flags win), and on a
// terminal a masked prompt for a required secret nobody gave, so a secret
// need never be typed into infra's arguments or the shell's history.
import { readFileSync } from "node:fs";
import { UsageError } from "../core/errors.js";
import { parsePairs } from "../core/inputs.js";
import type { TemplateSpec } from "../templates/schema.js";
import { interactive, promptOutput, type GlobalOptions } from "./context.js";

const MAX_FILE = 256 * 1024;

export interface ParamOptions extends GlobalOptions {
  param?: string[];
  paramFile?: string[];
}

export async function readParams(opts: ParamOptions): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let stdinUsed = false;
  for (const file of opts.paramFile ?? []) {
    if (file === "-") {
      if (stdinUsed) throw new UsageError("--param-file - is given twice: standard input can be read once");
      stdinUsed = true;
    }
    let text: string;
    try {
      text = readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (err) {
      throw new UsageError(`cannot read --param-file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    if (text.length > MAX_FILE) throw new UsageError(`--param-file ${file}: more than ${MAX_FILE} bytes`);
    const { parse } = await import("yaml");
    let doc: unknown;
    try {
      doc = parse(text, { schema: "core", customTags: [], maxAliasCount: 0 });
    } catch (err) {
      // The parser's message may quote the file: never shown, it may hold a secret.
      throw new UsageError(`--param-file ${file}: not valid YAML or JSON (${(err as { code?: string }).code ?? "syntax"})`);
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`--param-file ${file}: write a map of name: value`);
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(k)) throw new UsageError(`--param-file ${file}: '${k.slice(0, 40)}' is not a parameter name`);
      if (v === null || typeof v === "object") throw new UsageError(`--param-file ${file}: ${k} must be a text, a number or true/false`);
      out[k] = String(v);
    }
  }
  return { ...out, ...parsePairs(opts.param ?? [], "--param") };
}

/** On a terminal: asks for each required secret parameter the template needs and nobody gave. */
export async function askMissingSecrets(spec: TemplateSpec, params: Record<string, string>, opts: GlobalOptions): Promise<void> {
  if (!interactive(opts)) return;
  for (const [name, p] of Object.entries(spec.parameters)) {
    if (!p.secret || p.optional || p.default !== undefined || params[name] !== undefined) continue;
    const { password } = await import("@inquirer/prompts");
    params[name] = await password({ message: `${name} (secret${p.description ? `: ${p.description}` : ""}):`, mask: "*" }, await promptOutput());
  }
}
