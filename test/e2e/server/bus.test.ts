// `infra server --amqp-url` with a real RabbitMQ (started by the test command):
// a command in, notifications out, de-duplication, dead letters with their
// reason, retries while an environment is locked, and a broker restart
// mid-run that loses no command.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearCommandQueues } from "../../helpers/bus.js";
import { BIN, makeHome, type Home } from "../../helpers/cli.js";
import { freePort } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
if (!AMQP) throw new Error('INFRA_TEST_AMQP_URL is not set: run the tests with npm test (it starts RabbitMQ), or eval "$(bash scripts/services.sh start)"');

let home: Home;
let server: ChildProcess;
let log = "";
let conn: amqp.ChannelModel;
let ch: amqp.ConfirmChannel;
const seen: { key: string; body: any }[] = [];

/** rabbitmqctl against the test broker (its environment from scripts/services.sh). */
const rabbitmqctl = (...args: string[]) =>
  execFileSync("bash", ["-c", `. "$INFRA_TEST_RABBITMQ_ENV" && /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@"`, "rabbitmqctl", ...args], {
    encoding: "utf8",
  });

async function listen(): Promise<void> {
  conn = await amqp.connect(AMQP!);
  conn.on("error", () => {}); // the broker restart closes it: "close" says so
  ch = await conn.createConfirmChannel();
  await ch.assertExchange("infra.events", "topic", { durable: true });
  const q = await ch.assertQueue("", { exclusive: true });
  await ch.bindQueue(q.queue, "infra.events", "environment.#");
  await ch.consume(q.queue, (m) => m && seen.push({ key: m.fields.routingKey, body: JSON.parse(m.content.toString()) }), { noAck: true });
}

const send = (command: object | string) =>
  new Promise<void>((resolve, reject) =>
    ch.publish(
      "infra.commands",
      "command",
      Buffer.from(typeof command === "string" ? command : JSON.stringify(command)),
      { persistent: true, appId: "e2e" },
      (err) => (err ? reject(err) : resolve()),
    ),
  );

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, seconds = 90): Promise<T> {
  for (let i = 0; i < seconds * 4; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`waited ${seconds} s for ${what}; server log: ${log.slice(-2000)}`);
}

const note = (key: string) => seen.find((n) => n.key === key);

beforeAll(async () => {
  home = makeHome("infra-bus-");
  await clearCommandQueues(AMQP!);
  const port = await freePort();
  server = spawn(process.execPath, [BIN, "server", "--listen", `127.0.0.1:${port}`, "--concurrency", "2"], {
    env: { ...home.env, INFRA_AMQP_URL: AMQP },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  await waitFor("the server on the bus", () => log.includes("consuming infra.commands"));
  await listen();
});
afterAll(async () => {
  server?.kill("SIGKILL");
  await conn?.close().catch(() => {});
});

describe("commands over AMQP", () => {
  it("a create: notified started, then succeeded; the registry has it", async () => {
    await send({ version: 1, idempotencyKey: "c-1", kind: "create", environment: "dev", template: "basic", params: { apiToken: "amqp-s3cret" } });
    const done = await waitFor("succeeded", () => note("environment.dev.succeeded"));
    expect(note("environment.dev.started")!.body).toMatchObject({ environment: "dev", kind: "create" });
    expect(done.body).toMatchObject({ environment: "dev", changes: { create: expect.any(Number) } });
    expect(home.json<Record<string, any>>(["env", "show", "dev"]).status).toBe("deployed-ok");
    expect(JSON.stringify(seen)).not.toContain("amqp-s3cret");
    expect(log).not.toContain("amqp-s3cret");
  });

  it("the same idempotency key again runs nothing", async () => {
    const transitions = () => home.json<{ history: unknown[] }>(["env", "history", "dev"]).history.length;
    const before = transitions();
    // The same command again (a redelivery, a retry): nothing runs.
    await send({ version: 1, idempotencyKey: "c-1", kind: "create", environment: "dev", template: "basic", params: { apiToken: "amqp-s3cret" } });
    await send({ version: 1, idempotencyKey: "u-1", kind: "update", environment: "dev", params: { greeting: "hallo" } });
    await waitFor("the update", () => note("environment.dev.succeeded") && seen.filter((n) => n.key === "environment.dev.succeeded").length === 2);
    expect(home.json<Record<string, any>>(["env", "show", "dev"]).params.greeting).toBe("hallo");
    expect(transitions()).toBe(before + 2); // the update's two transitions, no second create
  });

  it("a message that is not a command goes to the dead-letter queue with the reason", async () => {
    await send("{not json");
    await send({ version: 1, idempotencyKey: "bad-1", kind: "explode", environment: "dev" });
    await send({ version: 1, idempotencyKey: "bad-2", kind: "create", environment: "x", template: "nosuch" });
    // A key already used, for another command: refused, never answered with the first one's operation.
    await send({ version: 1, idempotencyKey: "c-1", kind: "create", environment: "dev", template: "basic", params: { apiToken: "other" } });
    // A remedy in the message's own words.
    await send({ version: 1, idempotencyKey: "bad-3", kind: "create", environment: "dev", template: "basic", params: { apiToken: "x" } });
    const dead: { reason: string }[] = [];
    await waitFor("five dead letters", async () => {
      const m = await ch.get("infra.commands.dead", { noAck: true });
      if (m) dead.push({ reason: String(m.properties.headers?.["x-infra-reason"]) });
      return dead.length === 5;
    });
    // The workers take two at a time: the order among them is not promised.
    expect(dead).toHaveLength(5);
    expect(dead.map((d) => d.reason)).toEqual(
      expect.arrayContaining([
        "the message is not JSON",
        "invalid kind 'explode': one of create, update, upgrade, destroy, recover, reap, extend, unlock, forget, drift, reconcile, refresh, health, record, apply",
        expect.stringMatching(/unknown template 'nosuch'/),
        expect.stringMatching(/^idempotencyKey: this key was used for another request \(operation [0-9a-f-]{36}\): use a new key for a new request$/),
        'environment dev already exists (deployed-ok): pick another name, or send {"kind":"update","environment":"dev"}',
      ]),
    );
    expect(dead.map((d) => d.reason).join("\n")).not.toContain("--");
    expect(note("environment.x.rejected")!.body.reason).toMatch(/unknown template 'nosuch'/);
  });

  it("a command for a locked environment is retried with backoff until it runs", async () => {
    await send({ version: 1, idempotencyKey: "s-1", kind: "create", environment: "slowpoke", template: "slow", params: { seconds: 4 } });
    await waitFor("the slow create started", () => note("environment.slowpoke.started"));
    await send({ version: 1, idempotencyKey: "s-2", kind: "update", environment: "slowpoke", params: { seconds: 0 } });
    await waitFor("both done", () => seen.filter((n) => n.key === "environment.slowpoke.succeeded").length === 2, 120);
    expect(log).not.toContain('dead-lettered","reason":"environment slowpoke is locked');
  });

  it("loses no command when the broker restarts mid-run", async () => {
    await conn.close().catch(() => {}); // the test's own connection, before the broker goes
    rabbitmqctl("stop_app");
    rabbitmqctl("start_app");
    await listen();
    await waitFor("the server back on the bus", () => (log.match(/consuming infra\.commands/g) ?? []).length >= 2, 120);
    await send({ version: 1, idempotencyKey: "after-restart", kind: "create", environment: "later", template: "basic", params: { apiToken: "t" } });
    await waitFor("the command after the restart", () => note("environment.later.succeeded"), 120);
  });
});
