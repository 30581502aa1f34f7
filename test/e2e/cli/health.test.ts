// Health on the real engine: a status endpoint the test serves on loopback.
// Create goes deploying -> deployed-validating -> deployed-ok; with the
// endpoint gone, infra env health names the failing check (exit 5) and the
// status is deployed-fail; back, it is deployed-ok again. A create whose check
// fails is applied, recorded deployed-fail, and says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { type StatusServer, statusServer } from "../../helpers/status-server.js";

let home: Home;
let status: StatusServer;
const answer = (code: number) => status.answer(code);

beforeAll(async () => {
  home = makeHome("infra-health-");
  status = statusServer(home.dir);
  await status.start();
  expect(home.run(["init", "--non-interactive"]).code).toBe(0);
});
afterAll(async () => {
  await status?.stop();
});

const url = () => status.url();
type History = { history: { from: string; to: string; reason?: string }[] };

describe("health after a deployment and on demand", () => {
  it("create: deploying, deployed-validating, then deployed-ok once its status endpoint answers", () => {
    const r = home.run([
      "env",
      "create",
      "svc",
      "-t",
      "probed",
      "-p",
      `statusUrl=${url()}`,
      "-p",
      `tcpAddress=127.0.0.1:${status.port()}`,
      "--location",
      "local",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("healthy: 2 checks ok");
    const h = home.json<History>(["env", "history", "svc"]).history;
    expect(h.map((t) => t.to)).toEqual(["deploying", "deployed-validating", "deployed-ok"]);
    expect(h[1]!.reason).toBe("validating: health, port");
  });

  it("env health: the endpoint gone is named, exit 5, deployed-fail", async () => {
    await status.stop();
    const r = home.run(["env", "health", "svc"]);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toMatch(/^svc: unhealthy \(status deployed-fail\)/);
    expect(r.stdout).toMatch(new RegExp(`failing +health +${url().replace(/[.]/g, "\\.")} +ECONNREFUSED \\(\\d+ attempts\\)`));
    expect(home.json<{ status: string }>(["env", "show", "svc"]).status).toBe("deployed-fail");
  });

  it("env health: back again, deployed-ok; --json says each check", async () => {
    await status.start();
    const r = home.run(["env", "health", "svc", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ environment: "svc", status: "deployed-ok", state: "ok" });
    expect(j.checks.map((c: { output: string; state: string }) => `${c.output}=${c.state}`)).toEqual(["health=ok", "port=ok"]);
    const reasons = home.json<History>(["env", "history", "svc"]).history.map((t) => `${t.to}: ${t.reason}`);
    expect(reasons.slice(-2)).toEqual([
      `deployed-fail: health: unhealthy: health (${url()}): ECONNREFUSED; port (127.0.0.1:${status.port()}): ECONNREFUSED`,
      "deployed-ok: health: healthy: 2 checks ok",
    ]);
  });

  it("a failure an operation left is not a health check's to clear", () => {
    answer(500);
    const r = home.run(["env", "create", "bad", "-t", "probed", "-p", `statusUrl=${url()}`, "--location", "local"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`infra: create of bad: applied, but unhealthy: health (${url()}): HTTP 500`);
    expect(r.stderr).toContain("infra env health bad checks again");
    const show = home.json<{ status: string; outputs: Record<string, unknown> }>(["env", "show", "bad"]);
    expect(show.status).toBe("deployed-fail");
    expect(Object.keys(show.outputs)).toContain("health");
    answer(200);
    // Its failure was health's: a passing check clears it.
    expect(home.run(["env", "health", "bad"]).code).toBe(0);
    expect(home.json<{ status: string }>(["env", "show", "bad"]).status).toBe("deployed-ok");
  });

  it("bad input: unknown, destroyed, no name; one line each", () => {
    const unknown = home.run(["env", "health", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("infra: no environment named nope: see infra env list");
    expect(home.run(["env", "destroy", "bad", "--yes"]).code).toBe(0);
    const destroyed = home.run(["env", "health", "bad"]);
    expect(destroyed.code).toBe(3);
    expect(destroyed.stderr.trim()).toBe("infra: environment bad is destroyed: there is nothing to check");
    expect(home.run(["env", "health"]).code).toBe(2);
  });
});
