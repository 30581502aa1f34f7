// A drift check: recorded in the operations and the audit log, the status
// drifted while the world differs and deployed-ok once back, a notification
// once per episode, nothing run on a destroyed environment.
import { beforeEach, describe, expect, it } from "vitest";
import { createEnvironment } from "../../../src/app/create.js";
import { checkDrift, lastDriftReport } from "../../../src/app/drift.js";
import type { DriftedResource } from "../../../src/app/events.js";
import type { AppContext } from "../../../src/app/ports.js";
import { destroyEnvironments } from "../../../src/app/destroy.js";
import { ConflictError } from "../../../src/core/errors.js";
import type { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { appBench, type FakeEngine } from "../../helpers/app.js";

let registry: SqliteRegistry;
let engine: FakeEngine;
let ctx: AppContext;

const image: DriftedResource = {
  state: "changed",
  type: "kubernetes:apps/v1:Deployment",
  name: "app",
  urn: "urn:pulumi:dev::infra::kubernetes:apps/v1:Deployment::app",
  fields: [{ path: "spec.template.spec.containers[0].image", declared: "web:1", actual: "web:2" }],
};

beforeEach(async () => {
  ({ registry, engine, ctx } = appBench());
  ctx = { ...ctx, notify: true };
  await createEnvironment(ctx, { name: "dev", template: "basic", params: { apiToken: "t" }, location: "sandbox" });
});

const notes = async () => (await registry.unsent(100)).map((n) => n.key).filter((k) => /drifted|in-sync/.test(k));

describe("a drift check", () => {
  it("in sync: recorded, the status left as it is, no notification", async () => {
    const r = await checkDrift(ctx, "dev");
    expect(r.drift).toEqual([]);
    expect((await registry.get("dev"))!.status).toBe("deployed-ok");
    expect((await registry.operations("dev")).at(-1)).toMatchObject({ kind: "drift", result: "succeeded", who: "ann@box" });
    expect(await notes()).toEqual([]);
  });

  it("drifted, then drifted again, then back in sync: one notification per change of state", async () => {
    engine.drifted.set("dev", [image]);
    await checkDrift(ctx, "dev");
    expect((await registry.get("dev"))!.status).toBe("drifted");
    await checkDrift(ctx, "dev");
    expect(await notes()).toEqual(["environment.dev.drifted"]);
    const report = await lastDriftReport(registry, "dev");
    expect(report).toMatchObject({ inSync: false, changed: 1, missing: 0, by: "ann@box", resources: [image] });
    engine.drifted.delete("dev");
    await checkDrift(ctx, "dev");
    expect((await registry.get("dev"))!.status).toBe("deployed-ok");
    expect(await notes()).toEqual(["environment.dev.drifted", "environment.dev.in-sync"]);
    expect((await lastDriftReport(registry, "dev"))!.inSync).toBe(true);
    expect((await registry.history("dev")).map((h) => h.to)).toEqual(["deploying", "deployed-ok", "drifted", "deployed-ok"]);
  });

  it("of a destroyed environment is refused and runs nothing; of an unknown one says so", async () => {
    await destroyEnvironments(ctx, ["dev"]);
    await expect(checkDrift(ctx, "dev")).rejects.toBeInstanceOf(ConflictError);
    expect(engine.calls).not.toContain("drift dev");
    await expect(checkDrift(ctx, "nope")).rejects.toThrow(/no environment named nope/);
  });
});
