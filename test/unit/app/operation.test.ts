import { beforeEach, describe, expect, it } from "vitest";
import { createEnvironment } from "../../../src/app/create.js";
import { destroyEnvironments } from "../../../src/app/destroy.js";
import type { OperationEvent } from "../../../src/app/events.js";
import type { AppContext } from "../../../src/app/ports.js";
import { recoverEnvironment } from "../../../src/app/recover.js";
import { updateEnvironment } from "../../../src/app/update.js";
import { ConflictError, LockedError } from "../../../src/core/errors.js";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { appBench, type FakeEngine } from "../../helpers/app.js";

let registry: SqliteRegistry;
let engine: FakeEngine;
let ctx: AppContext;
let events: OperationEvent[];

beforeEach(() => {
  ({ registry, engine, ctx, events } = appBench());
});

const make = (name: string, template: string, params: Record<string, string>) => createEnvironment(ctx, { name, template, params, location: "sandbox" });

describe("dependencies", () => {
  it("are replaced when an update points at another upstream", async () => {
    await make("a", "basic", { apiToken: "t" });
    await make("b", "basic", { apiToken: "t" });
    await make("web", "consumer", { upstream: "a" });
    expect(await registry.dependencies("web")).toEqual(["a"]);
    await updateEnvironment(ctx, { name: "web", params: { upstream: "b" } });
    expect(await registry.dependencies("web")).toEqual(["b"]);
    expect(await registry.dependents("a")).toEqual([]);
  });

  it("are checked again under the destroy's own lock, whatever the caller checked before", async () => {
    await make("db", "basic", { apiToken: "t" });
    await make("api", "consumer", { upstream: "db" });
    const err = await destroyEnvironments(ctx, ["db"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe("environment db is used by api: destroy it first, or set cascade");
    expect(engine.calls).not.toContain("destroy db");
    expect((await registry.get("db"))?.status).toBe("deployed-ok");
  });
});

describe("recover", () => {
  it("finishes an interrupted destroy as a destroy", async () => {
    await make("gone", "basic", { apiToken: "t" });
    // What a destroy killed mid-run leaves behind.
    await registry.lock("gone", { operationId: "x", owner: "bob@box", host: "box", pid: 999_999 });
    await registry.transition("gone", "destroying", { operationId: "x" });
    await registry.startOperation("gone", "destroy", "bob@box", undefined, "x");
    await registry.unlock("gone", "x");
    await registry.transition("gone", "interrupted", { operationId: "x" });
    await registry.finishOperation("x", { result: "interrupted" });
    engine.calls = [];
    const r = await recoverEnvironment(ctx, "gone");
    expect(engine.calls).toEqual(["release gone", "refresh gone", "destroy gone"]);
    expect(r.environment.status).toBe("destroyed");
  });
});

describe("the lock", () => {
  it("when lost mid-run, stops the run and says so", async () => {
    await make("dev", "basic", { apiToken: "t" });
    engine.hold = true;
    const other = new SqliteRegistry(registry.location);
    const run = updateEnvironment({ ...ctx, confirm: undefined, heartbeatMs: 20 }, { name: "dev", params: { greeting: "hi" } });
    await new Promise((r) => setTimeout(r, 100));
    await other.forceUnlock("dev", "ops@box", "test");
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as Error).message).toMatch(/^update of dev stopped: this run lost its lock on dev/);
    expect((await registry.get("dev"))?.status).toBe("interrupted");
    await other.close();
  });

  it("names its holder when another run has it", async () => {
    await make("dev", "basic", { apiToken: "t" });
    await registry.lock("dev", { operationId: "x", owner: "bob@box", host: "box", pid: process.pid });
    await expect(updateEnvironment(ctx, { name: "dev", params: {} })).rejects.toThrow(/locked by bob@box/);
  });
});

describe("events", () => {
  it("are published typed: started, phase, finished with the changes", async () => {
    await make("dev", "basic", { apiToken: "t" });
    expect(events.map((e) => e.type)).toEqual(["started", "phase", "finished"]);
    expect(events.at(-1)).toMatchObject({ result: "succeeded", message: "create dev: 1 unchanged" });
  });
});

describe("an interrupted environment", () => {
  it("is destroyed after what a killed run left is released (its engine waited for, the stack's lock dropped)", async () => {
    await make("cut", "basic", { apiToken: "t" });
    await registry.transition("cut", "deploying", { reason: "an update, killed" });
    await registry.transition("cut", "interrupted", { reason: "killed" });
    await destroyEnvironments(ctx, ["cut"]);
    const calls = engine.calls.filter((c) => c.endsWith(" cut"));
    expect(calls.slice(-2)).toEqual(["release cut", "destroy cut"]);
    expect((await registry.get("cut"))?.status).toBe("destroyed");
  });
});
