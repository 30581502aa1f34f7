// `infra env reap` and `infra env extend` through the CLI on the real engine.
// The clock cannot be moved, so a test puts an expiry in the past straight
// into the registry (as time passing would).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
const expire = async (...names: string[]) => {
  const r = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
  for (const n of names) await r.setExpiry(n, "2020-01-01T00:00:00.000Z", "test");
  await r.close();
};

beforeAll(() => {
  home = makeHome("infra-reap-");
  for (const args of [
    ["env", "create", "db", "-t", "basic", "-p", "apiToken=t0k", "--ttl", "1h"],
    ["env", "create", "api", "-t", "consumer", "-p", "upstream=db", "--ttl", "1h"],
    ["env", "create", "shared", "-t", "basic", "-p", "apiToken=t0k", "--ttl", "1h"],
    ["env", "create", "user", "-t", "consumer", "-p", "upstream=shared", "--ttl", "72h"],
  ]) {
    const r = home.run(args);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe("infra env reap", () => {
  it("says what it would do with --dry-run, refuses without --yes off a terminal, then destroys dependents first", async () => {
    await expire("db", "api", "shared");
    const dry = home.run(["env", "reap", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe("would destroy: api, db (in this order)\nshared: expired, kept (user depends on it)\n");
    expect(dry.stderr).toContain("shared has expired but is kept: user still depends on it");
    const asked = home.run(["env", "reap"]);
    expect(asked.code).toBe(2);
    expect(asked.stderr.trim()).toBe("infra: infra env reap asks before it destroys: pass --yes to destroy api, db without asking");
    const r = home.run(["env", "reap", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("api: destroyed (expired)\ndb: destroyed (expired)\nshared: expired, kept (user depends on it)\n");
    for (const [n, s] of [
      ["api", "destroyed"],
      ["db", "destroyed"],
      ["shared", "deployed-ok"],
      ["user", "deployed-ok"],
    ]) {
      expect(home.json<Record<string, any>>(["env", "show", n!]).status, n).toBe(s);
    }
    expect(home.run(["env", "reap", "--yes"]).stdout).toBe("no expired environment to destroy\nshared: expired, kept (user depends on it)\n");
  });

  it("extend moves the expiry: the reaper passes the environment by", () => {
    const r = home.run(["env", "extend", "shared", "--ttl", "24h"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^shared: expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\n$/);
    expect(home.run(["env", "reap", "--dry-run"]).stdout).toBe("no expired environment to destroy\n");
    const bad = home.run(["env", "extend", "shared", "--ttl", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^infra: invalid --ttl 'soon'/);
    const gone = home.run(["env", "extend", "db", "--ttl", "1h"]);
    expect(gone.code).toBe(3);
    expect(gone.stderr.trim()).toBe("infra: environment db is destroyed: there is nothing to extend");
  });
});
