// The PostgreSQL registry against the registry contract, on a real server
// (scripts/services.sh starts one for the test run). No server is a failure,
// never a skip.
import pg from "pg";
import { PG_MIGRATIONS } from "../../../src/registry/postgres-schema.js";
import { describe, expect, it } from "vitest";
import { PostgresRegistry, searchWords, tsQuery } from "../../../src/registry/postgres.js";
import { registryContract } from "../../unit/registry/contract.js";

const URL = process.env.INFRA_TEST_POSTGRES_URL;
if (!URL)
  throw new Error('INFRA_TEST_POSTGRES_URL is not set: run the tests with npm test (it starts PostgreSQL), or eval "$(bash scripts/services.sh start)"');

/** A fresh database per test: the contract starts from an empty registry each time. */
async function freshDatabase(): Promise<string> {
  const name = `t_${globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new globalThis.URL(URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

registryContract("PostgresRegistry", async () => {
  const url = await freshDatabase();
  return {
    open: () => PostgresRegistry.open(url),
    rawBytes: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const tables = ["environments", "operations", "audit", "transitions", "locks"];
      let all = "";
      for (const t of tables) all += JSON.stringify((await c.query(`SELECT * FROM ${t}`)).rows);
      await c.end();
      return all;
    },
  };
});

describe("PostgresRegistry", () => {
  it("is migrated once when several open a new database at once", async () => {
    const url = await freshDatabase();
    const regs = await Promise.all([1, 2, 3, 4].map(() => PostgresRegistry.open(url)));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    // Each migration once, whoever got there first.
    expect((await c.query("SELECT count(*)::int AS n, count(DISTINCT version)::int AS d FROM infra_schema")).rows[0]).toEqual({
      n: PG_MIGRATIONS.length,
      d: PG_MIGRATIONS.length,
    });
    await c.end();
    await Promise.all(regs.map((r) => r.close()));
  });

  it("says in one line when the server cannot be reached, with the password hidden", async () => {
    const err = await PostgresRegistry.open("postgres://infra:s3cret@127.0.0.1:1/none").catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^cannot use the registry postgres:\/\/infra:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain("s3cret");
  });

  it("searches words as the SQLite index does", () => {
    expect(searchWords("pr-101", "Checkout redesign", { team: "shop" })).toBe("pr 101 checkout redesign team shop");
    expect(tsQuery('"speed*) (')).toBe("speed:*");
    expect(tsQuery("!!")).toBe("");
  });
});

describe("infra on a PostgreSQL registry (INFRA_REGISTRY=postgres://…)", () => {
  it("creates, lists, shows and refuses as it does on SQLite", async () => {
    const { makeHome } = await import("../../helpers/cli.js");
    const home = makeHome("infra-pg-");
    const env = { INFRA_REGISTRY: await freshDatabase() };
    const created = home.run(["env", "create", "dev", "-t", "slow", "-p", "seconds=0", "--tag", "team=core"], env);
    expect(created.code, created.stderr).toBe(0);
    const list = JSON.parse(home.run(["env", "list", "--json", "--search", "core"], env).stdout);
    expect(list.items.map((e: { name: string; status: string }) => `${e.name} ${e.status}`)).toEqual(["dev deployed-ok"]);
    const show = JSON.parse(home.run(["env", "show", "dev", "--json"], env).stdout);
    expect(show.resources.length).toBeGreaterThan(0);
    expect(show.history.map((h: { to: string }) => h.to)).toEqual(["deploying", "deployed-ok"]);
    const ghost = home.run(["env", "show", "ghost"], env);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toBe("infra: no environment named ghost: see infra env list\n");
    const again = home.run(["env", "create", "dev", "-t", "slow"], env);
    expect(again.code).toBe(3);
    expect(home.run(["env", "destroy", "dev", "--yes"], env).code).toBe(0);
  });
});
