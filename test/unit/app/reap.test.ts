// The TTL reaper and extend, with the fake engine and a real registry.
import { beforeEach, describe, expect, it } from "vitest";
import { createEnvironment } from "../../../src/app/create.js";
import { extendEnvironment, planReap, reap } from "../../../src/app/reap.js";
import { ConflictError, UsageError } from "../../../src/core/errors.js";
import { appBench, type Bench } from "../../helpers/app.js";

let b: Bench;
let clock = new Date("2026-11-24T00:00:00Z");
const H = 3600_000;

beforeEach(() => {
  clock = new Date("2026-11-24T00:00:00Z");
  b = appBench(() => clock);
});

const make = (name: string, template: string, params: Record<string, string>, ttlMs?: number) =>
  createEnvironment(b.ctx, { name, template, params, location: "sandbox", ...(ttlMs && { ttlMs }) });

describe("the reaper", () => {
  it("destroys expired environments, dependents first, and leaves the others", async () => {
    await make("db", "basic", { apiToken: "t" }, 1 * H);
    await make("api", "consumer", { upstream: "db" }, 2 * H);
    await make("keep", "basic", { apiToken: "t" }, 48 * H);
    await make("forever", "basic", { apiToken: "t" });
    clock = new Date(clock.getTime() + 3 * H);
    expect(await planReap(b.ctx)).toEqual({ order: ["api", "db"], kept: [] });
    const r = await reap(b.ctx);
    expect(r.destroyed.map((d) => d.name)).toEqual(["api", "db"]);
    expect(b.engine.calls.filter((c) => c.startsWith("destroy"))).toEqual(["destroy api", "destroy db"]);
    for (const n of ["api", "db"]) expect((await b.registry.get(n))?.status).toBe("destroyed");
    for (const n of ["keep", "forever"]) expect((await b.registry.get(n))?.status).toBe("deployed-ok");
  });

  it("keeps an expired environment a live one depends on, with a notice naming it", async () => {
    await make("db", "basic", { apiToken: "t" }, 1 * H);
    await make("api", "consumer", { upstream: "db" }, 48 * H);
    clock = new Date(clock.getTime() + 3 * H);
    const r = await reap(b.ctx);
    expect(r.kept).toEqual([{ name: "db", neededBy: ["api"] }]);
    expect(r.destroyed).toEqual([]);
    expect(b.events).toContainEqual({ type: "notice", message: "db has expired but is kept: api still depends on it" });
    expect((await b.registry.get("db"))?.status).toBe("deployed-ok");
  });

  it("with --dry-run, destroys nothing", async () => {
    await make("pr-1", "basic", { apiToken: "t" }, 1 * H);
    clock = new Date(clock.getTime() + 2 * H);
    const r = await reap(b.ctx, { dryRun: true });
    expect(r.order).toEqual(["pr-1"]);
    expect(b.engine.calls.filter((c) => c.startsWith("destroy"))).toEqual([]);
    expect((await b.registry.get("pr-1"))?.status).toBe("deployed-ok");
  });
});

describe("extend", () => {
  it("moves the planned destruction to the new ttl from now, so the reaper passes it by", async () => {
    await make("pr-1", "basic", { apiToken: "t" }, 1 * H);
    clock = new Date(clock.getTime() + 2 * H);
    const at = await extendEnvironment(b.ctx, "pr-1", 24 * H);
    expect(at).toBe(new Date(clock.getTime() + 24 * H).toISOString());
    expect((await b.registry.get("pr-1"))?.expiresAt).toBe(at);
    expect((await planReap(b.ctx)).order).toEqual([]);
    await expect(extendEnvironment(b.ctx, "pr-1", 0)).rejects.toThrow(UsageError);
    await reap(b.ctx);
    clock = new Date(clock.getTime() + 25 * H);
    await reap(b.ctx);
    await expect(extendEnvironment(b.ctx, "pr-1", H)).rejects.toThrow(ConflictError);
  });
});
