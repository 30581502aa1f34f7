// The Pulumi Automation API, loaded on first use only: importing @pulumi/pulumi
// costs ~0.8 s, which no command that does not run the engine should pay.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { assertCompatible, type EngineLocation } from "./locate.js";
import { engineEnv, type RunSettings } from "./settings.js";

export type Automation = typeof import("@pulumi/pulumi/automation/index.js");

let loading: Promise<Automation> | undefined;

export function loadAutomation(): Promise<Automation> {
  loading ??= import("@pulumi/pulumi/automation/index.js");
  return loading;
}

/**
 * The Automation API's handle on the CLI. PulumiCommand.get runs `pulumi
 * version` (~0.4 s) to learn what locateEngine knows already (and
 * assertCompatible checked); its constructor takes the version, parsed by the
 * SDK's own semver. Should the SDK change that, get() as before.
 */
async function pulumiCommandFor(auto: Automation, engine: EngineLocation): Promise<PulumiCommand> {
  try {
    const sdk = createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json");
    const semver = createRequire(sdk)("semver") as { parse(v: string): { version: string } | null };
    const version = semver.parse(engine.version);
    const Command = auto.PulumiCommand as unknown as new (command: string, version: unknown) => PulumiCommand;
    if (version) {
      const made = new Command(engine.command, version);
      if (made.command === engine.command && made.version?.version === version.version) return made;
    }
  } catch {}
  return auto.PulumiCommand.get({ root: engine.root });
}

export interface StackSpec {
  project: string;
  stack: string;
  /** A folder of this stack's own: one workspace per stack (pulumi/pulumi#8186). */
  workDir: string;
  program: PulumiFn;
  engine: EngineLocation;
  settings: RunSettings;
}

/**
 * Create or select an inline-program stack in its own pinned workspace.
 * `created`: whether it is new (a stack that existed may hold resources).
 */
export async function openStack(spec: StackSpec, mode: "create-or-select" | "create-first" = "create-or-select"): Promise<{ stack: Stack; created: boolean }> {
  const auto = await loadAutomation();
  const envVars = engineEnv(spec.engine, spec.settings);
  if (spec.settings.backendUrl.startsWith("file://")) {
    mkdirSync(fileURLToPath(spec.settings.backendUrl), { recursive: true, mode: 0o700 });
  }
  mkdirSync(spec.workDir, { recursive: true, mode: 0o700 });
  assertCompatible(spec.engine);
  const pulumiCommand = await pulumiCommandFor(auto, spec.engine);
  const args = { projectName: spec.project, stackName: spec.stack, program: spec.program };
  const opts = { workDir: spec.workDir, pulumiCommand, envVars, projectSettings: { name: spec.project, runtime: "nodejs" as const } };
  if (mode === "create-or-select") return { stack: await auto.LocalWorkspace.createOrSelectStack(args, opts), created: false };
  // A new environment: creating is one CLI run, and a stack that exists is told apart at once.
  try {
    return { stack: await auto.LocalWorkspace.createStack(args, opts), created: true };
  } catch (err) {
    if ((err as Error).name !== "StackAlreadyExistsError") throw err;
    return { stack: await auto.LocalWorkspace.selectStack(args, opts), created: false };
  }
}
