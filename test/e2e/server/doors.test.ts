// One front door, four ways in: the CLI on this machine, the CLI logged in to
// a running infra server, raw REST, and AMQP (a real RabbitMQ). Each runs
// create -> update -> destroy of the basic fixture with the server's
// INFRA_LOCATION set to a non-default value; all four record the same
// location, parameters and status history, and the audit log names each
// actor. Secrets from --param-file never appear in any process's arguments.
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import amqp from "amqplib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, exited, makeHome, type Home } from "../../helpers/cli.js";
import { api, operationEnd, startServer, waitFor, writeToken, type TestServer } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
if (!AMQP) throw new Error("INFRA_TEST_AMQP_URL is not set: run the tests with npm test");

const SECRET = "s3cret-from-a-file-4471";
const STDIN_SECRET = "s3cret-from-stdin-9183";
let server: Home;
let client: Home;
let srv: TestServer;
let token: string;
let conn: amqp.ChannelModel;
let ch: amqp.ConfirmChannel;

/** Every process's arguments, read while something runs: a secret must never be among them. */
function watchArgv(): { stop(): string[] } {
  const hits: string[] = [];
  const look = () => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      let argv = "";
      try {
        argv = readFileSync(`/proc/${pid}/cmdline`, "latin1");
      } catch {
        continue;
      }
      for (const s of [SECRET, STDIN_SECRET, token]) if (s && argv.includes(s)) hits.push(`${pid}: ${argv.replace(/\0/g, " ").slice(0, 200)}`);
    }
  };
  const timer = setInterval(look, 15);
  return {
    stop() {
      clearInterval(timer);
      look();
      return hits;
    },
  };
}

beforeAll(async () => {
  server = makeHome("infra-doors-server-");
  server.env.INFRA_LOCATION = "local";
  token = writeToken(server, "rest");
  srv = await startServer(server, ["--concurrency", "2"], { INFRA_AMQP_URL: AMQP });
  await waitFor("the bus", () => srv.log().includes("consuming infra.commands"), 60, srv.log);
  client = makeHome("infra-doors-client-");
  delete client.env.INFRA_PASSPHRASE; // a client needs no passphrase: the server holds it
  conn = await amqp.connect(AMQP!);
  ch = await conn.createConfirmChannel();
});
afterAll(async () => {
  srv?.proc.kill("SIGKILL");
  await conn?.close().catch(() => {});
});

