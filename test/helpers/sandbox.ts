// The Kubernetes e2e tests' bench: a sandbox of their own (started before,
// deleted after), kubectl against it, and stacks of inline programs on a
// file backend beside it, run by the rig's engine.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, expect } from "vitest";
import { openStack } from "../../src/engine/automation.js";
import { locateEngine } from "../../src/engine/locate.js";
import { makeHome, type Home } from "./cli.js";

export interface SandboxBench {
  home: Home;
  /** The sandbox's folder (kubeconfig, pki). */
  dir: string;
  kubeconfigFile: string;
  kubeconfig(): string;
  kubectl(args: string[]): string;
  /** A stack of `project` named `name`, with its own work folder. */
  stack(project: string, name: string, program: PulumiFn): Promise<Stack>;
}

/** Registers the hooks that start the sandbox before the file's tests and delete it after. */
export function useSandbox(prefix: string): SandboxBench {
  const b = {} as SandboxBench;
  beforeAll(() => {
    b.home = makeHome(prefix);
    const stacks = mkdtempSync(join(tmpdir(), `${prefix}stacks-`));
    const r = b.home.run(["sandbox", "start"]);
    expect(r.code, r.stderr).toBe(0);
    b.dir = join(b.home.env.INFRA_HOME!, "sandbox");
    b.kubeconfigFile = join(b.dir, "kubeconfig");
    b.kubeconfig = () => readFileSync(b.kubeconfigFile, "utf8");
    b.kubectl = (args) => execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: b.kubeconfigFile }, encoding: "utf8" });
    b.stack = async (project, name, program) => {
      const engine = await locateEngine();
      const { stack } = await openStack({
        project,
        stack: name,
        workDir: join(stacks, name),
        program,
        engine,
        settings: { backendUrl: pathToFileURL(join(stacks, "state")).href, passphrase: "e2e" },
      });
      return stack;
    };
  });
  afterAll(() => {
    b.home?.run(["sandbox", "delete", "--yes", "--force"]);
  });
  return b;
}
