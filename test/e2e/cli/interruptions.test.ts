// Runs that race, are killed, or are interrupted: the registry lock and the
// status machine on the real engine.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { exited, makeHome, type Home } from "../../helpers/cli.js";

let home: Home;

beforeEach(() => {
  home = makeHome();
});
afterEach(() => {
  home.run(["env", "destroy", "nap", "--yes"]);
});

async function status(name: string): Promise<string | undefined> {
  const r = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
  try {
    return (await r.get(name))?.status;
  } finally {
    await r.close();
  }
}

/** Waits until the environment reaches a status (the engine is then mid-run). */
async function until(name: string, want: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await status(name).catch(() => undefined)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} never reached ${want}`);
}

describe("two creates of one environment at once", () => {
  it("lets exactly one proceed; the other exits 3 naming who holds it", async () => {
    const a = exited(home.start(["env", "create", "nap", "-t", "slow", "-p", "seconds=3"]));
    const b = exited(home.start(["env", "create", "nap", "-t", "slow", "-p", "seconds=3"]));
    const results = await Promise.all([a, b]);
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr).join("\n---\n")).toEqual([0, 3]);
    const loser = results.find((r) => r.code === 3)!;
    expect(loser.stderr.trim()).toMatch(/^infra: environment nap (is locked by \S+@\S+ \(pid \d+ on .+, operation .+\)|already exists)/);
    expect(loser.stderr.trim().split("\n")).toHaveLength(1);
    expect(await status("nap")).toBe("deployed-ok");
    const ops = home.json<{ operations: { kind: string; result: string }[] }>(["env", "history", "nap"]).operations;
    expect(ops).toEqual([expect.objectContaining({ kind: "create", result: "succeeded" })]);
  });
});

describe("a run killed with SIGKILL during an update", () => {
  it("leaves the environment interrupted, loses nothing, and recovers", async () => {
    expect(home.run(["env", "create", "nap", "-t", "slow", "-p", "seconds=1"]).code).toBe(0);
    const before = home.json<Record<string, any>>(["env", "show", "nap"]);

    const child = home.start(["env", "update", "nap", "-p", "seconds=20", "--yes"]);
    const done = exited(child);
    await until("nap", "deploying");
    await new Promise((r) => setTimeout(r, 1500)); // the engine is replacing the command now
    child.kill("SIGKILL");
    expect((await done).code).toBe(null);

    const after = home.json<Record<string, any>>(["env", "show", "nap"]);
    expect(after.status).toBe("interrupted");
    expect(after.outputs).toEqual(before.outputs);
    expect(after.params).toEqual(before.params);
    expect(after.resources.map((r: { urn: string }) => r.urn)).toEqual(expect.arrayContaining(before.resources.map((r: { urn: string }) => r.urn)));
    expect(after.history.map((h: { to: string }) => h.to)).toEqual(["deploying", "deployed-ok", "deploying", "interrupted"]);
    expect(after.lastOperation).toMatchObject({ kind: "update", result: "interrupted" });
    expect(after.lock).toBeUndefined();

    const refused = home.run(["env", "update", "nap", "-p", "seconds=2", "--yes"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim()).toBe("infra: environment nap was interrupted: run infra env recover nap");

    const recovered = home.run(["env", "recover", "nap"]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(await status("nap")).toBe("deployed-ok");
    expect(home.json<Record<string, any>>(["env", "show", "nap"]).outputs).toEqual(before.outputs);
  });
});

describe("Ctrl-C during an update", () => {
  it("stops the engine, marks the environment interrupted and says how to recover", async () => {
    expect(home.run(["env", "create", "nap", "-t", "slow", "-p", "seconds=1"]).code).toBe(0);
    const child = home.start(["env", "update", "nap", "-p", "seconds=6", "--yes"]);
    const done = exited(child);
    await until("nap", "deploying");
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGINT");
    const r = await done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("stopping nap: the engine finishes the steps in flight");
    expect(r.stderr).toMatch(/infra: update of nap was interrupted; the environment is marked interrupted: run infra env recover nap\n$/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await status("nap")).toBe("interrupted");
    expect(home.json<Record<string, any>>(["env", "show", "nap"]).lastOperation).toMatchObject({ result: "interrupted" });
    const recovered = home.run(["env", "recover", "nap"]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(await status("nap")).toBe("deployed-ok");
  });
});

describe("SIGTERM during an update (systemd, Kubernetes, CI)", () => {
  it("is handled like Ctrl-C: the engine stops cleanly and the environment is interrupted", async () => {
    expect(home.run(["env", "create", "nap", "-t", "slow", "-p", "seconds=1"]).code).toBe(0);
    const child = home.start(["env", "update", "nap", "-p", "seconds=6", "--yes"]);
    const done = exited(child);
    await until("nap", "deploying");
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("terminated; stopping nap: the engine finishes the steps in flight");
    expect(r.stderr).toMatch(/infra: update of nap was interrupted; the environment is marked interrupted: run infra env recover nap\n$/);
    expect(await status("nap")).toBe("interrupted");
    expect(home.run(["env", "recover", "nap"]).code).toBe(0);
    expect(await status("nap")).toBe("deployed-ok");
  });
});