const send = (command: object) =>
  new Promise<void>((resolve, reject) =>
    ch.publish("infra.commands", "command", Buffer.from(JSON.stringify(command)), { persistent: true, appId: "doors" }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );

async function settled(name: string, want: string): Promise<void> {
  await waitFor(
    `${name} ${want}`,
    async () => {
      const r = await api(srv.url, `/api/v1/environments/${name}`, token);
      return r.ok && ((await r.json()) as { status: string }).status === want;
    },
    120,
    srv.log,
  );
}

describe("four doors", () => {
  it("the CLI on the server's machine", async () => {
    const file = join(server.dir, "secrets.yaml");
    writeFileSync(file, `apiToken: ${SECRET}\n`, { mode: 0o600 });
    const argv = watchArgv();
    expect(server.run(["env", "create", "door-cli", "-t", "basic", "--param-file", file]).code).toBe(0);
    const child = spawn(process.execPath, [BIN, "env", "update", "door-cli", "--param-file", "-", "-p", "greeting=bonjour", "--yes"], {
      env: server.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin!.end(`apiToken: ${STDIN_SECRET}\n`);
    expect((await exited(child)).code).toBe(0);
    expect(server.run(["env", "destroy", "door-cli", "--yes"]).code).toBe(0);
    expect(argv.stop()).toEqual([]);
  });

  it("the CLI logged in to the server", async () => {
    const tokenFile = join(client.dir, "token");
    const cliToken = writeToken(server, "cli");
    writeFileSync(tokenFile, cliToken, { mode: 0o600 });
    const argv = watchArgv();
    const login = client.run(["login", srv.url, "--token-file", tokenFile]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^logged in to http:\/\/127\.0\.0\.1:\d+ as token cli \(write\)/);
    expect(login.stdout + login.stderr).not.toContain(cliToken);
    const file = join(client.dir, "secrets.yaml");
    writeFileSync(file, `apiToken: ${SECRET}\n`, { mode: 0o600 });
    const c = client.run(["env", "create", "door-login", "-t", "basic", "--param-file", file]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/^door-login: deployed-ok \(basic@1\.1\.0\)/);
    expect(client.run(["env", "update", "door-login", "-p", "greeting=bonjour", "--yes"]).code).toBe(0);
    expect(client.run(["env", "destroy", "door-login", "--yes"]).code).toBe(0);
    expect(argv.stop()).toEqual([]);
    // A client holds no registry of its own; its list is the server's.
    expect(existsSync(join(client.env.INFRA_HOME!, "registry.db"))).toBe(false);
    const listed = client.json(["env", "list"]);
    expect(listed).toEqual(await (await api(srv.url, "/api/v1/environments", token)).json());
    // Templates are the server's too (its INFRA_TEMPLATE_PATH, not the client's).
    expect(client.json(["template", "list"])).toEqual(await (await api(srv.url, "/api/v1/templates", token)).json());
    const show = client.run(["template", "show", "basic@1.0.0"], { INFRA_TEMPLATE_PATH: "" });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^basic@1\.0\.0 {2}\(.*\)\n/);
    expect(show.stdout).toMatch(/^ {2}apiToken \(string; required, secret\)/m);
  });

  it("raw REST", async () => {
    const post = await api(srv.url, "/api/v1/environments", token, {
      method: "POST",
      headers: { "idempotency-key": "door-rest-1" },
      body: JSON.stringify({ name: "door-rest", template: "basic", params: { apiToken: SECRET } }),
    });
    expect(post.status).toBe(202);
    expect(await operationEnd(srv.url, token, ((await post.json()) as { operationId: string }).operationId)).toBe("succeeded");
    const patch = await api(srv.url, "/api/v1/environments/door-rest", token, { method: "PATCH", body: JSON.stringify({ params: { greeting: "bonjour" } }) });
    expect(await operationEnd(srv.url, token, ((await patch.json()) as { operationId: string }).operationId)).toBe("succeeded");
    const del = await api(srv.url, "/api/v1/environments/door-rest", token, { method: "DELETE" });
    expect(await operationEnd(srv.url, token, ((await del.json()) as { operationId: string }).operationId)).toBe("succeeded");
  });

  it("AMQP", async () => {
    await send({ version: 1, idempotencyKey: "door-amqp-c", kind: "create", environment: "door-amqp", template: "basic", params: { apiToken: SECRET } });
    await settled("door-amqp", "deployed-ok");
    await send({ version: 1, idempotencyKey: "door-amqp-u", kind: "update", environment: "door-amqp", params: { greeting: "bonjour" } });
    await waitFor(
      "the update",
      async () =>
        ((await (await api(srv.url, "/api/v1/environments/door-amqp", token)).json()) as { params: { greeting: string } }).params.greeting === "bonjour",
      120,
      srv.log,
    );
    await settled("door-amqp", "deployed-ok");
    await send({ version: 1, idempotencyKey: "door-amqp-d", kind: "destroy", environment: "door-amqp" });
    await settled("door-amqp", "destroyed");
  });

  it("all four recorded the same location, parameters and history, and the audit names each actor", async () => {
    const doors = ["door-cli", "door-login", "door-rest", "door-amqp"];
    const seen = await Promise.all(
      doors.map(async (d) => {
        const env = (await (await api(srv.url, `/api/v1/environments/${d}`, token)).json()) as { location: string; params: unknown; status: string };
        const history = ((await (await api(srv.url, `/api/v1/environments/${d}/history`, token)).json()) as { items: { from: string; to: string }[] }).items;
        return { location: env.location, params: env.params, status: env.status, history: history.map((h) => `${h.from}>${h.to}`) };
      }),
    );
    for (const s of seen) expect(s).toEqual(seen[0]);
    expect(seen[0]).toMatchObject({ location: "local", status: "destroyed", params: { apiToken: "[secret]", greeting: "bonjour" } });
    const db = new Database(join(server.env.INFRA_HOME!, "registry.db"), { readonly: true });
    const who = (name: string) =>
      (db.prepare("SELECT DISTINCT a.who FROM audit a JOIN environments e ON e.id = a.env_id WHERE e.name = ?").all(name) as { who: string }[]).map(
        (r) => r.who,
      );
    expect(who("door-cli")).toEqual([expect.stringMatching(/^\S+@\S+$/)]);
    expect(who("door-login")).toEqual(["token:cli"]);
    expect(who("door-rest")).toEqual(["token:rest"]);
    expect(who("door-amqp")).toEqual(["amqp:doors"]);
    db.close();
  });
});

describe("the CLI as a client, when things go wrong", () => {
  it("a wrong token, a revoked one, and a server that is down: one line each", async () => {
    const bad = makeHome("infra-doors-bad-");
    const wrong = bad.run(["env", "list"], { INFRA_SERVER: srv.url, INFRA_TOKEN: "infra_notarealtoken" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^infra: http:\/\/127\.0\.0\.1:\d+ refused the token: unknown or revoked token \(infra login again\)\n$/);
    expect(server.run(["server", "token", "revoke", "cli"]).code).toBe(0);
    const revoked = client.run(["env", "list"]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    const down = bad.run(["env", "list"], { INFRA_SERVER: "http://127.0.0.1:9", INFRA_TOKEN: "infra_x" });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe("infra: cannot reach the server at http://127.0.0.1:9: ECONNREFUSED\n");
    // Commands that only make sense here say so.
    const sandbox = client.run(["sandbox", "status"]);
    expect(sandbox.code).toBe(2);
    expect(sandbox.stderr).toMatch(/^infra: infra sandbox runs on this machine only, and you are logged in to http:\/\/127\.0\.0\.1:\d+/);
    expect(client.run(["logout"]).stdout).toBe("logged out: commands work on this machine's registry again\n");
  });
});
