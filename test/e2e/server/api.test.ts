// `infra server` through HTTP, on the real engine and a real registry: tokens,
// asynchronous operations (202, Location, SSE), idempotency, problem+json for
// bad input, a secondary that refuses changes, SIGTERM mid-operation.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { startServer as startTestServer, type TestServer } from "../../helpers/server.js";
import { statusServer } from "../../helpers/status-server.js";

let home: Home;
let write: string;
let read: string;
const servers: ChildProcess[] = [];

async function startServer(args: string[] = []): Promise<TestServer> {
  const s = await startTestServer(home, args);
  servers.push(s.proc);
  return s;
}

/** A JSON body is whatever the test says it is. */
type Reply = Omit<Response, "json"> & { json(): Promise<any> };

const call = (url: string, path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: {
      ...(init.token && { authorization: `Bearer ${init.token}` }),
      ...(init.body !== undefined && { "content-type": "application/json" }),
      ...init.headers,
    },
  }) as Promise<Reply>;

/** Reads the SSE stream to its end event. */
async function events(url: string, id: string): Promise<{ event: string; data: any }[]> {
  const res = await call(url, `/api/v1/operations/${id}/events`, { token: read });
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const text = await res.text();
  return text
    .trim()
    .split("\n\n")
    .map((block) => {
      const [e, d] = block.split("\n");
      return { event: e!.slice(7), data: JSON.parse(d!.slice(6)) };
    });
}

let main: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  home = makeHome("infra-server-");
  write = home.run(["server", "token", "create", "--name", "ci", "--role", "write"]).stdout.trim();
  read = home.run(["server", "token", "create", "--name", "dash"]).stdout.trim();
  expect(write).toMatch(/^infra_[A-Za-z0-9_-]{43}$/);
  main = await startServer(["--concurrency", "2"]);
});
afterAll(() => {
  for (const s of servers) s.kill("SIGKILL");
});

