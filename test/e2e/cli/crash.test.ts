// SIGKILL at many points of create, update, destroy and recover — the infra
// process alone (its engine lives on) and its whole process group — and then
// one command must get the environment moving again, with nothing lost:
// parameters, the secret in the stack, outputs, and no lock left behind.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../../src/core/process.js";
import { BIN, makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
beforeAll(() => {
  home = makeHome("infra-crash-");
});

type Mode = "process" | "group";
const DELAYS_MS = [400, 1500, 3000];
const TOKEN = "crash-SECRET-91c2";

function ok(args: string[]) {
  const r = home.run(args);
  expect(r.code, `infra ${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

/** Starts infra in a process group of its own and SIGKILLs it (or the group) after `ms`. */
async function killAfter(args: string[], ms: number, mode: Mode): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], { env: home.env, stdio: "ignore", detached: true });
  const exited = new Promise((r) => child.on("exit", r));
  await new Promise((r) => setTimeout(r, ms));
  try {
    if (mode === "group") process.kill(-child.pid!, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    // it finished first: that is a kill point too
  }
  await exited;
}

function show(name: string): Record<string, any> | undefined {
  const r = home.run(["env", "show", name, "--json"]);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

/** The one command that must work after the kill, and the state it must leave. */
function getMoving(name: string, createArgs: string[], destroying: boolean): Record<string, any> {
  const env = show(name);
  if (!env) {
    // Killed before the registry recorded anything: creating again must work.
    ok(createArgs);
  } else if (!["deployed-ok", "destroyed"].includes(env.status)) {
    expect(env.status).toBe("interrupted");
    ok(["env", "recover", name]);
  }
  const after = show(name)!;
  expect(after.lock).toBeUndefined();
  expect(after.lastOperation.result).not.toBe("running");
  expect(after.status).toBe(destroying && env ? "destroyed" : after.status === "destroyed" ? "destroyed" : "deployed-ok");
  return after;
}

function expectWhole(env: Record<string, any>, seconds: number[]): void {
  if (env.status === "destroyed") return;
  expect(env.status).toBe("deployed-ok");
  expect(seconds).toContain(env.params.seconds);
  expect(env.params.token).toBe("[secret]");
  expect(env.outputs.token).toEqual({ secret: true });
  expect(env.outputs.said.value).toBe(`slept ${env.params.seconds}`);
}

const create = (name: string, seconds = 1) => ["env", "create", name, "-t", "slowsecret", "-p", `seconds=${seconds}`, "-p", `token=${TOKEN}`];

describe.each(["process", "group"] as Mode[])("SIGKILL of the %s", (mode) => {
  it.each(DELAYS_MS)("during create, %i ms in", async (ms) => {
    const name = `cr-${mode[0]}-${ms}`;
    await killAfter(create(name, 2), ms, mode);
    expectWhole(getMoving(name, create(name, 2), false), [2]);
  });

  it.each(DELAYS_MS)("during update, %i ms in", async (ms) => {
    const name = `up-${mode[0]}-${ms}`;
    ok(create(name, 0));
    await killAfter(["env", "update", name, "-p", "seconds=3", "--yes"], ms, mode);
    // The last good parameters (0), or the update's (3) if it finished.
    expectWhole(getMoving(name, create(name), false), [0, 3]);
  });

  it.each(DELAYS_MS)("during destroy, %i ms in", async (ms) => {
    const name = `de-${mode[0]}-${ms}`;
    ok(create(name, 0));
    await killAfter(["env", "destroy", name, "--yes"], ms, mode);
    const env = show(name)!;
    // Killed before it began: destroying again is the one command. Killed
    // mid-run: a recovery finishes it as a destroy, never back to life.
    if (env.status === "deployed-ok") ok(["env", "destroy", name, "--yes"]);
    else if (env.status !== "destroyed") {
      expect(env.status).toBe("interrupted");
      ok(["env", "recover", name]);
    }
    const after = show(name)!;
    expect(after.status).toBe("destroyed");
    expect(after.resources).toEqual([]);
    expect(after.lock).toBeUndefined();
  });

  it.each(DELAYS_MS)("during the recovery of a killed update, %i ms in", async (ms) => {
    const name = `rc-${mode[0]}-${ms}`;
    ok(create(name, 0));
    await killAfter(["env", "update", name, "-p", "seconds=4", "--yes"], 2500, mode);
    if (show(name)!.status === "interrupted") await killAfter(["env", "recover", name], ms, mode);
    expectWhole(getMoving(name, create(name), false), [0, 4]);
  });
});

describe("a new environment's stack left locked by a run killed as it made the stack", () => {
  it("is taken over once no engine of that run is alive, and the create goes on", async () => {
    const name = "locked-init";
    const state = join(home.env.INFRA_HOME!, "state");
    // The lock of the killed run's `pulumi stack init`, still running for a few seconds (a stand-in process).
    const locks = join(state, ".pulumi", "locks", "organization", "infra-env", name);
    mkdirSync(locks, { recursive: true });
    const engineLeft = spawn("sleep", ["4"], { stdio: "ignore" });
    writeFileSync(
      join(locks, "0b8b8f3e-0000-4000-8000-000000000000.json"),
      JSON.stringify({ pid: engineLeft.pid, username: "root", hostname: hostname(), timestamp: new Date().toISOString() }),
    );
    ok(create(name, 0));
    expect(isAlive(engineLeft.pid!)).toBe(false); // it was waited for, not killed
    expectWhole(show(name)!, [0]);
  });
});

describe("a stack's attributes file left empty by a run killed as the engine wrote it", () => {
  // gocloud's file blobs write the .attrs sidecar in place: seen in CI as
  // "opening the stack of cr-g-3000: failed to load checkpoint: EOF" after a SIGKILL 3 s into a create.
  it("is put right, and the next command opens the stack", () => {
    ok(create("attrs", 0));
    const attrs = join(home.env.INFRA_HOME!, "state", ".pulumi", "stacks", "infra-env", "attrs.json.attrs");
    writeFileSync(attrs, "");
    const r = ok(["env", "update", "attrs", "-p", "seconds=1", "--yes"]);
    expect(r.stderr).not.toContain("failed to load checkpoint");
    expect(show("attrs")!.params.seconds).toBe(1);
  });
});
