// infra apply's plan and run on the fake engine: what each environment needs,
// in which order, and what a failure skips. The real engine's run (timings,
// nothing re-run) is test/e2e/cli/apply.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normalise } from "../../../src/app/commands.js";
import { execute } from "../../../src/app/execute.js";
import { levelsOf, type SetPlan } from "../../../src/app/set-plan.js";
import { appBench, type Bench } from "../../helpers/app.js";

let b: Bench;
beforeEach(() => {
  b = appBench();
});
afterEach(async () => {
  await b.registry.close();
});

type Entry = { name: string; template: string; params?: Record<string, string> };
const diamond = (over: Partial<Record<string, Partial<Entry>>> = {}): Entry[] =>
  (
    [
      { name: "a", template: "basic@1.0.0", params: { apiToken: "t" } },
      { name: "b", template: "gate@1.0.0", params: { upstream: "a" } },
      { name: "c", template: "gate@1.0.0", params: { upstream: "a" } },
      { name: "d", template: "joiner@1.0.0", params: { left: "b", right: "c" } },
    ] as Entry[]
  ).map((e) => ({ ...e, ...over[e.name] }));

async function apply(environments: Entry[], o: { prune?: boolean; plan?: boolean; set?: string } = {}): Promise<SetPlan> {
  const c = normalise(
    { kind: "apply", set: o.set ?? "shop", environments, ...(o.prune && { prune: true }), ...(o.plan && { plan: true }), parallel: 4 },
    { location: "local" },
  );
  const r = await execute(b.ctx, c);
  if (r.kind !== "set") throw new Error(r.kind);
  return r.result;
}
const actions = (p: SetPlan) => Object.fromEntries(p.steps.map((s) => [s.environment, s.action]));
const results = (p: SetPlan) => Object.fromEntries(p.steps.map((s) => [s.environment, s.result]));
const ups = () => b.engine.calls.filter((c) => c.startsWith("up ") || c.startsWith("destroy ")).sort();

