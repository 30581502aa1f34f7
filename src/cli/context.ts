// What every command shares: settings through the one resolver
// (src/config/settings.ts), a prompt on a terminal only for a setting nothing
// sets, and a one-line error naming the flag otherwise. Never a hang.
import { readFileSync } from "node:fs";
import { UsageError } from "../core/errors.js";
import { infraHome } from "../core/home.js";
import { resolveSetting, SETTINGS, type SettingName } from "../config/settings.js";
import type { Registry } from "../registry/types.js";

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
}

export function interactive(opts: GlobalOptions): boolean {
  return !opts.nonInteractive && !!process.stdin.isTTY && !!process.stderr.isTTY && process.env.CI !== "true";
}

/** Prompts are drawn on stderr: stdout carries results only (--json > file stays clean). */
export async function promptOutput(): Promise<{ output: NodeJS.WriteStream }> {
  return { output: process.stderr };
}

/** A setting: resolved, else asked on a terminal, else a one-line error naming the flag and variable. */
/** Answers typed at a prompt, asked once per process (bootstrap needs the passphrase twice). */
const answered = new Map<SettingName, string>();

export async function setting(name: SettingName, flag: string | undefined, opts: GlobalOptions): Promise<string> {
  const r = resolveSetting(name, flag);
  if (r.value !== undefined) return r.value;
  const known = answered.get(name);
  if (known !== undefined) return known;
  const s = SETTINGS[name];
  const how = [s.flag && `pass ${s.flag}`, `set ${s.envVars[0]}`].filter(Boolean).join(" or ");
  if (!interactive(opts)) throw new UsageError(`the ${s.label} is not set: ${how}`);
  const prompts = await import("@inquirer/prompts");
  const ctx = await promptOutput();
  const answer =
    "secret" in s && s.secret
      ? await prompts.password({ message: `${s.label}:`, mask: "*" }, ctx)
      : await prompts.input({ message: `${s.label}:`, required: true }, ctx);
  if (!answer) throw new UsageError(`the ${s.label} is empty: ${how}`);
  answered.set(name, answer);
  return answer;
}

export function defaultBackend(home = infraHome()): string {
  return resolveSetting("backend", undefined, { ...process.env, INFRA_HOME: home, INFRA_BACKEND: "" }, {}).value!;
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
  return setting("passphrase", fromFile, opts);
}

/** The registry: SQLite under the home unless the settings name another. */
export async function openRegistry(): Promise<Registry> {
  const where = resolveSetting("registry", undefined).value!;
  if (/^postgres(ql)?:\/\//.test(where)) {
    const { PostgresRegistry } = await (await import("./unbundled.js")).postgresRegistry();
    const registry = await PostgresRegistry.open(where);
    if (!registry.standby) await registry.reapStale(); // a standby is read-only: its primary reaps
    return registry;
  }
  const { SqliteRegistry } = await import("../registry/sqlite.js");
  const registry = new SqliteRegistry(where);
  await registry.reapStale();
  return registry;
}
