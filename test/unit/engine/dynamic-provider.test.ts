// infra's launcher of Pulumi's dynamic resource providers: written beside an
// engine infra runs, runnable with no shell, and never over an official one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DYNAMIC_PROVIDER, dynamicProviderHost, ensureLauncher, launcherText } from "../../../src/engine/dynamic-provider.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "infra-launcher-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the dynamic provider launcher", () => {
  it("is written executable, and starts the host of infra's @pulumi/pulumi with this Node (no shell)", () => {
    ensureLauncher(dir);
    const file = join(dir, DYNAMIC_PROVIDER);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readFileSync(file, "utf8")).toBe(launcherText());
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe(`#!${process.execPath}`);
    expect(existsSync(dynamicProviderHost())).toBe(true);
    // Run as the engine runs it, with no engine to talk to: the host says what it lacks and exits non-zero.
    const r = spawnSync(file, [], { encoding: "utf8", timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
  });

  it("replaces an older launcher of infra's, and leaves an official one alone", () => {
    const file = join(dir, DYNAMIC_PROVIDER);
    writeFileSync(file, "#!/old/node\n// infra's launcher of Pulumi's dynamic resource providers\nrequire('/old');\n");
    ensureLauncher(dir);
    expect(readFileSync(file, "utf8")).toBe(launcherText());
    const official = '#!/bin/sh\nnode "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" $@\n';
    writeFileSync(file, official);
    ensureLauncher(dir);
    expect(readFileSync(file, "utf8")).toBe(official);
  });
});
