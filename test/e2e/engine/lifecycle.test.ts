// Proves the engine rig is real: the Pulumi CLI and the random, tls and
// command plugins it built run a full lifecycle through the Automation API.
// Fails (never skips) when no engine is found.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { openStack } from "../../../src/engine/automation.js";
import { locateEngine, type EngineLocation } from "../../../src/engine/locate.js";
import { enginePins } from "../../../src/engine/pins.js";
import { rigProgram } from "../../fixtures/rig-program.js";

const pins = enginePins();
let dir: string;
let engine: EngineLocation;
let stack: Stack;
let outputs: Record<string, { value: unknown; secret: boolean }>;

/** Every file under a folder, as one string: to search the bytes for secrets. */
function allBytes(root: string): string {
  let out = "";
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    out += statSync(p).isDirectory() ? allBytes(p) : readFileSync(p, "latin1");
  }
  return out;
}

beforeAll(async () => {
  engine = await locateEngine();
  dir = mkdtempSync(join(tmpdir(), "infra-e2e-rig-"));
  ({ stack } = await openStack({
    project: "rig-e2e",
    stack: "dev",
    workDir: join(dir, "work"),
    program: rigProgram,
    engine,
    settings: { backendUrl: pathToFileURL(join(dir, "state")).href, passphrase: "e2e-passphrase" },
  }));
  await stack.setConfig("greeting", { value: "hello" });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the engine rig, through the Automation API", () => {
  it("uses the CLI of the pinned version from the rig (or INFRA_PULUMI_ROOT)", () => {
    expect(engine.version).toBe(pins.pulumi);
    expect(["engine rig", "INFRA_PULUMI_ROOT"]).toContain(engine.source);
    expect(engine.pulumiHome).toBeTruthy();
  });

  it("brings the stack up and reads its outputs, secrets kept secret", async () => {
    const events: EngineEvent[] = [];
    const up = await stack.up({ onEvent: (e) => events.push(e) });
    expect(up.summary.result).toBe("succeeded");
    // the stack itself plus pet, password, key, cert, hello
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    expect(events.some((e) => e.summaryEvent)).toBe(true);

    outputs = up.outputs;
    const pet = outputs.petName!.value as string;
    expect(pet).toMatch(/^[a-z]+-[a-z]+$/);
    expect(outputs.stdout!.value).toBe(`hello ${pet}`);
    expect(outputs.kernel!.value).toBe("Linux");
    expect(outputs.certPem!.value as string).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(outputs.certPem!.secret).toBe(false);
    expect(outputs.password!.secret).toBe(true);
    expect((outputs.password!.value as string).length).toBe(24);
    expect(outputs.privateKeyPem!.secret).toBe(true);
    expect(outputs.privateKeyPem!.value as string).toMatch(/PRIVATE KEY/);

    // The state holds secrets only encrypted: search every byte of the backend.
    const state = allBytes(join(dir, "state"));
    expect(state).toContain(pet);
    expect(state).not.toContain(outputs.password!.value as string);
    const keyBody = (outputs.privateKeyPem!.value as string).split("\n")[1]!;
    expect(state).not.toContain(keyBody);
  });

  it("refreshes with no changes", async () => {
    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect(refresh.summary.resourceChanges).toEqual({ same: 6 });
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 6 });
  });

  it("updates exactly the one resource a config change touches", async () => {
    await stack.setConfig("greeting", { value: "bonjour" });
    const touched: string[] = [];
    const up = await stack.up({
      onEvent: (e) => {
        const step = e.resourcePreEvent?.metadata;
        if (step && step.op !== "same") touched.push(`${step.op} ${step.urn.split("::").pop()}`);
      },
    });
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 5 });
    expect(touched).toEqual(["update hello"]);
    expect(up.outputs.stdout!.value).toBe(`bonjour ${outputs.petName!.value as string}`);
    expect(up.outputs.password!.value).toBe(outputs.password!.value);
  });

  it("destroys everything and leaves the state empty", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    const state = await stack.exportStack();
    expect(state.deployment.resources ?? []).toEqual([]);
  });

  it("ran on the rig's own plugins, at the pinned versions", () => {
    const listed = JSON.parse(
      execFileSync(engine.command, ["plugin", "ls", "--json"], {
        env: { ...process.env, PULUMI_HOME: engine.pulumiHome!, PULUMI_SKIP_UPDATE_CHECK: "true" },
      }).toString(),
    ) as { name: string; version: string; kind: string }[];
    const got = listed.map((p) => `${p.kind}:${p.name}@${p.version}`).sort();
    expect(got).toEqual(
      [`resource:command@${pins.command}`, `resource:kubernetes@${pins.kubernetes}`, `resource:random@${pins.random}`, `resource:tls@${pins.tls}`].sort(),
    );
  });
});
