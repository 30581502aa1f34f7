// Runs the compiled CLI (bin/infra) in a home of its own, as a user would.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/core/package-root.js";

export const BIN = join(packageRoot(), "bin", "infra");
export const FIXTURE_TEMPLATES = join(packageRoot(), "test", "fixtures", "templates");

export interface Home {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], extra?: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string };
  start(args: string[]): ChildProcess;
  json<T = Record<string, unknown>>(args: string[]): T;
}

export function makeHome(prefix = "infra-e2e-"): Home {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INFRA_HOME: join(dir, "home"),
    INFRA_TEMPLATE_PATH: FIXTURE_TEMPLATES,
    INFRA_PASSPHRASE: "e2e-passphrase",
    NO_COLOR: "1",
  };
  delete env.PULUMI_CONFIG_PASSPHRASE;
  const home: Home = {
    dir,
    env,
    run(args, extra = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    start(args) {
      return spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    },
    json(args) {
      const r = home.run([...args, "--json"]);
      if (r.code !== 0) throw new Error(`infra ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
  };
  return home;
}

/**
 * Every byte of every file under a folder (to search for secrets). Not while this process holds a
 * SQLite connection to a file under it: closing another descriptor of that file drops the process's
 * POSIX locks, and a writer elsewhere would then delete the WAL under the connection.
 */
export function allBytes(root: string): string {
  if (!statSync(root).isDirectory()) return readFileSync(root, "latin1");
  let out = "";
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    const st = statSync(p);
    // Sockets and pipes (a running sandbox's) hold no bytes at rest.
    if (st.isDirectory()) out += allBytes(p);
    else if (st.isFile()) out += readFileSync(p, "latin1");
  }
  return out;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}
