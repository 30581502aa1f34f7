// Primary and secondary: a secondary server reads a hot standby of the
// primary's PostgreSQL registry (streaming replication, started by the test
// command), refuses changes naming the primary, and `infra server promote`
// makes it the primary. Two primaries on one registry never run two
// operations on one environment.
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { startServer } from "../../helpers/server.js";

const PRIMARY = process.env.INFRA_TEST_POSTGRES_URL;
const STANDBY = process.env.INFRA_TEST_POSTGRES_STANDBY_URL;
if (!PRIMARY || !STANDBY)
  throw new Error(
    "INFRA_TEST_POSTGRES_URL and INFRA_TEST_POSTGRES_STANDBY_URL are not set: run the tests with npm test (it starts PostgreSQL and its standby)",
  );

let home: Home;
let token: string;
const procs: ChildProcess[] = [];
type Reply = Omit<Response, "json"> & { json(): Promise<any> };

const inDb = (url: string, db: string) => url.replace(/\/[^/]*$/, `/${db}`);

async function server(registry: string, args: string[] = []): Promise<{ url: string; log: () => string }> {
  const s = await startServer(home, ["--reap-every", "off", ...args], { INFRA_REGISTRY: registry });
  procs.push(s.proc);
  return s;
}

const call = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined && { "content-type": "application/json" }) },
  }) as Promise<Reply>;

async function settled(url: string, id: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const op = await (await call(url, `/api/v1/operations/${id}`)).json();
    if (op.result && op.result !== "running") return op.result;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`operation ${id} did not end`);
}

let primaryRegistry: string;
let standbyRegistry: string;

beforeAll(async () => {
  home = makeHome("infra-replication-");
  // A database of its own on the primary; the standby replicates it.
  const db = `infra_repl_${process.pid}`;
  const c = new pg.Client({ connectionString: PRIMARY });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${db}`);
  await c.query(`CREATE DATABASE ${db}`);
  await c.end();
  primaryRegistry = inDb(PRIMARY!, db);
  standbyRegistry = inDb(STANDBY!, db);
  // Replication is asynchronous: wait for the database to reach the standby.
  for (let i = 0; ; i++) {
    const s = new pg.Client({ connectionString: STANDBY });
    await s.connect();
    const there = (await s.query("SELECT 1 FROM pg_database WHERE datname = $1", [db])).rowCount === 1;
    await s.end();
    if (there) break;
    if (i > 100) throw new Error("the standby does not replicate");
    await new Promise((r) => setTimeout(r, 100));
  }
  const t = home.run(["server", "token", "create", "--name", "ops", "--role", "write"], { INFRA_REGISTRY: primaryRegistry });
  expect(t.code, t.stderr).toBe(0);
  token = t.stdout.trim();
});
afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
});

describe("primary and secondary", () => {
  let primary: Awaited<ReturnType<typeof server>>;
  let secondary: Awaited<ReturnType<typeof server>>;

  it("the secondary serves what the primary did, from its replica, and refuses changes naming the primary", async () => {
    primary = await server(primaryRegistry);
    secondary = await server(standbyRegistry, ["--secondary", "--primary-cluster-name", "meta-east"]);
    const r = await (
      await call(primary.url, "/api/v1/environments", { method: "POST", body: JSON.stringify({ name: "dev", template: "basic", params: { apiToken: "t" } }) })
    ).json();
    expect(await settled(primary.url, r.operationId)).toBe("succeeded");
    let seen = "";
    for (let i = 0; i < 50 && seen !== "deployed-ok"; i++) {
      seen = (await (await call(secondary.url, "/api/v1/environments/dev")).json()).status;
      if (seen !== "deployed-ok") await new Promise((res) => setTimeout(res, 200));
    }
    expect(seen).toBe("deployed-ok");
    const refused = await call(secondary.url, "/api/v1/environments", {
      method: "POST",
      body: JSON.stringify({ name: "qa", template: "basic", params: { apiToken: "t" } }),
    });
    expect(refused.status).toBe(503);
    expect((await refused.json()).detail).toBe("this server is a secondary of meta-east: send changes to the primary");
    expect(await (await call(secondary.url, "/api/v1/ready")).json()).toMatchObject({ role: "secondary" });
  });

  it("two primaries on one registry run one operation on an environment, and refuse the other", async () => {
    const other = await server(primaryRegistry);
    const patch = (url: string, greeting: string) => call(url, "/api/v1/environments/dev", { method: "PATCH", body: JSON.stringify({ params: { greeting } }) });
    const [a, b] = await Promise.all([patch(primary.url, "hallo"), patch(other.url, "salut")]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([202, 409]);
    const ok = a.status === 202 ? a : b;
    const refused = a.status === 202 ? b : a;
    expect((await refused.json()).detail).toMatch(/dev/);
    expect(await settled(primary.url, (await ok.json()).operationId)).toBe("succeeded");
  });

  it("infra server promote refuses while the primary still streams to the standby: two primaries would write apart", async () => {
    const p = home.run(["server", "promote", "--url", secondary.url], { INFRA_TOKEN: token });
    expect(p.code).toBe(3);
    expect(p.stderr.trim()).toMatch(
      /refused: the registry's primary 127\.0\.0\.1:\d+ still streams to this standby: promoting now would make two primaries\. Stop the primary first, or pass --force/,
    );
    expect(await (await call(secondary.url, "/api/v1/ready")).json()).toMatchObject({ role: "secondary" });
    expect(
      (
        await call(secondary.url, "/api/v1/environments", {
          method: "POST",
          body: JSON.stringify({ name: "early", template: "basic", params: { apiToken: "t" } }),
        })
      ).status,
    ).toBe(503);
  });

  it("infra server promote --force makes the secondary the primary: it takes changes", async () => {
    const p = home.run(["server", "promote", "--url", secondary.url, "--force"], { INFRA_TOKEN: token });
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim()).toBe(`${secondary.url}: primary now (it was the secondary of meta-east)`);
    const r = await call(secondary.url, "/api/v1/environments", {
      method: "POST",
      body: JSON.stringify({ name: "after", template: "basic", params: { apiToken: "t" } }),
    });
    expect(r.status).toBe(202);
    expect(await settled(secondary.url, (await r.json()).operationId)).toBe("succeeded");
    expect(await (await call(secondary.url, "/api/v1/ready")).json()).toMatchObject({ role: "primary" });
    const again = home.run(["server", "promote", "--url", secondary.url, "--force"], { INFRA_TOKEN: token });
    expect(again.code).toBe(3);
    expect(again.stderr.trim()).toMatch(/this server is the primary already$/);
  });
});
