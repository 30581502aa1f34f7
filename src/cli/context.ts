// What every command shares: the infra home, its config file, and settings
// resolved flag → environment variable → config file → prompt (on a TTY
// only) → a one-line error naming the flag. Never a hang.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { InfraError, UsageError } from "../core/errors.js";
import { infraHome } from "../core/home.js";
import type { Registry } from "../registry/types.js";

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
}

export interface InfraConfig {
  backend?: string;
  location?: string;
  githubOrganisation?: string;
  repositoryPrefix?: string;
  registry?: string;
}

export { infraHome };

export function configFile(home = infraHome()): string {
  return join(home, "config.json");
}

export function readConfig(home = infraHome()): InfraConfig {
  const file = configFile(home);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as InfraConfig;
  } catch (err) {
    throw new InfraError(`cannot read ${file}: ${(err as Error).message}; fix it or run infra init again`);
  }
}

/** Written atomically, mode 0600, in a 0700 home. */
export function writeConfig(config: InfraConfig, home = infraHome()): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const file = configFile(home);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

export function interactive(opts: GlobalOptions): boolean {
  return !opts.nonInteractive && !!process.stdin.isTTY && !!process.stderr.isTTY && process.env.CI !== "true";
}

export interface Setting {
  /** The flag's value, if given. */
  flag: string | undefined;
  flagName: string;
  envVar: string;
  fromConfig?: string | undefined;
  fallback?: string;
  prompt: string;
  secret?: boolean;
}

/** Resolves one setting; prompts only on a TTY and fails at once otherwise. */
export async function resolveSetting(s: Setting, opts: GlobalOptions): Promise<string> {
  const v = s.flag ?? process.env[s.envVar] ?? s.fromConfig ?? s.fallback;
  if (v !== undefined && v !== "") return v;
  if (!interactive(opts)) {
    throw new UsageError(`${s.prompt.replace(/:$/, "")} is not set: pass ${s.flagName} or set ${s.envVar}`);
  }
  const prompts = await import("@inquirer/prompts");
  const answer = s.secret
    ? await prompts.password({ message: s.prompt, mask: "*" })
    : await prompts.input({ message: s.prompt, required: true });
  if (!answer) throw new UsageError(`${s.prompt.replace(/:$/, "")} is empty`);
  return answer;
}

export function defaultBackend(home = infraHome()): string {
  return pathToFileURL(join(home, "state")).href;
}

/** The passphrase: never stored; from a file named by a flag, an env var, or a prompt. */
export async function passphrase(opts: GlobalOptions & { passphraseFile?: string }): Promise<string> {
  let fromFile: string | undefined;
  if (opts.passphraseFile) {
    try {
      fromFile = readFileSync(opts.passphraseFile, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new UsageError(`cannot read --passphrase-file ${opts.passphraseFile}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  }
  return resolveSetting(
    {
      flag: fromFile,
      flagName: "--passphrase-file <file>",
      envVar: process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.INFRA_PASSPHRASE ? "PULUMI_CONFIG_PASSPHRASE" : "INFRA_PASSPHRASE",
      prompt: "secrets passphrase:",
      secret: true,
    },
    opts,
  );
}

/** The registry: SQLite under the home unless the config names another. */
export async function openRegistry(home = infraHome()): Promise<Registry> {
  const where = process.env.INFRA_REGISTRY ?? readConfig(home).registry ?? join(home, "registry.db");
  if (/^postgres(ql)?:\/\//.test(where)) {
    throw new InfraError("a PostgreSQL registry is not available in this version: use the embedded SQLite registry (unset INFRA_REGISTRY)");
  }
  const { SqliteRegistry } = await import("../registry/sqlite.js");
  const registry = new SqliteRegistry(where);
  await registry.reapStale();
  return registry;
}
