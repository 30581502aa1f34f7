// Finding the Pulumi CLI. No @pulumi/* import here: `infra --help` and every
// command that does not run the engine may call this without paying ~0.8 s.
import { execFile } from "node:child_process";
import { EngineError } from "../core/errors.js";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { infraHome } from "../core/home.js";
import { ensureLauncher } from "./dynamic-provider.js";
import { enginePins, rigKey } from "./pins.js";

const run = promisify(execFile);

export type EngineSource = "INFRA_PULUMI_ROOT" | "engine rig" | "PATH" | "~/.pulumi";

export interface EngineLocation {
  /** Install root: the CLI is <root>/bin/pulumi (what PulumiCommand.get wants). */
  root: string;
  command: string;
  source: EngineSource;
  /** A private PULUMI_HOME holding the plugins (the rig's), if any. */
  pulumiHome?: string;
  /** `pulumi version` without the leading v. */
  version: string;
}

export class EngineNotFoundError extends EngineError {
  constructor(readonly looked: string[]) {
    const pin = enginePins().pulumi;
    super(
      `the Pulumi CLI was not found (looked in ${looked.join(", ")}). ` +
        `Install Pulumi v${pin} (curl -fsSL https://get.pulumi.com | sh -s -- --version ${pin}), ` +
        `or build the offline engine rig with: npm run rig`,
    );
  }
}

function rigVersion(root: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, "versions.json"), "utf8")) as { pulumi?: string }).pulumi;
  } catch {
    return undefined;
  }
}

/** The rig folder for this build's pins (built by scripts/engine-rig.sh). */
export function rigDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.INFRA_RIG_HOME || join(env.HOME || homedir(), ".cache", "infra", "engine-rig");
  return join(base, rigKey());
}

/**
 * The engine writes its workspace settings into PULUMI_HOME, so an install
 * kept read-only (infra's image, a shared install) cannot be its own home:
 * the engine then gets one under infra's, whose plugins folder is a link to
 * the install's plugins.
 */
function writableHome(home: string, env: NodeJS.ProcessEnv): string {
  try {
    accessSync(home, constants.W_OK);
    return home;
  } catch {}
  const own = join(infraHome(env), "pulumi");
  const link = join(own, "plugins");
  const target = join(home, "plugins");
  mkdirSync(own, { recursive: true, mode: 0o700 });
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {}
  if (current !== target) {
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
  return own;
}

interface Candidate {
  root: string;
  source: EngineSource;
  pulumiHome?: string;
}

function candidates(env: NodeJS.ProcessEnv): { list: Candidate[]; looked: string[] } {
  const list: Candidate[] = [];
  const looked: string[] = [];
  if (env.INFRA_PULUMI_ROOT) {
    const home = join(env.INFRA_PULUMI_ROOT, "home");
    list.push({ root: env.INFRA_PULUMI_ROOT, source: "INFRA_PULUMI_ROOT", ...(existsSync(home) && { pulumiHome: writableHome(home, env) }) });
    looked.push(`INFRA_PULUMI_ROOT (${env.INFRA_PULUMI_ROOT})`);
  }
  const rig = rigDir(env);
  // The rig marks itself complete only after every plugin is installed.
  if (existsSync(join(rig, ".complete"))) {
    list.push({ root: realpathSync(rig), source: "engine rig", pulumiHome: join(realpathSync(rig), "home") });
  }
  looked.push(`the engine rig (${rig})`);
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, "pulumi"))) {
      list.push({ root: join(dir, ".."), source: "PATH" });
      break;
    }
  }
  looked.push("PATH");
  const official = join(env.HOME || homedir(), ".pulumi");
  if (existsSync(join(official, "bin", "pulumi"))) list.push({ root: official, source: "~/.pulumi" });
  looked.push("~/.pulumi/bin");
  return { list, looked };
}

/**
 * The first working Pulumi CLI, in order: $INFRA_PULUMI_ROOT, the engine rig,
 * PATH, ~/.pulumi/bin. A candidate whose `pulumi version` fails is skipped.
 */
export async function locateEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineLocation> {
  const { list, looked } = candidates(env);
  for (const c of list) {
    const command = join(c.root, "bin", "pulumi");
    // Installs infra made or was pointed at get its launcher of dynamic providers; official ones have theirs.
    if ((c.source === "engine rig" || c.source === "INFRA_PULUMI_ROOT") && existsSync(command)) ensureLauncher(join(c.root, "bin"));
    // A finished rig recorded the version it built; no need to run it to ask.
    const recorded = c.source === "engine rig" ? rigVersion(c.root) : undefined;
    if (recorded && existsSync(command)) return { ...c, command, version: recorded };
    try {
      const { stdout } = await run(command, ["version"], {
        env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        timeout: 30_000,
      });
      const version = stdout.trim().replace(/^v/, "");
      return { ...c, command, version };
    } catch {}
  }
  throw new EngineNotFoundError(looked);
}

export class EngineVersionError extends EngineError {}

/**
 * The CLI must be at least the version @pulumi/pulumi is pinned to (an older
 * engine may not understand what the SDK asks of it) and of the same major.
 */
export function assertCompatible(engine: EngineLocation, pin: string = enginePins().pulumi): void {
  const have = engine.version.split(/[.+-]/).slice(0, 3).map(Number);
  const want = pin.split(".").map(Number);
  const older = have[0] !== want[0] || compare(have, want) < 0;
  if (older || have.some(Number.isNaN)) {
    throw new EngineVersionError(
      `the Pulumi CLI at ${engine.command} (from ${engine.source}) is v${engine.version}; infra needs v${pin} or a later v${want[0]}.x. ` +
        `Upgrade it, or build the offline engine rig with: npm run rig`,
    );
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
