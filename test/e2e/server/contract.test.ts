// The API's contract against the running server: the OpenAPI document lints
// clean with Redocly's recommended rules; schemathesis (from PyPI, installed
// by the set-up command) drives the server from it, every check on and the
// stateful phase too, and finds nothing; the AsyncAPI document validates with
// the AsyncAPI parser, and a command made from it gets the notification it
// documents, whose payload fits the documented schema.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Parser } from "@asyncapi/parser";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Ajv } from "ajv";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearCommandQueues } from "../../helpers/bus.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { startServer, type TestServer, waitFor, writeToken } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
if (!AMQP) throw new Error('INFRA_TEST_AMQP_URL is not set: run the tests with npm test (it starts RabbitMQ), or eval "$(bash scripts/services.sh start)"');
const SCHEMATHESIS = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "infra", "schemathesis", "bin", "schemathesis");

let home: Home;
let server: TestServer;
let token: string;

beforeAll(async () => {
  await clearCommandQueues(AMQP!);
  home = makeHome("infra-contract-");
  token = writeToken(home);
  // Creates the generated requests make run where nothing has to start (no sandbox).
  server = await startServer(home, ["--concurrency", "2"], { INFRA_AMQP_URL: AMQP, INFRA_LOCATION: "local" });
  await waitFor("the server on the bus", () => server.log().includes("consuming infra.commands"), 60, server.log);
});
afterAll(() => {
  server?.proc.kill("SIGKILL");
  // A generated request may still name the sandbox: whatever it started goes with the test.
  home?.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("the OpenAPI document", () => {
  it("lints clean with Redocly's recommended rules", async () => {
    const source = await (await fetch(`${server.url}/api/v1/openapi.json`)).text();
    const problems = await lintFromString({ source, absoluteRef: "/openapi.json", config: await createConfig({ extends: ["recommended"] }) });
    // The probes answer 200 or 503 and nothing else: a 4XX would be a lie told to please the rule.
    const probes = ["#/paths/~1api~1v1~1health/get/responses", "#/paths/~1api~1v1~1ready/get/responses"];
    const left = problems.filter((p) => !(p.ruleId === "operation-4xx-response" && probes.includes(p.location[0]?.pointer ?? "")));
    expect(left.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it("schemathesis finds nothing, in every phase, and the server is healthy after", () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: npm run setup installs schemathesis from PyPI`);
    const r = spawnSync(
      SCHEMATHESIS,
      [
        "--config-file",
        resolve("test/contract/schemathesis.toml"),
        "run",
        `${server.url}/api/v1/openapi.json`,
        "--url",
        server.url,
        "--checks",
        "all",
        "--max-examples",
        "40",
        "--seed",
        "20261201",
        "--no-color",
        "-H",
        `Authorization: Bearer ${token}`,
      ],
      // Its example database goes in a folder of its own, not the clone.
      { encoding: "utf8", timeout: 600_000, cwd: mkdtempSync(join(tmpdir(), "infra-schemathesis-")) },
    );
    expect(r.status, `${r.stdout.slice(-6000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stdout).toMatch(/Stateful/);
    expect(r.stdout).not.toMatch(/❌/);
    return fetch(`${server.url}/api/v1/health`).then((h) => expect(h.status).toBe(200));
  }, 660_000);
});

describe("the AsyncAPI document", () => {
  it("validates with the AsyncAPI parser, and a command made from it gets the notification it documents", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/asyncapi.json`)).json()) as any;
    const { document, diagnostics } = await new Parser().parse(doc);
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join(".")}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe("3.0.0");
    const channels = document!
      .channels()
      .all()
      .map((c) => c.address());
    expect(channels).toEqual(["infra.commands", "infra.commands.retry", "infra.commands.dead", "environment.{name}.{event}"]);

    // The documented example, with a template this test's server has.
    const command = doc.components.messages.command;
    const ajv = new Ajv({ strict: false });
    const validCommand = ajv.compile(command.payload.schema);
    const message = { version: 1, idempotencyKey: "contract-1", kind: "create", environment: "by-the-book", template: "basic", params: { apiToken: "t" } };
    expect(validCommand(message), JSON.stringify(validCommand.errors)).toBe(true);
    expect(validCommand({ ...message, idempotencyKey: "has spaces" })).toBe(false);
    expect(validCommand(command.examples[0].payload)).toBe(true);

    const conn = await amqp.connect(AMQP!);
    try {
      const ch = await conn.createConfirmChannel();
      const notifications = doc.channels.notifications;
      const exchange = notifications.bindings.amqp.exchange.name;
      const q = await ch.assertQueue("", { exclusive: true });
      await ch.bindQueue(q.queue, exchange, "environment.by-the-book.*");
      const seen: { key: string; body: unknown }[] = [];
      await ch.consume(q.queue, (m) => m && seen.push({ key: m.fields.routingKey, body: JSON.parse(m.content.toString()) }), { noAck: true });
      const commands = doc.channels.commands;
      // The channel's address is the queue: publishing to it through the default exchange is what it says.
      await new Promise<void>((ok, fail) =>
        ch.sendToQueue(commands.address, Buffer.from(JSON.stringify(message)), { persistent: true, contentType: "application/json" }, (err) =>
          err ? fail(err) : ok(),
        ),
      );
      const done = await waitFor("the succeeded notification", () => seen.find((n) => n.key === "environment.by-the-book.succeeded"), 90, server.log);
      const validNotification = ajv.compile(doc.components.messages.notification.payload);
      for (const n of seen) {
        expect(validNotification(n.body), `${n.key}: ${JSON.stringify(validNotification.errors)}`).toBe(true);
        expect(notifications.parameters.event.enum).toContain(n.key.split(".").at(-1));
      }
      expect(done.body).toMatchObject({ environment: "by-the-book", kind: "create" });
    } finally {
      await conn.close();
    }
  }, 120_000);
});
