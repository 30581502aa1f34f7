// Health on the real engine: a status endpoint the test serves on loopback.
// Create goes deploying -> deployed-validating -> deployed-ok; with the
// endpoint gone, infra env health names the failing check (exit 5) and the
// status is deployed-fail; back, it is deployed-ok again. A create whose check
// fails is applied, recorded deployed-fail, and says why.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let server: ChildProcess | undefined;
let port = 0;
let answerFile = "";

// In a process of its own: the tests run the CLI synchronously, which would stall a server in theirs.
const SERVER = `
const fs = require("node:fs");
const s = require("node:http").createServer((q, r) => { r.writeHead(Number(fs.readFileSync(process.argv[1], "utf8"))); r.end("status\\n"); });
s.listen(Number(process.argv[2]), "127.0.0.1", () => console.log(s.address().port));
`;

function answer(code: number): void {
  writeFileSync(answerFile, String(code));
}

function serve(): Promise<void> {
  server = spawn(process.execPath, ["-e", SERVER, answerFile, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => {
    server!.stdout!.once("data", (d: Buffer) => {
      port = Number(d.toString().trim());
      resolve();
    });
  });
}

function stop(): Promise<void> {
  return new Promise((resolve) => {
    server!.once("exit", () => resolve());
    server!.kill();
  });
}

beforeAll(async () => {
  home = makeHome("infra-health-");
  answerFile = join(home.dir, "answer");
  answer(200);
  await serve();
  expect(home.run(["init", "--non-interactive"]).code).toBe(0);
});
afterAll(() => {
  server?.kill();
});

const url = () => `http://127.0.0.1:${port}/health`;
type History = { history: { from: string; to: string; reason?: string }[] };

describe("health after a deployment and on demand", () => {
  it("create: deploying, deployed-validating, then deployed-ok once its status endpoint answers", () => {
    const r = home.run(["env", "create", "svc", "-t", "probed", "-p", `statusUrl=${url()}`, "-p", `tcpAddress=127.0.0.1:${port}`, "--location", "local"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("healthy: 2 checks ok");
    const h = home.json<History>(["env", "history", "svc"]).history;
    expect(h.map((t) => t.to)).toEqual(["deploying", "deployed-validating", "deployed-ok"]);
    expect(h[1]!.reason).toBe("validating: health, port");
  });

  it("env health: the endpoint gone is named, exit 5, deployed-fail", async () => {
    await stop();
    const r = home.run(["env", "health", "svc"]);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toMatch(/^svc: unhealthy \(status deployed-fail\)/);
    expect(r.stdout).toMatch(new RegExp(`failing +health +${url().replace(/[.]/g, "\\.")} +ECONNREFUSED \\(\\d+ attempts\\)`));
    expect(home.json<{ status: string }>(["env", "show", "svc"]).status).toBe("deployed-fail");
  });

  it("env health: back again, deployed-ok; --json says each check", async () => {
    await serve();
    const r = home.run(["env", "health", "svc", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ environment: "svc", status: "deployed-ok", state: "ok" });
    expect(j.checks.map((c: { output: string; state: string }) => `${c.output}=${c.state}`)).toEqual(["health=ok", "port=ok"]);
    const reasons = home.json<History>(["env", "history", "svc"]).history.map((t) => `${t.to}: ${t.reason}`);
    expect(reasons.slice(-2)).toEqual([
      `deployed-fail: health: unhealthy: health (${url()}): ECONNREFUSED; port (127.0.0.1:${port}): ECONNREFUSED`,
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
