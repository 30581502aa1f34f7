// Pulumi runs the provider of a dynamic resource (pulumi.dynamic: the local
// file component, CodeDeploy's deployments) as the plugin
// `pulumi-resource-pulumi-nodejs`. Official installs ship it beside the CLI,
// a shell script that looks for @pulumi/pulumi from the current folder: a
// stack's workspace under infra's home has no node_modules, so infra points
// NODE_PATH at its own (settings.ts). The engine rig and infra's image ship
// no such plugin: infra writes its own there, no shell needed, run by this
// Node and loading the dynamic provider host of infra's own @pulumi/pulumi
// (the version the provider's code was serialized with).
import { createRequire } from "node:module";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../core/package-root.js";

export const DYNAMIC_PROVIDER = "pulumi-resource-pulumi-nodejs";

/** The host program of @pulumi/pulumi's dynamic providers, as infra installed it. */
export function dynamicProviderHost(root = packageRoot()): string {
  return createRequire(join(root, "package.json")).resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
}

export function launcherText(node: string = process.execPath, host: string = dynamicProviderHost()): string {
  return `#!${node}\n// infra's launcher of Pulumi's dynamic resource providers (src/engine/dynamic-provider.ts).\nrequire(${JSON.stringify(host)});\n`;
}

/**
 * Writes the launcher into `binDir` (beside the engine's CLI, where the
 * engine looks for bundled plugins first) unless one is there that is not
 * ours. A folder infra may not write to is left as it is: the image brings
 * its launcher with it.
 */
export function ensureLauncher(binDir: string, text: string = launcherText()): void {
  const file = join(binDir, DYNAMIC_PROVIDER);
  try {
    if (existsSync(file)) {
      const had = readFileSync(file, "utf8");
      if (had === text || !had.includes("infra's launcher")) return;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o755 });
    chmodSync(tmp, 0o755);
    renameSync(tmp, file);
  } catch {
    // Read-only (an image, a shared install): the engine reports the missing plugin if a program needs it.
  }
}
