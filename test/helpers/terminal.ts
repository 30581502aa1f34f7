// Runs a program in a real pseudo-terminal, as a person at a keyboard.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/core/package-root.js";

const DRIVER = join(packageRoot(), "test", "helpers", "pty-drive.py");

export interface Screen {
  code: number | null;
  /** What the terminal showed (stdout), then the driver's own complaint (stderr). */
  screen: string;
  stdout: string;
}

/**
 * Waits for each [screen regex, keys] step, types the keys, and returns the
 * transcript and exit code (124: a prompt never came). CI=true, which CI
 * runners set, turns prompts and spinners off on purpose, so it is never part
 * of this terminal; nor is a passphrase in the environment unless asked for.
 */
export function atTerminal(
  env: NodeJS.ProcessEnv,
  steps: [string, string][],
  command: string[],
  options: { timeout?: number; keepPassphrase?: boolean } = {},
): Screen {
  const e: NodeJS.ProcessEnv = { ...env, TERM: "xterm", COLUMNS: "100" };
  delete e.CI;
  if (!options.keepPassphrase) delete e.INFRA_PASSPHRASE;
  const r = spawnSync("python3", [DRIVER, JSON.stringify(steps), "--", ...command], {
    env: e,
    encoding: "utf8",
    timeout: options.timeout ?? 180_000,
  });
  return { code: r.status, screen: r.stdout + r.stderr, stdout: r.stdout };
}
