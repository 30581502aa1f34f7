// The use cases with a fake engine and a real registry: the rules that live
// in the core (under the lock, in one transaction), whatever the edge.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createEnvironment } from "../../../src/app/create.js";
import { destroyEnvironments } from "../../../src/app/destroy.js";
import type { OperationEvent } from "../../../src/app/events.js";
import type { AppContext, ConfigValue, EngineRunner, StackSession } from "../../../src/app/ports.js";
import { recoverEnvironment } from "../../../src/app/recover.js";
import { updateEnvironment } from "../../../src/app/update.js";
import { ConflictError, LockedError } from "../../../src/core/errors.js";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { FileTemplateStore } from "../../../src/templates/store.js";
import { FIXTURE_TEMPLATES } from "../../helpers/cli.js";

/** An engine that remembers what it was asked; `hold` keeps an up running until aborted. */
class FakeEngine implements EngineRunner {
  calls: string[] = [];
  config = new Map<string, Record<string, ConfigValue>>();
  hold = false;
  async check(): Promise<void> {}
  async open(name: string): Promise<StackSession> {
    const me = this;
    const step = async (verb: string, signal?: AbortSignal) => {
      me.calls.push(`${verb} ${name}`);
      if (me.hold && verb === "up") {
        await new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("cancelled")), { once: true }));
      }
      return { changes: { same: 1 } };
    };
    return {
      name,
      configure: async (v) => void me.config.set(name, v),
      snapshotConfig: () => undefined,
      restoreConfig: () => {},
      saveLastGood: () => {},
      lastGood: () => undefined,
      preview: (_l, _r, s) => step("preview", s),
      up: async (_l, _r, s) => ({ ...(await step("up", s)), outputs: { url: { value: `https://${name}`, secret: false } } }),
      destroy: (_l, _r, s) => step("destroy", s),
      refresh: (_l, _r, s) => step("refresh", s),
      releaseAbandoned: async () => {},
      resources: async () => [],
    };
  }
}

let registry: SqliteRegistry;
let engine: FakeEngine;
let ctx: AppContext;
let events: OperationEvent[];

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), "infra-app-"));
  registry = new SqliteRegistry(join(dir, "registry.db"));
  engine = new FakeEngine();
  events = [];
  ctx = {
    registry,
    engine,
    templates: new FileTemplateStore({ ...process.env, INFRA_TEMPLATE_PATH: FIXTURE_TEMPLATES, INFRA_HOME: dir }),
    actor: { who: "ann@box", host: "box", pid: process.pid },
    home: dir,
    now: () => new Date("2026-11-24T00:00:00Z"),
    listen: (e) => events.push(e),
  };
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
    expect((err as Error).message).toBe("environment db is used by api: destroy it first, or pass --cascade");
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
    expect(engine.calls).toEqual(["refresh gone", "destroy gone"]);
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