describe("the API", () => {
  it("answers health and readiness without a token, and nothing else", async () => {
    expect(await (await call(main.url, "/api/v1/health")).json()).toEqual({ status: "ok" });
    expect(await (await call(main.url, "/api/v1/ready")).json()).toMatchObject({ status: "ok", role: "primary", checks: { registry: "ok", engine: "ok" } });
    const r = await call(main.url, "/api/v1/environments");
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await call(main.url, "/api/v1/environments", { token: "infra_not-a-real-token" })).status).toBe(401);
  });

  it("creates an environment: 202 and Location, the events stream to the end, the registry has it, the audit names the token", async () => {
    const r = await call(main.url, "/api/v1/environments", {
      method: "POST",
      token: write,
      body: JSON.stringify({ name: "dev", template: "basic", params: { apiToken: "s3cr3t-value" }, tags: { team: "core" } }),
    });
    expect(r.status).toBe(202);
    const body = await r.json();
    expect(r.headers.get("location")).toBe(`/api/v1/operations/${body.operationId}`);
    const evs = await events(main.url, body.operationId);
    expect(evs[0]).toMatchObject({ event: "started", data: { environment: "dev", kind: "create" } });
    expect(evs.at(-1)).toEqual({ event: "end", data: { operation: body.operationId, result: "succeeded" } });
    const env = await (await call(main.url, "/api/v1/environments/dev", { token: read })).json();
    expect(env).toMatchObject({ status: "deployed-ok", params: { apiToken: "[secret]" }, tags: { team: "core" } });
    const op = await (await call(main.url, `/api/v1/operations/${body.operationId}`, { token: read })).json();
    expect(op).toMatchObject({ result: "succeeded", who: "token:ci" });
    expect(op.eventsFile).toBeUndefined();
    for (const path of ["/api/v1/environments/dev/history", "/api/v1/environments/dev/resources", "/api/v1/environments/dev/operations"]) {
      const res = await call(main.url, path, { token: read });
      expect(res.status, path).toBe(200);
      expect(JSON.stringify(await res.json())).not.toContain("s3cr3t-value");
    }
    expect(JSON.stringify(evs)).not.toContain("s3cr3t-value");
    expect(main.log()).not.toContain("s3cr3t-value");
  });

  it("checks drift (POST …/drift, then GET …/drift) and reads the audit log, paged and filtered", async () => {
    expect((await call(main.url, "/api/v1/environments/dev/drift", { token: read })).status).toBe(404);
    const r = await call(main.url, "/api/v1/environments/dev/drift", { method: "POST", token: write });
    expect(r.status).toBe(202);
    const { operationId } = await r.json();
    expect((await events(main.url, operationId)).at(-1)).toEqual({ event: "end", data: { operation: operationId, result: "succeeded" } });
    const report = await (await call(main.url, "/api/v1/environments/dev/drift", { token: read })).json();
    expect(report).toMatchObject({ environment: "dev", inSync: true, by: "token:ci", operation: operationId, resources: [] });
    const audit = await (await call(main.url, "/api/v1/audit?environment=dev&limit=1", { token: read })).json();
    expect(audit.items).toEqual([expect.objectContaining({ action: "drift-check", who: "token:ci", environment: "dev" })]);
    expect(typeof audit.next).toBe("number");
    const older = await (await call(main.url, `/api/v1/audit?environment=dev&before=${audit.next}`, { token: read })).json();
    expect(older.items.map((e: { action: string }) => e.action)).toContain("create");
    expect(JSON.stringify(older)).not.toContain("s3cr3t-value");
    const bad = await call(main.url, "/api/v1/audit?since=yesterday", { token: read });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await call(main.url, "/api/v1/environments/ghost/drift", { token: read })).status).toBe(404);
  });

  it("draws the graph: JSON by default, SVG and Mermaid with their types, one environment's resources; bad queries 4xx", async () => {
    const g = await (await call(main.url, "/api/v1/graph", { token: read })).json();
    expect(g.nodes).toContainEqual({ name: "dev", status: "deployed-ok", template: "basic@1.1.0" });
    const svg = await call(main.url, "/api/v1/graph?format=svg&focus=dev", { token: read });
    expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(await svg.text()).toContain(">dev</text>");
    const m = await call(main.url, "/api/v1/graph?format=mermaid", { token: read });
    expect(m.headers.get("content-type")).toBe("text/vnd.mermaid; charset=utf-8");
    expect(await m.text()).toMatch(/^flowchart LR\n {2}env_dev\["dev<br\/>/);
    const r = await (await call(main.url, "/api/v1/graph?resources=dev", { token: read })).json();
    expect(r.environment).toBe("dev");
    expect(r.nodes.length).toBeGreaterThan(0);
    expect((await call(main.url, "/api/v1/graph?resources=ghost", { token: read })).status).toBe(404);
    expect((await call(main.url, "/api/v1/graph?resources=dev&depth=2", { token: read })).status).toBe(422);
    expect((await call(main.url, "/api/v1/graph?format=png", { token: read })).status).toBe(400);
    expect((await call(main.url, "/api/v1/graph?depth=-1&focus=dev", { token: read })).status).toBe(400);
  });

  it("checks health (POST …/health): nothing to check answers at once; GET …/health is 404 before a check", async () => {
    const r = await call(main.url, "/api/v1/environments/dev/health", { method: "POST", token: write });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "done", environment: "dev", health: { state: "none", checks: [] } });
    const none = await call(main.url, "/api/v1/environments/dev/health", { token: read });
    expect(none.status).toBe(404);
    expect((await none.json()).detail).toBe("environment dev has had no health check yet: POST /api/v1/environments/dev/health checks it now");
    expect((await call(main.url, "/api/v1/environments/ghost/health", { method: "POST", token: write })).status).toBe(404);
  });

  it("serves Prometheus metrics without a token: operations, drift checks, environments, workers, requests", async () => {
    const r = await call(main.url, "/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    expect(text).toMatch(/^infra_operations_finished_total\{kind="create",result="succeeded"\} [1-9]/m);
    expect(text).toMatch(/^infra_operation_duration_seconds_count\{kind="create",result="succeeded"\} [1-9]/m);
    expect(text).toMatch(/^infra_drift_checks_total\{result="in-sync"\} 1$/m);
    expect(text).toMatch(/^infra_environments\{status="deployed-ok"\} [1-9]/m);
    expect(text).toMatch(/^infra_workers 2$/m);
    expect(text).toMatch(/^infra_workers_busy 0$/m);
    expect(text).toMatch(/^infra_http_requests_total\{method="POST",route="\/api\/v1\/environments",status="202"\} [1-9]/m);
    expect(text).toMatch(/^infra_process_resident_memory_bytes \d+/m);
    // Names of environments are not labels: the scrape does not grow with the registry.
    expect(text).not.toMatch(/environment="/);
  });

  it("returns the same operation for a repeated POST with the same Idempotency-Key", async () => {
    const post = () =>
      call(main.url, "/api/v1/environments", {
        method: "POST",
        token: write,
        headers: { "idempotency-key": "create-qa-1" },
        body: JSON.stringify({ name: "qa", template: "basic", params: { apiToken: "t" } }),
      });
    const a = await (await post()).json();
    const b = await (await post()).json();
    expect(b.operationId).toBe(a.operationId);
    expect(b.replayed).toBe(true);
    await events(main.url, a.operationId);
    // The same key with another request is refused (the IETF draft's 422), never answered with the first one's operation.
    const other = await call(main.url, "/api/v1/environments", {
      method: "POST",
      token: write,
      headers: { "idempotency-key": "create-qa-1" },
      body: JSON.stringify({ name: "qa2", template: "basic", params: { apiToken: "t" } }),
    });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ field: "idempotencyKey", detail: expect.stringMatching(/this key was used for another request/) });
  });

  it("lists with filters and pages; lists templates", async () => {
    const all = await (await call(main.url, "/api/v1/environments?limit=1", { token: read })).json();
    expect(all).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(all.items).toHaveLength(1);
    const page2 = await (await call(main.url, "/api/v1/environments?limit=1&offset=1", { token: read })).json();
    expect(page2.items[0].name).not.toBe(all.items[0].name);
    const tagged = await (await call(main.url, "/api/v1/environments?tag=team=core", { token: read })).json();
    expect(tagged.items.map((e: { name: string }) => e.name)).toEqual(["dev"]);
    const t = await (await call(main.url, "/api/v1/templates/basic", { token: read })).json();
    expect(t.versions.map((v: { version: string }) => v.version).sort()).toEqual(["1.0.0", "1.1.0"]);
  });

  it("updates and destroys through PATCH and DELETE", async () => {
    const u = await (
      await call(main.url, "/api/v1/environments/dev", { method: "PATCH", token: write, body: JSON.stringify({ params: { greeting: "bonjour" } }) })
    ).json();
    expect((await events(main.url, u.operationId)).at(-1)!.data.result).toBe("succeeded");
    expect((await (await call(main.url, "/api/v1/environments/dev", { token: read })).json()).params.greeting).toBe("bonjour");
    const d = await call(main.url, "/api/v1/environments/qa", { method: "DELETE", token: write });
    expect(d.status).toBe(202);
    expect((await events(main.url, (await d.json()).operationId)).at(-1)!.data.result).toBe("succeeded");
    expect((await (await call(main.url, "/api/v1/environments/qa", { token: read })).json()).status).toBe("destroyed");
    // Destroying what is destroyed is not an error, and starts nothing.
    const before = (await (await call(main.url, "/api/v1/environments/qa/operations", { token: read })).json()).items.length;
    const again = await call(main.url, "/api/v1/environments/qa", { method: "DELETE", token: write });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "unchanged", reason: "already-destroyed", environment: "qa" });
    expect((await (await call(main.url, "/api/v1/environments/qa/operations", { token: read })).json()).items.length).toBe(before);
  });

  it("says a refusal's remedy in the API's words, with the field and what is allowed as data", async () => {
    const r = await call(main.url, "/api/v1/environments", {
      method: "POST",
      token: write,
      body: JSON.stringify({ name: "dev", template: "basic", params: { apiToken: "t" } }),
    });
    expect(r.status).toBe(409);
    const body = await r.json();
    expect(body.detail).toBe("environment dev already exists (deployed-ok): pick another name, or PATCH /api/v1/environments/dev");
    expect(body.remedy).toEqual({ run: "update", environment: "dev", or: true });
    const ttl = await (
      await call(main.url, "/api/v1/environments", {
        method: "POST",
        token: write,
        body: JSON.stringify({ name: "x", template: "basic", ttl: "", location: "" }),
      })
    ).json();
    expect(ttl.status).toBe(400);
    const loc = await (
      await call(main.url, "/api/v1/environments", { method: "POST", token: write, body: JSON.stringify({ name: "x", template: "basic", location: "mars" }) })
    ).json();
    expect(loc).toMatchObject({ status: 422, field: "location", value: "mars" });
    for (const b of [body, ttl, loc]) expect(JSON.stringify(b)).not.toMatch(/--[a-z]/);
    const unauth = await call(main.url, "/api/v1/environments");
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("answers bad input with problem+json and a 4xx, never a 5xx", async () => {
    const post = (body: string, token = write) => call(main.url, "/api/v1/environments", { method: "POST", token, body });
    const cases: [Promise<Reply>, number, RegExp][] = [
      [post('{"name":"x",'), 400, /not valid JSON/],
      [post('{"name":"x","template":3}'), 400, /body\/template must be string/],
      [post('{"name":"x","template":"basic","force":true}'), 400, /body: unknown field 'force'/],
      [post('{"name":"x","template":"basic","params":{"a":{"b":1}}}'), 400, /params/],
      [post('{"name":"$(reboot)","template":"basic"}'), 400, /body\/name must match pattern/],
      [post(JSON.stringify({ name: "x", template: "a".repeat(300_000) })), 413, /too large/],
      [post('{"name":"x","template":"nosuch"}'), 422, /unknown template 'nosuch'/],
      [post('{"name":"dev","template":"basic","params":{"apiToken":"t"}}'), 409, /dev/],
      [post('{"name":"x","template":"basic","params":{"apiToken":"t"}}', read), 403, /may only read/],
      [call(main.url, "/api/v1/environments/..%2F..%2Fetc", { token: read }), 400, /params\/name must match pattern/],
      [call(main.url, "/api/v1/environments/nope", { token: read }), 404, /no environment named nope/],
      [call(main.url, "/api/v1/nowhere", { token: read }), 404, /no route GET \/api\/v1\/nowhere/],
      [call(main.url, "/api/v1/environments?limit=lots", { token: read }), 400, /querystring\/limit/],
      [call(main.url, "/api/v1/environments/dev", { method: "PATCH", token: write, body: "{}" }), 400, /fewer than 1 properties/],
      [
        call(main.url, "/api/v1/environments/dev", { method: "PUT", token: write, body: "{}" }),
        405,
        /PUT is not a method of \/api\/v1\/environments\/:name: use GET, HEAD, DELETE, PATCH/,
      ],
      [call(main.url, "/api/v1/health/%E0%A4%A"), 400, /not a valid url component/],
      [call(main.url, "/api/v1/environments?tag=no-equals", { token: read }), 400, /querystring\/tag/],
    ];
    for (const [res, status, detail] of cases) {
      const r = await res;
      const body = await r.json();
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status, type: "about:blank" });
      expect(body.detail).toMatch(detail);
      expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
    }
  });

  it("publishes an OpenAPI 3.1 document of its routes", async () => {
    const doc = await (await call(main.url, "/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/environments", "/api/v1/environments/{name}", "/api/v1/operations/{id}/events"]));
    expect(doc.paths["/api/v1/environments"].post.requestBody.content["application/json"].schema.required).toEqual(["name", "template"]);
  });
});

