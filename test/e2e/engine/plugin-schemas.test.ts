// The rig builds the random and tls plugins by bridging the upstream Terraform
// providers with a token mapping of our own, and writes the command plugin
// itself. This holds every class of the published npm SDKs against the schema
// the built plugin reports: each resource and function token the SDK uses
// must exist, with every property the SDK sends or reads.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { locateEngine, type EngineLocation } from "../../../src/engine/locate.js";
import { packageRoot } from "../../../src/core/package-root.js";
import { enginePins } from "../../../src/engine/pins.js";

interface Schema {
  name: string;
  version: string;
  resources: Record<string, { inputProperties?: Record<string, unknown>; properties?: Record<string, unknown> }>;
  functions?: Record<string, { inputs?: { properties?: Record<string, unknown> } }>;
}

interface SdkUse {
  resources: Map<string, Set<string>>;
  functions: Set<string>;
}

/**
 * The one part of an SDK the rig's plugins do not build: @pulumi/command's
 * remote (SSH) resources. The README says so; nothing in infra uses them.
 */
const NOT_BUILT = /^command:remote:/;

/** Tokens and property names the SDK's generated JavaScript uses. */
function sdkUse(pkg: string): SdkUse {
  const use: SdkUse = { resources: new Map(), functions: new Set() };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(p);
      if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
      const src = readFileSync(p, "utf8");
      // Both `static __pulumiType = '…'` and `Command.__pulumiType = '…'`; the
      // provider class's type is the bare package name, with no colon.
      const type = /__pulumiType = '([^']+:[^']+)'/.exec(src)?.[1];
      if (type && !NOT_BUILT.test(type)) {
        use.resources.set(type, new Set([...src.matchAll(/resourceInputs\["(\w+)"\]/g)].map((m) => m[1]!)));
      }
      for (const m of src.matchAll(/invoke(?:Output|Single)?\("([^"]+)"/g)) {
        if (!NOT_BUILT.test(m[1]!)) use.functions.add(m[1]!);
      }
    }
  };
  walk(join(packageRoot(), "node_modules", "@pulumi", pkg));
  return use;
}

let engine: EngineLocation;
const schemas = new Map<string, Schema>();

beforeAll(async () => {
  engine = await locateEngine();
  for (const name of ["random", "tls", "command"]) {
    const version = enginePins()[name as "random" | "tls" | "command"];
    const plugin = join(engine.pulumiHome!, "plugins", `resource-${name}-v${version}`, `pulumi-resource-${name}`);
    const out = execFileSync(engine.command, ["package", "get-schema", plugin], {
      env: { ...process.env, PULUMI_HOME: engine.pulumiHome!, PULUMI_SKIP_UPDATE_CHECK: "true" },
      maxBuffer: 64 * 1024 * 1024,
    });
    schemas.set(name, JSON.parse(out.toString()) as Schema);
  }
});

describe.each(["random", "tls", "command"])("the %s plugin against @pulumi/%s", (name) => {
  it("reports the package name and the pinned version", () => {
    const schema = schemas.get(name)!;
    expect(schema.name).toBe(name);
    expect(schema.version).toBe(enginePins()[name as "random"]);
  });

  it("has every resource the SDK declares, with every property it sends or reads", () => {
    const schema = schemas.get(name)!;
    const use = sdkUse(name);
    expect(use.resources.size).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [token, props] of use.resources) {
      const r = schema.resources[token];
      if (!r) {
        missing.push(token);
        continue;
      }
      const known = new Set([...Object.keys(r.inputProperties ?? {}), ...Object.keys(r.properties ?? {})]);
      for (const p of props) if (!known.has(p)) missing.push(`${token}.${p}`);
    }
    expect(missing).toEqual([]);
  });

  it("has every function the SDK invokes", () => {
    const schema = schemas.get(name)!;
    const missing = [...sdkUse(name).functions].filter((f) => !schema.functions?.[f]);
    expect(missing).toEqual([]);
  });
});