describe("a set's plan", () => {
  it("orders a diamond in levels and creates each environment once, tagged with its set", async () => {
    const plan = await apply(diamond(), { plan: true });
    expect(plan.levels).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(actions(plan)).toEqual({ a: "create", b: "create", c: "create", d: "create" });
    expect(b.engine.calls).toEqual([]); // a plan runs nothing
    const run = await apply(diamond());
    expect(results(run)).toEqual({ a: "succeeded", b: "succeeded", c: "succeeded", d: "succeeded" });
    expect((await b.registry.get("d"))!.tags["infra.set"]).toBe("shop");
    expect(await b.registry.dependencies("d")).toEqual(["b", "c"]);
  });

  it("runs nothing again when nothing changed, and only what a change reaches", async () => {
    await apply(diamond());
    b.engine.calls = [];
    const again = await apply(diamond());
    expect(results(again)).toEqual({ a: "unchanged", b: "unchanged", c: "unchanged", d: "unchanged" });
    expect(b.engine.calls).toEqual([]);
    // c's parameter changes: c runs; d reads c's outputs (unchanged in the fake engine): d stays.
    const changed = await apply(diamond({ c: { params: { upstream: "a", fail: "true" } } }));
    expect(actions(changed)).toMatchObject({ a: "unchanged", b: "unchanged", c: "update", d: "unchanged" });
    expect(changed.steps.find((s) => s.environment === "c")!.reason).toBe("parameters changed: fail");
    expect(results(changed)).toEqual({ a: "unchanged", b: "unchanged", c: "succeeded", d: "unchanged" });
    expect(ups()).toEqual(["up c"]);
  });

  it("an update outside the set makes the next apply put the file's parameters back", async () => {
    await apply(diamond());
    await execute(b.ctx, normalise({ kind: "update", environment: "b", params: { fail: "true" } }, { location: "local" }));
    const plan = await apply(diamond(), { plan: true });
    expect(actions(plan).b).toBe("update");
    expect(plan.steps.find((s) => s.environment === "b")!.reason).toBe("parameters changed: fail");
  });

  it("a failure skips only what reads from it", async () => {
    b.engine.failing.add("b");
    const run = await apply(diamond());
    expect(results(run)).toEqual({ a: "succeeded", b: "failed", c: "succeeded", d: "skipped" });
    expect(run.steps.find((s) => s.environment === "d")!.message).toBe("not run: b failed");
    expect(run.steps.find((s) => s.environment === "b")!.message).toContain("asked to fail");
    b.engine.failing.clear();
    const again = await apply(diamond());
    expect(results(again)).toMatchObject({ a: "unchanged", b: "succeeded", c: "unchanged", d: "succeeded" });
  });

  it("an interrupted environment is recovered, then applied as declared: one command gets it moving", async () => {
    await apply(diamond());
    await b.registry.startOperation("c", "update", "ann@box", undefined, "cut");
    await b.registry.transition("c", "deploying", { operationId: "cut" });
    await b.registry.transition("c", "interrupted", { operationId: "cut", reason: "killed" });
    await b.registry.finishOperation("cut", { result: "interrupted" });
    const plan = await apply(diamond(), { plan: true });
    expect(actions(plan)).toMatchObject({ c: "recover", d: "unchanged" });
    b.engine.calls = [];
    const run = await apply(diamond());
    expect(results(run)).toMatchObject({ c: "succeeded" });
    expect(ups()).toEqual(["up c", "up c"]); // the recovery's, then the file's
    expect((await b.registry.get("c"))!.status).toBe("deployed-ok");
  });

  it("--prune destroys what the file no longer lists, readers first, after every apply", async () => {
    await apply(diamond());
    const plan = await apply([], { prune: true, plan: true });
    expect(plan.levels).toEqual([["d"], ["b", "c"], ["a"]]);
    const kept = await apply([]);
    expect(kept.unlisted.sort()).toEqual(["a", "b", "c", "d"]);
    expect(ups().filter((c) => c.startsWith("destroy"))).toEqual([]);
    await apply([], { prune: true });
    for (const n of ["a", "b", "c", "d"]) expect((await b.registry.get(n))!.status).toBe("destroyed");
  });

  it("refuses a cycle with its path, before anything runs", async () => {
    const err = await apply([
      { name: "x", template: "consumer@1.0.0", params: { upstream: "y" } },
      { name: "y", template: "consumer@1.0.0", params: { upstream: "z" } },
      { name: "z", template: "consumer@1.0.0", params: { upstream: "x" } },
    ]).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe("the set's environments read each other's outputs in a circle: x -> y -> z -> x: one of them must not read the next");
    expect(b.engine.calls).toEqual([]);
    expect(await b.registry.get("x")).toBeUndefined();
  });

  it("refuses an unknown template, a bad parameter, a missing upstream and a name outside the set, naming the environment", async () => {
    const refused = (e: Entry[], set?: string) =>
      apply(e, set ? { set } : {}).then(
        () => "applied",
        (err: Error) => err.message,
      );
    expect(await refused([...diamond(), { name: "e", template: "nope@1.0.0" }])).toMatch(/^e: unknown template 'nope'/);
    expect(await refused(diamond({ a: { params: { apiToken: "t", greeting: "NO!" } } }))).toMatch(/^a: /);
    expect(await refused([{ name: "b", template: "gate@1.0.0", params: { upstream: "zz" } }])).toBe(
      "b: there is no environment zz to read outputs from: list it in the set, or create it first",
    );
    expect(await b.registry.get("a")).toBeUndefined();
    await apply(diamond());
    expect(await refused([{ name: "a", template: "basic@1.0.0", params: { apiToken: "t" } }], "other")).toBe(
      "a: environment a exists outside set other (set shop has it): give this one another name, or destroy that one first",
    );
    expect(await refused([{ name: "a", template: "consumer@1.0.0", params: { upstream: "b" } }])).toBe(
      "a: environment a runs template basic, not consumer: destroy it first, or name the new one otherwise",
    );
    // Pruning what a listed environment still reads.
    const withoutA = diamond().filter((e) => e.name !== "a");
    expect(
      await apply(withoutA, { prune: true }).then(
        () => "applied",
        (err: Error) => err.message,
      ),
    ).toBe("b, c read outputs of a, which pruning would destroy: list a too");
    expect(await refused(withoutA)).toBe("applied"); // without --prune, a stays: kept, no longer listed
  });

  it("levels a plan with destroys after every apply", () => {
    const step = (environment: string, action: "create" | "destroy", after: string[] = []) => ({ environment, action, after, template: "t@1.0.0", reason: "" });
    expect(levelsOf([step("a", "create"), step("b", "create", ["a"]), step("x", "destroy")])).toEqual([["a"], ["b"], ["x"]]);
  });
});