describe("tokens", () => {
  it("a revoked token is refused at once", async () => {
    const t = home.run(["server", "token", "create", "--name", "temp"]).stdout.trim();
    expect((await call(main.url, "/api/v1/environments", { token: t })).status).toBe(200);
    expect(home.run(["server", "token", "revoke", "temp"]).code).toBe(0);
    expect((await call(main.url, "/api/v1/environments", { token: t })).status).toBe(401);
    const list = home.run(["server", "token", "list"]).stdout;
    expect(list).toMatch(/^temp +read /m);
    expect(list).not.toContain(t);
  });
});

describe("a secondary", () => {
  it("serves reads and refuses changes with 503, naming the primary", async () => {
    const s = await startServer(["--secondary", "--primary-cluster-name", "meta-east"]);
    expect((await (await call(s.url, "/api/v1/environments/dev", { token: read })).json()).status).toBe("deployed-ok");
    const r = await call(s.url, "/api/v1/environments", { method: "POST", token: write, body: JSON.stringify({ name: "x", template: "basic" }) });
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ primary: "meta-east", detail: "this server is a secondary of meta-east: send changes to the primary" });
    expect((await call(s.url, "/api/v1/ready")).status).toBe(200);
    s.proc.kill("SIGTERM");
  });
});

describe("busy workers", () => {
  it("answer 429 with Retry-After when every worker is taken", async () => {
    const s = await startServer(["--concurrency", "1"]);
    const first = await call(s.url, "/api/v1/environments", {
      method: "POST",
      token: write,
      body: JSON.stringify({ name: "nap-1", template: "slow", params: { seconds: 3 } }),
    });
    expect(first.status).toBe(202);
    const second = await call(s.url, "/api/v1/environments", {
      method: "POST",
      token: write,
      body: JSON.stringify({ name: "nap-2", template: "slow", params: { seconds: 0 } }),
    });
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("5");
    expect((await second.json()).detail).toMatch(/^1 operation is running \(the server.s --concurrency\): retry later$/);
    expect((await events(s.url, (await first.json()).operationId)).at(-1)!.data.result).toBe("succeeded");
    expect((await call(s.url, "/api/v1/environments/nap-2", { token: read })).status).toBe(404); // refused: nothing written
    s.proc.kill("SIGTERM");
  });
});

