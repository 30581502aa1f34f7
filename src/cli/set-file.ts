// A set file (infra apply -f), or a folder of them, read into the apply
// command's input: the environments by name, each a template, parameters,
// tags, a TTL. A parameter may come from an environment variable
// ({ env: NAME }), so a secret need not be written in a file kept in git.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { CommandInput } from "../app/commands.js";
import { UsageError } from "../core/errors.js";

const MAX_BYTES = 1 << 20;
const VAR = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const value = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ env: z.string().regex(VAR, "an environment variable's name: letters, digits and '_'") }),
]);
const entry = z.strictObject({
  template: z.string(),
  params: z.record(z.string(), value).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  ttl: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
});
const file = z.strictObject({
  set: z.string().describe("the set's name"),
  environments: z.record(z.string(), entry).nullish(),
});

export type SetInput = Extract<CommandInput, { kind: "apply" }>;
type Entry = SetInput["environments"][number];

/** The set a file or a folder of *.yaml / *.yml files declares (one set; each environment in one file). */
export function readSet(path: string, env: NodeJS.ProcessEnv = process.env): { set: string; environments: Entry[] } {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `there is no file or folder ${path}` : `cannot read ${basename(path)}: ${code ?? (err as Error).message}`);
  }
  if (!files.length) throw new UsageError(`${basename(path)} holds no .yaml or .yml file: write a set file there`);
  let set: string | undefined;
  const environments: Entry[] = [];
  const from = new Map<string, string>();
  for (const f of files) {
    const one = readOne(f);
    if (set !== undefined && one.set !== set) throw new UsageError(`${basename(f)} declares set ${one.set}, another file set ${set}: one set per folder`);
    set = one.set;
    for (const [name, e] of Object.entries(one.environments ?? {})) {
      if (from.has(name)) throw new UsageError(`environment ${name} is in ${from.get(name)} and ${basename(f)}: declare it once`);
      from.set(name, basename(f));
      const { params: given, ...rest } = e;
      const params = Object.fromEntries(Object.entries(given ?? {}).map(([k, v]) => [k, resolveValue(v, `${name}'s parameter ${k}`, env)]));
      environments.push({ name, ...rest, ...(given && { params }) });
    }
  }
  return { set: set!, environments };
}

function readOne(f: string): z.infer<typeof file> {
  const where = basename(f);
  let text: string;
  try {
    if (statSync(f).size > MAX_BYTES) throw new UsageError(`${where} is larger than 1 MiB: a set file lists environments, not their data`);
    text = readFileSync(f, "utf8");
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`${where} is not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const r = file.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const at = i.path.map(String).join(".");
    const what = i.code === "unrecognized_keys" ? `unknown field ${(i as { keys: string[] }).keys.join(", ")}` : i.message;
    throw new UsageError(`${where}${at ? ` at ${at}` : ""}: ${what} (a set file has set: <name> and environments: <name>: {template, params, tags, ttl})`);
  }
  return r.data;
}

function resolveValue(v: z.infer<typeof value>, what: string, env: NodeJS.ProcessEnv): string | number | boolean {
  if (typeof v !== "object") return v;
  const got = env[v.env];
  if (got === undefined) throw new UsageError(`${what} comes from the environment variable ${v.env}, which is not set`);
  return got;
}
