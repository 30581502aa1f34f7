// The engine versions this build of infra was made for: the exact versions
// package.json pins for @pulumi/*. The engine rig is keyed by them, and the
// CLI we find is checked against the @pulumi/pulumi pin.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface EnginePins {
  pulumi: string;
  random: string;
  tls: string;
  command: string;
}

let cached: { root: string; pins: EnginePins } | undefined;

/** The folder that holds infra's own package.json (works from src/ and dist/). */
export function packageRoot(): string {
  return load().root;
}

export function enginePins(): EnginePins {
  return load().pins;
}

/** The rig folder name for these pins (the rig script links it to the build). */
export function rigKey(p: EnginePins = enginePins()): string {
  return `pulumi-${p.pulumi}_random-${p.random}_tls-${p.tls}_command-${p.command}`;
}

function load(): { root: string; pins: EnginePins } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as {
        name?: string;
        dependencies?: Record<string, string>;
      };
      if (pkg.name === "infra") {
        const deps = pkg.dependencies ?? {};
        const pin = (name: string): string => {
          const v = deps[name];
          if (!v || !/^\d+\.\d+\.\d+$/.test(v)) {
            throw new Error(`package.json must pin ${name} to an exact version (found ${v ?? "nothing"})`);
          }
          return v;
        };
        cached = {
          root: dir,
          pins: {
            pulumi: pin("@pulumi/pulumi"),
            random: pin("@pulumi/random"),
            tls: pin("@pulumi/tls"),
            command: pin("@pulumi/command"),
          },
        };
        return cached;
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find infra's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
