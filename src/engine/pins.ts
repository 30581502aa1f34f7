// The engine versions this build of infra was made for: the exact versions
// package.json pins for @pulumi/*. The engine rig is keyed by them, and the
// CLI we find is checked against the @pulumi/pulumi pin.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../core/package-root.js";

export interface EnginePins {
  pulumi: string;
  random: string;
  tls: string;
  command: string;
  kubernetes: string;
}

let cached: EnginePins | undefined;

export function enginePins(): EnginePins {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const deps = pkg.dependencies ?? {};
  const pin = (name: string): string => {
    const v = deps[name];
    if (!v || !/^\d+\.\d+\.\d+$/.test(v)) {
      throw new Error(`package.json must pin ${name} to an exact version (found ${v ?? "nothing"})`);
    }
    return v;
  };
  cached = {
    pulumi: pin("@pulumi/pulumi"),
    random: pin("@pulumi/random"),
    tls: pin("@pulumi/tls"),
    command: pin("@pulumi/command"),
    kubernetes: pin("@pulumi/kubernetes"),
  };
  return cached;
}

/** The rig folder name for these pins (the rig script links it to the build). */
export function rigKey(p: EnginePins = enginePins()): string {
  return `pulumi-${p.pulumi}_random-${p.random}_tls-${p.tls}_command-${p.command}_kubernetes-${p.kubernetes}`;
}
