// infra audit: who did what to which environment, newest first, with filters
// and paging; the same page from the server's GET /api/v1/audit.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { makeHome } from "../../helpers/cli.js";
import { api, operationEnd, startServer, waitFor, writeToken } from "../../helpers/server.js";

type Page = { items: { seq: number; who: string; action: string; environment?: string }[]; next?: number };

describe("infra audit", () => {
  const home = makeHome("infra-audit-");

  it("lists what was done, newest first, filtered and paged", () => {
    expect(home.run(["env", "create", "a1", "-t", "slow", "-p", "seconds=0", "--location", "local"]).code).toBe(0);
    expect(home.run(["env", "create", "a2", "-t", "slow", "-p", "seconds=0", "--location", "local"]).code).toBe(0);
    expect(home.run(["env", "destroy", "a1", "--yes"]).code).toBe(0);
    const all = home.json<Page>(["audit"]);
    expect(all.items.map((e) => `${e.action} ${e.environment}`)).toEqual(["destroy a1", "create a2", "create a1"]);
    expect(all.items[0]!.who).toMatch(/@/);
    expect(home.json<Page>(["audit", "--env", "a1"]).items.map((e) => e.action)).toEqual(["destroy", "create"]);
    expect(home.json<Page>(["audit", "--action", "create", "--since", "1h"]).items).toHaveLength(2);
    expect(home.json<Page>(["audit", "--actor", "nobody@nowhere"]).items).toEqual([]);
    const first = home.json<Page>(["audit", "--limit", "2"]);
    expect(first.items).toHaveLength(2);
    const second = home.json<Page>(["audit", "--limit", "2", "--before", String(first.next)]);
    expect(second.items.map((e) => e.action)).toEqual(["create"]);
    expect(second.next).toBeUndefined();
    const text = home.run(["audit", "--limit", "1"]).stdout;
    expect(text).toMatch(/^SEQ\s+AT \(UTC\)\s+WHO\s+ACTION\s+ENVIRONMENT\s+DETAIL$/m);
    expect(text).toMatch(/^more: infra audit --before \d+$/m);
  });

  it("names each actor: the user at the CLI, a server's token, the reaper", async () => {
    const h = makeHome("infra-audit-actors-");
    expect(h.run(["env", "create", "b1", "-t", "slow", "-p", "seconds=0", "--location", "local", "--ttl", "1h"]).code).toBe(0);
    const token = writeToken(h, "deployer");
    const server = await startServer(h, ["--reap-every", "1s"]);
    try {
      const res = await api(server.url, "/api/v1/environments/b1", token, { method: "PATCH", body: JSON.stringify({ params: { seconds: "1" } }) });
      expect(res.status, await res.clone().text()).toBe(202);
      expect(await operationEnd(server.url, token, ((await res.json()) as { operationId: string }).operationId)).toBe("succeeded");
      // Its TTL has passed (put in the past, as time would): the server's reaper destroys it.
      const reg = new SqliteRegistry(join(h.env.INFRA_HOME!, "registry.db"));
      await reg.setExpiry("b1", "2020-01-01T00:00:00.000Z", "test");
      await reg.close();
      await waitFor("the reaper", () => h.json<{ status: string }>(["env", "show", "b1"]).status === "destroyed", 90, server.log);
    } finally {
      server.proc.kill("SIGKILL");
    }
    const items = h.json<Page>(["audit", "--env", "b1"]).items.filter((e) => ["create", "update", "destroy"].includes(e.action));
    expect(items.map((e) => e.action)).toEqual(["destroy", "update", "create"]);
    const [destroy, update, create] = items;
    expect(destroy!.who).toBe("reaper");
    expect(update!.who).toBe("token:deployer");
    expect(create!.who).toMatch(/^[^@\s]+@[^@\s]+$/); // user@host
    const text = h.run(["audit", "--env", "b1", "--actor", "reaper"]).stdout;
    expect(text).toMatch(/^\d+\s+\S+ \S+\s+reaper\s+destroy\s+b1\s/m);
  }, 180_000);

  it("bad input is one line naming the flag", () => {
    const since = home.run(["audit", "--since", "yesterday"]);
    expect(since.code).toBe(2);
    expect(since.stderr.trim()).toBe("infra: invalid --since 'yesterday': a duration back from now (30m, 24h, 7d) or a time (2026-12-01T09:00Z)");
    expect(home.run(["audit", "--limit", "0"]).code).toBe(2);
    expect(home.run(["audit", "--env", "ghost"]).stderr.trim()).toBe("infra: no environment named ghost: see infra env list");
  });
});
