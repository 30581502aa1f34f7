// infra apply through the server's doors: REST (a plan, then 202 and the run
// followed to its end, one operation per environment), the CLI logged in to
// the server, and an AMQP command. Real engine, real registry, real RabbitMQ.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { api, operationEnd, startServer, waitFor, writeToken, type TestServer } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
if (!AMQP) throw new Error("INFRA_TEST_AMQP_URL is not set: run the tests with npm test");

let server: Home;
let srv: TestServer;
let token: string;

const pair = (set: string, a: string, b: string) => ({
  set,
  environments: [
    { name: a, template: "basic@1.0.0", params: { apiToken: "t0k-sets" } },
    { name: b, template: "consumer@1.0.0", params: { upstream: a } },
  ],
});
const post = (body: unknown) => api(srv.url, "/api/v1/sets", token, { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  server = makeHome("infra-sets-server-");
  server.env.INFRA_LOCATION = "local";
  token = writeToken(server, "rest");
  srv = await startServer(server, ["--concurrency", "2"], { INFRA_AMQP_URL: AMQP });
  await waitFor("the bus", () => srv.log().includes("consuming infra.commands"), 60, srv.log);
});
afterAll(() => {
  srv?.proc.kill("SIGKILL");
});

describe("sets over REST", () => {
  it("plans (200), then runs (202, Location), one operation per environment, in order", async () => {
    const planned = await post({ ...pair("web", "web-db", "web-api"), plan: true });
    expect(planned.status).toBe(200);
    const plan = (await planned.json()) as { status: string; levels: string[][] };
    expect(plan).toMatchObject({ status: "planned", levels: [["web-db"], ["web-api"]] });

    const r = await post(pair("web", "web-db", "web-api"));
    expect(r.status).toBe(202);
    const accepted = (await r.json()) as { run: string; status: string };
    expect(accepted.status).toBe("running");
    expect(r.headers.get("location")).toBe(`/api/v1/sets/web/runs/${accepted.run}`);
    type Run = { status: string; steps: { environment: string; result?: string; operationId?: string }[] };
    const run = await waitFor("the set's run", async () => {
      const body = (await (await api(srv.url, r.headers.get("location")!, token)).json()) as Run;
      return body.status !== "running" && body;
    });
    expect(run.status).toBe("succeeded");
    for (const s of run.steps) {
      expect(s.result).toBe("succeeded");
      expect(await operationEnd(srv.url, token, s.operationId!)).toBe("succeeded");
    }
    const [db, app] = await Promise.all(
      run.steps.map(async (s) => (await (await api(srv.url, `/api/v1/operations/${s.operationId}`, token)).json()) as { startedAt: string; endedAt: string }),
    );
    expect(db!.endedAt <= app!.startedAt).toBe(true);
    const set = (await (await api(srv.url, "/api/v1/sets/web", token)).json()) as { environments: { name: string; status: string }[] };
    expect(set.environments.map((e) => [e.name, e.status]).sort()).toEqual([
      ["web-api", "deployed-ok"],
      ["web-db", "deployed-ok"],
    ]);
    // Again, unchanged: nothing runs, 200.
    const again = await post(pair("web", "web-db", "web-api"));
    expect(again.status).toBe(200);
    expect(((await again.json()) as Run).steps.map((s) => s.result)).toEqual(["unchanged", "unchanged"]);
  });

  it("refuses a bad set as problem+json, writing nothing", async () => {
    const cycle = await post({
      set: "loop",
      environments: [
        { name: "x1", template: "consumer@1.0.0", params: { upstream: "y1" } },
        { name: "y1", template: "consumer@1.0.0", params: { upstream: "x1" } },
      ],
    });
    expect(cycle.status).toBe(422);
    expect(cycle.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await cycle.json()) as { detail: string }).detail).toContain("x1 -> y1 -> x1");
    const unknown = await post({ set: "loop", environments: [], surprise: 1 });
    expect(unknown.status).toBe(400);
    const twice = await post({
      set: "loop",
      environments: [
        { name: "x1", template: "basic" },
        { name: "x1", template: "basic" },
      ],
    });
    expect(twice.status).toBe(422);
    // Nothing written: the set has no environment (an empty set is listed empty, not 404).
    expect(await (await api(srv.url, "/api/v1/sets/loop", token)).json()).toEqual({ set: "loop", environments: [] });
    expect((await api(srv.url, "/api/v1/environments/x1", token)).status).toBe(404);
  });
});

describe("sets through the other doors", () => {
  it("the CLI logged in to the server: the plan asked for, then the run followed", () => {
    const client = makeHome("infra-sets-client-");
    delete client.env.INFRA_PASSPHRASE;
    const tokenFile = join(client.dir, "token");
    writeFileSync(tokenFile, writeToken(server, "cli"), { mode: 0o600 });
    expect(client.run(["login", srv.url, "--token-file", tokenFile]).code).toBe(0);
    const file = join(client.dir, "cli.yaml");
    writeFileSync(
      file,
      "set: cli\nenvironments:\n  cli-db: { template: basic@1.0.0, params: { apiToken: t } }\n  cli-api: { template: consumer@1.0.0, params: { upstream: cli-db } }\n",
    );
    const planned = client.run(["apply", "-f", file, "--plan"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/^set cli: 2 to create\n/);
    const asks = client.run(["apply", "-f", file]);
    expect(asks.code).toBe(2);
    const r = client.run(["apply", "-f", file, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cli-db: created \(.*\)\ncli-api: created \(.*\)\nset cli: 2 ran\n$/);
    expect(client.run(["apply", "-f", file, "--yes"]).stdout).toBe("set cli: nothing to do (2 unchanged)\n");
  });

  it("an AMQP command", async () => {
    const conn = await amqp.connect(AMQP!);
    try {
      const ch = await conn.createConfirmChannel();
      const body = { version: 1, idempotencyKey: "sets-amqp-1", kind: "apply", ...pair("bus", "bus-db", "bus-api") };
      await new Promise<void>((resolve, reject) =>
        ch.publish("infra.commands", "command", Buffer.from(JSON.stringify(body)), { persistent: true, appId: "sets" }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
      await waitFor(
        "bus-api deployed",
        async () => {
          const e = await api(srv.url, "/api/v1/environments/bus-api", token);
          return e.ok && ((await e.json()) as { status: string }).status === "deployed-ok";
        },
        120,
        srv.log,
      );
      const db = (await (await api(srv.url, "/api/v1/environments/bus-db", token)).json()) as { tags: Record<string, string> };
      expect(db.tags["infra.set"]).toBe("bus");
    } finally {
      await conn.close();
    }
  });
});