describe("the reaper on a schedule", () => {
  it("destroys an expired environment by itself", async () => {
    const s = await startServer(["--reap-every", "2s"]);
    const r = await (
      await call(s.url, "/api/v1/environments", {
        method: "POST",
        token: write,
        body: JSON.stringify({ name: "pr-9", template: "basic", params: { apiToken: "t" }, ttl: "1h" }),
      })
    ).json();
    await events(s.url, r.operationId);
    const { SqliteRegistry } = await import("../../../src/registry/sqlite.js");
    const reg = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
    await reg.setExpiry("pr-9", "2020-01-01T00:00:00.000Z", "test");
    let status = "";
    for (let i = 0; i < 60 && status !== "destroyed"; i++) {
      await new Promise((res) => setTimeout(res, 1000));
      status = (await reg.get("pr-9"))!.status;
    }
    expect(status).toBe("destroyed");
    expect((await reg.operations("pr-9")).at(-1)).toMatchObject({ kind: "destroy", who: "reaper", result: "succeeded" });
    await reg.close();
    s.proc.kill("SIGTERM");
  }, 120_000);
});

describe("the day-2 sweep on a schedule", () => {
  it("checks every deployed environment as the drift checker: drift, then health, which fails it when its endpoint is gone", async () => {
    const status = statusServer(home.dir);
    await status.start();
    const s = await startServer(["--drift-every", "2s", "--reap-every", "off"]);
    const r = await (
      await call(s.url, "/api/v1/environments", {
        method: "POST",
        token: write,
        body: JSON.stringify({ name: "watched", template: "probed", params: { statusUrl: status.url() } }),
      })
    ).json();
    await events(s.url, r.operationId);
    await status.stop();
    const { SqliteRegistry } = await import("../../../src/registry/sqlite.js");
    const reg = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
    let env = await reg.get("watched");
    for (let i = 0; i < 60 && env?.status !== "deployed-fail"; i++) {
      await new Promise((res) => setTimeout(res, 1000));
      env = await reg.get("watched");
    }
    expect(env?.status).toBe("deployed-fail");
    const ops = (await reg.operations("watched")).filter((o) => o.who === "drift-checker").map((o) => o.kind);
    expect(ops).toContain("drift");
    expect(ops).toContain("health");
    const audit = await reg.auditLog({ environment: "watched", action: "health-check", limit: 1 });
    expect(audit[0]).toMatchObject({ who: "drift-checker", detail: { state: "failing" } });
    await reg.close();
    s.proc.kill("SIGTERM");
  }, 120_000);

  it("refuses a sweep concurrency above the server's", () => {
    const r = home.run(["server", "--listen", "127.0.0.1:1", "--concurrency", "1", "--drift-concurrency", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("infra: --drift-concurrency: a whole number from 1 to the server's --concurrency (1)");
  });
});

describe("SIGTERM", () => {
  it("stops taking work, interrupts what outlives the grace period, and leaves it recoverable", async () => {
    const s = await startServer(["--grace", "1"]);
    const r = await (
      await call(s.url, "/api/v1/environments", {
        method: "POST",
        token: write,
        body: JSON.stringify({ name: "slowpoke", template: "slow", params: { seconds: 25 } }),
      })
    ).json();
    await new Promise((res) => setTimeout(res, 1500));
    const exited = new Promise<number | null>((res) => s.proc.on("exit", (code) => res(code)));
    const t = Date.now();
    s.proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(20_000); // the grace, then at most 10 s for the engine to stop
    expect(s.log()).toContain("interrupted: infra env recover brings them back");
    const env = home.json<Record<string, any>>(["env", "show", "slowpoke"]);
    expect(env.status).toBe("interrupted");
    void r;
    // Moving again: a destroy takes an interrupted environment (recover would sleep the minute again).
    const d = home.run(["env", "destroy", "slowpoke", "--yes"]);
    expect(d.code, d.stderr).toBe(0);
  }, 200_000);
});
