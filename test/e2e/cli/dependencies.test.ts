// Environments that consume each other's outputs: a chain db <- api <- web.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;

beforeAll(() => {
  home = makeHome();
  for (const args of [
    ["env", "create", "db", "-t", "basic", "-p", "apiToken=t0k"],
    ["env", "create", "api", "-t", "consumer", "-p", "upstream=db"],
    ["env", "create", "web", "-t", "consumer", "-p", "upstream=api"],
  ]) {
    const r = home.run(args);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe("a chain of environments", () => {
  it("passes outputs along and records who uses whom", () => {
    const web = home.json<Record<string, any>>(["env", "show", "web"]);
    expect(web.outputs.upstreamUrl.value).toBe("https://api.consumer.test");
    expect(web.dependsOn).toEqual(["api"]);
    expect(home.json<Record<string, any>>(["env", "show", "db"]).usedBy).toEqual(["api"]);
  });

  it("refuses to destroy what is used, naming the users and --cascade", () => {
    const r = home.run(["env", "destroy", "db", "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe("infra: environment db is used by api: destroy it first, or pass --cascade to destroy it too");
  });

  it("--cascade destroys the dependents first, deepest first, then the environment", async () => {
    const r = home.run(["env", "destroy", "db", "--cascade", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^\w+: destroyed/gm)).toEqual(["web: destroyed", "api: destroyed", "db: destroyed"]);
    const reg = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
    try {
      const ended = async (n: string) => (await reg.operations(n)).at(-1)!;
      const [web, api, db] = await Promise.all(["web", "api", "db"].map(ended));
      expect([web!.kind, api!.kind, db!.kind]).toEqual(["destroy", "destroy", "destroy"]);
      expect(web!.endedAt! <= api!.startedAt && api!.endedAt! <= db!.startedAt).toBe(true);
      for (const n of ["web", "api", "db"]) expect((await reg.get(n))!.status).toBe("destroyed");
    } finally {
      await reg.close();
    }
  });
});
