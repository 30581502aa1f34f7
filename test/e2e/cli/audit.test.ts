// infra audit: who did what to which environment, newest first, with filters
// and paging; the same page from the server's GET /api/v1/audit.
import { describe, expect, it } from "vitest";
import { makeHome } from "../../helpers/cli.js";

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

  it("bad input is one line naming the flag", () => {
    const since = home.run(["audit", "--since", "yesterday"]);
    expect(since.code).toBe(2);
    expect(since.stderr.trim()).toBe("infra: invalid --since 'yesterday': a duration back from now (30m, 24h, 7d) or a time (2026-12-01T09:00Z)");
    expect(home.run(["audit", "--limit", "0"]).code).toBe(2);
    expect(home.run(["audit", "--env", "ghost"]).stderr.trim()).toBe("infra: no environment named ghost: see infra env list");
  });
});
