// infra apply on the real engine: a diamond a -> {b, c} -> d of the fixtures
// (b and c are `gate`, which fails when asked). b and c run at once; a failing
// b skips d but not c; a rerun with nothing changed runs no engine; --prune
// destroys d first and a last. Bad input is one line and runs nothing.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import type { OperationRecord } from "../../../src/registry/types.js";
import { allBytes, makeHome, type Home } from "../../helpers/cli.js";

const TOKEN = "set-secret-6f1d2c";
let home: Home;
let reg: SqliteRegistry;

const setFile = (name: string, body: string) => {
  const f = join(home.dir, name);
  writeFileSync(f, body);
  return f;
};
const diamond = (failB: boolean) => `set: shop
environments:
  a: { template: basic@1.0.0, params: { apiToken: { env: SHOP_TOKEN } } }
  b: { template: gate@1.0.0, params: { upstream: a, fail: ${failB} } }
  c: { template: gate@1.0.0, params: { upstream: a } }
  d: { template: joiner@1.0.0, params: { left: b, right: c } }
`;
const apply = (file: string, ...flags: string[]) => home.run(["apply", "-f", file, ...flags], { SHOP_TOKEN: TOKEN });
type Step = { environment: string; action: string; result?: string; message?: string; operationId?: string };
const byName = (steps: Step[]) => Object.fromEntries(steps.map((s) => [s.environment, s]));
const lastOp = async (n: string): Promise<OperationRecord> => (await reg.operations(n)).at(-1)!;
const opCount = async () =>
  (await Promise.all(["a", "b", "c", "d"].map(async (n) => ((await reg.get(n)) ? (await reg.operations(n)).length : 0)))).reduce((x, y) => x + y);

beforeAll(() => {
  home = makeHome("infra-apply-");
  reg = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
});
afterAll(async () => {
  await reg.close();
});

describe("infra apply", () => {
  it("plans the diamond in levels, running nothing", async () => {
    const r = apply(setFile("shop.yaml", diamond(true)), "--plan", "--json");
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { status: string; levels: string[][]; steps: Step[] };
    expect(plan.status).toBe("planned");
    expect(plan.levels).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(plan.steps.map((s) => s.action)).toEqual(["create", "create", "create", "create"]);
    expect(await reg.get("a")).toBeUndefined();
  });

  it("runs b and c at once; b's failure skips d, not c", async () => {
    const r = apply(join(home.dir, "shop.yaml"), "--yes", "--json", "--parallel", "2");
    expect(r.code, r.stderr).toBe(1);
    const steps = byName((JSON.parse(r.stdout) as { steps: Step[] }).steps);
    expect(Object.fromEntries(Object.entries(steps).map(([n, s]) => [n, s.result]))).toEqual({ a: "succeeded", b: "failed", c: "succeeded", d: "skipped" });
    expect(steps.b!.message).toContain("asked to fail");
    expect(steps.d!.message).toBe("not run: b failed");
    expect(await reg.get("d")).toBeUndefined();
    const [a, b, c] = await Promise.all(["a", "b", "c"].map(lastOp));
    // Both after a; each began before the other ended: they ran at once.
    expect(a!.endedAt! <= b!.startedAt && a!.endedAt! <= c!.startedAt).toBe(true);
    expect(b!.startedAt < c!.endedAt! && c!.startedAt < b!.endedAt!).toBe(true);
  });

  it("a rerun after the fix runs only b and d; another with nothing changed runs no engine", async () => {
    const file = setFile("shop.yaml", diamond(false));
    const r = apply(file, "--yes");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd()).toMatch(/^a: unchanged\nb: updated \(.*\)\nc: unchanged\nd: created \(.*\)\nset shop: 2 ran, 2 unchanged$/);
    const before = await opCount();
    const again = apply(file, "--yes");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe("set shop: nothing to do (4 unchanged)");
    expect(await opCount()).toBe(before);
    expect((await reg.get("d"))!.tags).toMatchObject({ "infra.set": "shop" });
    expect((await reg.get("d"))!.outputs.leftUrl!.value).toBe("https://b.gate.test");
  });

  it("keeps the secret from the environment variable out of the registry, the events and the output", async () => {
    // Closed while its files are read here: closing any other descriptor of a SQLite file drops this
    // process's POSIX locks on it, and the next writer would then take this connection for gone.
    await reg.close();
    expect(allBytes(home.env.INFRA_HOME!)).not.toContain(TOKEN);
    reg = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
  });

  it("refuses bad input in one line, running nothing", async () => {
    const before = await opCount();
    const cycle = apply(
      setFile(
        "cycle.yaml",
        "set: loop\nenvironments:\n  x: { template: consumer@1.0.0, params: { upstream: y } }\n  y: { template: consumer@1.0.0, params: { upstream: x } }\n",
      ),
      "--yes",
    );
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toBe("infra: the set's environments read each other's outputs in a circle: x -> y -> x: one of them must not read the next\n");
    const unset = home.run(["apply", "-f", setFile("unset.yaml", diamond(false)), "--yes"]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toBe("infra: a's parameter apiToken comes from the environment variable SHOP_TOKEN, which is not set\n");
    const typo = apply(setFile("typo.yaml", "set: shop\nenvironment:\n  a: { template: basic }\n"), "--yes");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^infra: typo\.yaml: unknown field environment \(a set file has/);
    const unknown = apply(setFile("unknown.yaml", "set: shop\nenvironments:\n  e: { template: nope@1.0.0 }\n"), "--plan");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^infra: e: unknown template 'nope'/);
    const asks = apply(setFile("more.yaml", `${diamond(false)}  e: { template: consumer@1.0.0, params: { upstream: d } }\n`));
    expect(asks.code).toBe(2);
    expect(asks.stderr.trim().split("\n").at(-1)).toBe(
      "infra: infra apply asks before it applies: pass --yes to apply without asking (--plan only shows the plan)",
    );
    const parallel = apply(join(home.dir, "unset.yaml"), "--parallel", "0");
    expect(parallel.code).toBe(2);
    expect(parallel.stderr).toBe("infra: invalid --parallel '0': a whole number from 1 to 64\n");
    const missing = apply(join(home.dir, "nothing-here.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`infra: there is no file or folder ${join(home.dir, "nothing-here.yaml")}\n`);
    expect(await opCount()).toBe(before);
  });

  it("--prune destroys what the file no longer lists: d first, a last", async () => {
    const r = apply(setFile("empty.yaml", "set: shop\nenvironments: {}\n"), "--prune", "--yes");
    expect(r.code, r.stderr).toBe(0);
    const [a, b, c, d] = await Promise.all(["a", "b", "c", "d"].map(lastOp));
    for (const op of [a, b, c, d]) expect(op!.kind).toBe("destroy");
    expect(d!.endedAt! <= b!.startedAt && d!.endedAt! <= c!.startedAt).toBe(true);
    expect(b!.endedAt! <= a!.startedAt && c!.endedAt! <= a!.startedAt).toBe(true);
    for (const n of ["a", "b", "c", "d"]) expect((await reg.get(n))!.status).toBe("destroyed");
  });
});
