// Notifications survive a broker that is away and a server that dies: the
// operation writes them in the registry's outbox with its change, and the
// next server publishes them, each once by its stable id. On SQLite and on
// PostgreSQL, against a real RabbitMQ.
import { execFileSync } from "node:child_process";
import amqp from "amqplib";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { makeHome } from "../../helpers/cli.js";
import { api, operationEnd, startServer, waitFor, writeToken, type TestServer } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
const PG = process.env.INFRA_TEST_POSTGRES_URL;
if (!AMQP || !PG) throw new Error("INFRA_TEST_AMQP_URL and INFRA_TEST_POSTGRES_URL are not set: run the tests with npm test");

const rabbitmqctl = (...args: string[]) =>
  execFileSync("bash", ["-c", `. "$INFRA_TEST_RABBITMQ_ENV" && /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@"`, "rabbitmqctl", ...args], {
    encoding: "utf8",
  });

const servers: TestServer[] = [];
afterAll(() => {
  for (const s of servers) s.proc.kill("SIGKILL");
  try {
    rabbitmqctl("start_app"); // whatever happened, the broker runs for the next file
  } catch {
    // running already
  }
});

async function database(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(PG!);
  u.pathname = `/${name}`;
  return u.href;
}

describe.each(["sqlite", "postgres"])("the notifications outbox on %s", (kind) => {
  it("publishes what a server killed while the broker was away had recorded, each once", async () => {
    const home = makeHome(`infra-outbox-${kind}-`);
    if (kind === "postgres") home.env.INFRA_REGISTRY = await database(`infra_outbox_${process.pid}`);
    const token = writeToken(home);
    const env = `ob-${kind.slice(0, 2)}`;

    rabbitmqctl("stop_app");
    const first = await startServer(home, [], { INFRA_AMQP_URL: AMQP });
    servers.push(first);
    const r = await api(first.url, "/api/v1/environments", token, {
      method: "POST",
      body: JSON.stringify({ name: env, template: "basic", params: { apiToken: "t" } }),
    });
    expect(r.status).toBe(202);
    const { operationId } = (await r.json()) as { operationId: string };
    expect(await operationEnd(first.url, token, operationId)).toBe("succeeded");
    first.proc.kill("SIGKILL");
    await new Promise((res) => first.proc.once("exit", res));

    rabbitmqctl("start_app");
    const conn = await amqp.connect(AMQP!);
    const ch = await conn.createChannel();
    await ch.assertExchange("infra.events", "topic", { durable: true });
    const q = await ch.assertQueue("", { exclusive: true });
    await ch.bindQueue(q.queue, "infra.events", `environment.${env}.#`);
    const seen: { key: string; id: string; messageId: string }[] = [];
    await ch.consume(
      q.queue,
      (m) => m && seen.push({ key: m.fields.routingKey, id: JSON.parse(m.content.toString()).id, messageId: String(m.properties.messageId) }),
      { noAck: true },
    );

    const second = await startServer(home, [], { INFRA_AMQP_URL: AMQP });
    servers.push(second);
    await waitFor("both notifications", () => seen.length >= 2, 60, second.log);
    await new Promise((res) => setTimeout(res, 2500)); // a repeat would come within the outbox's next passes
    expect(seen.map((n) => n.key)).toEqual([`environment.${env}.started`, `environment.${env}.succeeded`]);
    expect(seen.map((n) => n.id)).toEqual([`${operationId}:started`, `${operationId}:succeeded`]);
    expect(seen.map((n) => n.messageId)).toEqual(seen.map((n) => n.id));
    second.proc.kill("SIGKILL");
    await conn.close();
  });
});
