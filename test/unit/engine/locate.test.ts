import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertCompatible, EngineNotFoundError, EngineVersionError, locateEngine, rigDir } from "../../../src/engine/locate.js";
import { enginePins, rigKey } from "../../../src/engine/pins.js";

const pin = enginePins().pulumi;
let tmp: string;

/** A stand-in `pulumi` that only answers `pulumi version`. */
function fakeCli(root: string, version: string, ok = true): string {
  mkdirSync(join(root, "bin"), { recursive: true });
  const file = join(root, "bin", "pulumi");
  writeFileSync(file, ok ? `#!/bin/sh\necho v${version}\n` : "#!/bin/sh\nexit 3\n");
  chmodSync(file, 0o755);
  return file;
}

/** An environment that sees nothing of this machine's own Pulumi or rig. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: join(tmp, "home"), PATH: join(tmp, "empty-path"), INFRA_RIG_HOME: join(tmp, "rigs"), ...extra };
}

function fakeRig(version: string, complete = true): string {
  const real = join(tmp, "rigs", `${rigKey()}_abc123`);
  fakeCli(real, version);
  mkdirSync(join(real, "home"), { recursive: true });
  if (complete) writeFileSync(join(real, ".complete"), "");
  symlinkSync(real, join(tmp, "rigs", rigKey()));
  return real;
}

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "infra-locate-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("locateEngine", () => {
  it("fails with one message naming every place it looked and how to get a CLI", async () => {
    const err = await locateEngine(env()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toContain(rigDir(env()));
    expect(msg).toContain("PATH");
    expect(msg).toContain("npm run rig");
    expect(msg).toContain(pin);
    expect(msg).not.toContain("\n");
  });

  it("prefers the rig, with its private PULUMI_HOME, over PATH", async () => {
    const real = fakeRig(pin);
    fakeCli(join(tmp, "usr"), "3.1.0");
    const found = await locateEngine(env({ PATH: join(tmp, "usr", "bin") }));
    expect(found.source).toBe("engine rig");
    expect(found.root).toBe(real);
    expect(found.pulumiHome).toBe(join(real, "home"));
    expect(found.version).toBe(pin);
  });

  it("takes a finished rig's version from its versions.json without running it", async () => {
    const real = fakeRig(pin);
    writeFileSync(join(real, "bin", "pulumi"), "#!/bin/sh\nexit 3\n"); // would fail if run
    writeFileSync(join(real, "versions.json"), JSON.stringify({ pulumi: "3.777.0" }));
    const found = await locateEngine(env());
    expect(found).toMatchObject({ source: "engine rig", version: "3.777.0", root: real });
  });

  it("ignores a rig that never finished building", async () => {
    fakeRig(pin, false);
    fakeCli(join(tmp, "usr"), "3.999.0");
    const found = await locateEngine(env({ PATH: join(tmp, "usr", "bin") }));
    expect(found.source).toBe("PATH");
    expect(found.version).toBe("3.999.0");
    expect(found.pulumiHome).toBeUndefined();
  });

  it("puts INFRA_PULUMI_ROOT first and skips a CLI that does not answer", async () => {
    fakeCli(join(tmp, "broken"), pin, false);
    fakeRig(pin);
    expect((await locateEngine(env({ INFRA_PULUMI_ROOT: join(tmp, "broken") }))).source).toBe("engine rig");
    fakeCli(join(tmp, "mine"), "3.500.0");
    const mine = await locateEngine(env({ INFRA_PULUMI_ROOT: join(tmp, "mine") }));
    expect(mine.source).toBe("INFRA_PULUMI_ROOT");
    expect(mine.version).toBe("3.500.0");
  });

  // The engine writes workspace settings into its PULUMI_HOME; infra's image installs it read-only.
  // Root may write anywhere, so this runs the search as nobody (uid 65534), which root can do.
  it.skipIf(process.getuid?.() !== 0)("gives a read-only install a writable home under infra's, its plugins linked", () => {
    chmodSync(tmp, 0o755);
    const root = join(tmp, "ro");
    fakeCli(root, "3.500.0");
    mkdirSync(join(root, "home", "plugins", "resource-random-v4.21.2"), { recursive: true });
    chmodSync(join(root, "home"), 0o755);
    const home = join(tmp, "infra-home");
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    const locate = pathToFileURL(join(process.cwd(), "dist", "src", "engine", "locate.js")).href;
    const script = `const { locateEngine } = await import(${JSON.stringify(locate)}); process.stdout.write(JSON.stringify(await locateEngine()));`;
    const r = spawnSync("/usr/bin/setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script], {
      env: env({ INFRA_PULUMI_ROOT: root, INFRA_HOME: home }),
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const found = JSON.parse(r.stdout) as { pulumiHome: string; source: string };
    expect(found.source).toBe("INFRA_PULUMI_ROOT");
    expect(found.pulumiHome).toBe(join(home, "pulumi"));
    expect(readlinkSync(join(home, "pulumi", "plugins"))).toBe(join(root, "home", "plugins"));
    // A writable install keeps its own home.
    expect(
      spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: env({ INFRA_PULUMI_ROOT: root, INFRA_HOME: home }), encoding: "utf8" }).stdout,
    ).toContain(`"pulumiHome":${JSON.stringify(join(root, "home"))}`);
  });

  it("finds the official install under ~/.pulumi last", async () => {
    fakeCli(join(tmp, "home", ".pulumi"), pin);
    expect((await locateEngine(env())).source).toBe("~/.pulumi");
  });
});

describe("assertCompatible", () => {
  const at = (version: string) => ({ root: "/x", command: "/x/bin/pulumi", source: "PATH" as const, version });
  it("accepts the pinned version and later ones of the same major", () => {
    expect(() => assertCompatible(at(pin))).not.toThrow();
    expect(() => assertCompatible(at("3.999.1"))).not.toThrow();
  });
  it("refuses an older CLI, another major, or garbage, saying how to fix it", () => {
    for (const v of ["3.1.0", "4.0.0", "banana"]) {
      expect(() => assertCompatible(at(v), "3.246.0")).toThrow(EngineVersionError);
    }
    expect(() => assertCompatible(at("3.1.0"), "3.246.0")).toThrow(/needs v3\.246\.0.*npm run rig/);
  });
});
