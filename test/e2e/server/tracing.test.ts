// infra server's traces, received by an OTLP/HTTP receiver of the test's own
// (what an OpenTelemetry collector listens with): a create through the API
// gives the request's span (continuing the caller's traceparent), the
// operation's under it and each engine step under that; a command over AMQP
// gives a consumer span the same way; the notifications carry the trace, and
// the server's log lines its ids.
import { createServer, type Server } from "node:http";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearCommandQueues } from "../../helpers/bus.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { api, freePort, operationEnd, startServer, type TestServer, waitFor, writeToken } from "../../helpers/server.js";

const AMQP = process.env.INFRA_TEST_AMQP_URL;
if (!AMQP) throw new Error('INFRA_TEST_AMQP_URL is not set: run the tests with npm test (it starts RabbitMQ), or eval "$(bash scripts/services.sh start)"');

interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** OTLP/JSON ids are hex; an exporter set to base64 would send them that way: either reads as hex. */
const hex = (id: string | undefined) => (id === undefined || id === "" ? undefined : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, "base64").toString("hex"));

let receiver: Server;
const spans: ReceivedSpan[] = [];
const posts: string[] = [];
let home: Home;
let server: TestServer;
let token: string;
let conn: amqp.ChannelModel;
let ch: amqp.ConfirmChannel;
const seen: { key: string; headers: Record<string, unknown>; body: any }[] = [];

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER = "00f067aa0ba902b7";

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      posts.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      const doc = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: any[] }[] }[] };
      for (const rs of doc.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans)
            spans.push({
              name: s.name,
              traceId: hex(s.traceId)!,
              spanId: hex(s.spanId)!,
              parentSpanId: hex(s.parentSpanId),
              kind: s.kind,
              attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]])),
            });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => receiver.listen(port, "127.0.0.1", r));

  await clearCommandQueues(AMQP!);

  home = makeHome("infra-tracing-");
  token = writeToken(home);
  server = await startServer(home, ["--concurrency", "2"], {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    INFRA_AMQP_URL: AMQP,
  });
  await waitFor("the server on the bus", () => server.log().includes("consuming infra.commands"), 60, server.log);
  conn = await amqp.connect(AMQP!);
  ch = await conn.createConfirmChannel();
  await ch.assertExchange("infra.events", "topic", { durable: true });
  const q = await ch.assertQueue("", { exclusive: true });
  await ch.bindQueue(q.queue, "infra.events", "environment.#");
  await ch.consume(q.queue, (m) => m && seen.push({ key: m.fields.routingKey, headers: m.properties.headers ?? {}, body: JSON.parse(m.content.toString()) }), {
    noAck: true,
  });
});
afterAll(async () => {
  server?.proc.kill("SIGKILL");
  await conn?.close().catch(() => {});
  receiver?.close();
});

const child = (parent: ReceivedSpan, name?: string) => spans.filter((s) => s.parentSpanId === parent.spanId && (!name || s.name.startsWith(name)));

describe("traces", () => {
  it("a create through the API: the request, its operation and the engine's steps, one trace from the caller's traceparent", async () => {
    const res = await api(server.url, "/api/v1/environments", token, {
      method: "POST",
      body: JSON.stringify({ name: "traced", template: "basic", params: { apiToken: "trace-s3cret" } }),
      headers: { traceparent: `00-${TRACE}-${CALLER}-01` },
    });
    expect(res.status).toBe(202);
    const { operationId } = (await res.json()) as { operationId: string };
    expect(await operationEnd(server.url, token, operationId)).toBe("succeeded");

    const request = await waitFor("the request's span", () => spans.find((s) => s.traceId === TRACE && s.name === "POST /api/v1/environments"), 30);
    expect(request.parentSpanId).toBe(CALLER);
    expect(request.kind).toBe(2); // SERVER
    expect(request.attributes).toMatchObject({ "http.route": "/api/v1/environments", "http.response.status_code": 202 });
    const op = await waitFor("the operation's span", () => child(request, "operation create")[0], 30);
    expect(op.traceId).toBe(TRACE);
    expect(op.attributes).toMatchObject({ "infra.environment": "traced", "infra.operation.id": operationId, "infra.operation.result": "succeeded" });
    const steps = await waitFor("the steps' spans", () => child(op, "create ").length >= 2 && child(op, "create "), 30);
    for (const s of steps) {
      expect(s.traceId).toBe(TRACE);
      expect(String(s.attributes["pulumi.urn"])).toMatch(/^urn:pulumi:traced::/);
      expect(s.name).toBe(`create ${s.attributes["pulumi.type"]}`);
    }
    expect(posts.every((p) => p.startsWith("POST /v1/traces application/json"))).toBe(true);
    expect(JSON.stringify(spans)).not.toContain("trace-s3cret");

    // The notifications carry the trace; the log lines its ids.
    const done = await waitFor("the succeeded notification", () => seen.find((n) => n.key === "environment.traced.succeeded"), 30);
    expect(String(done.headers.traceparent)).toMatch(new RegExp(`^00-${TRACE}-${op.spanId}-01$`));
    const lines = server
      .log()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === "operation started" && l.operation === operationId)).toMatchObject({
      trace_id: TRACE,
      span_id: op.spanId,
      environment: "traced",
    });
    expect(lines.find((l) => l.route === "/api/v1/environments" && l.status === 202)).toMatchObject({ trace_id: TRACE, span_id: request.spanId });
    expect(server.log()).not.toContain("trace-s3cret");
  });

  it("a command over AMQP: a consumer span continuing the message's traceparent, the operation under it", async () => {
    const trace = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const sender = "1122334455667788";
    await new Promise<void>((resolve, reject) =>
      ch.publish(
        "infra.commands",
        "command",
        Buffer.from(JSON.stringify({ version: 1, idempotencyKey: "t-1", kind: "create", environment: "bused", template: "basic", params: { apiToken: "x" } })),
        { persistent: true, appId: "e2e", headers: { traceparent: `00-${trace}-${sender}-01` } },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    const consumer = await waitFor("the consumer span", () => spans.find((s) => s.traceId === trace && s.name === "infra.commands process"), 60);
    expect(consumer.parentSpanId).toBe(sender);
    expect(consumer.kind).toBe(5); // CONSUMER
    expect(consumer.attributes).toMatchObject({ "messaging.system": "rabbitmq", "infra.command.kind": "create" });
    const op = await waitFor("the operation's span", () => child(consumer, "operation create")[0], 60);
    expect(op.attributes).toMatchObject({ "infra.environment": "bused" });
    const started = await waitFor("the started notification", () => seen.find((n) => n.key === "environment.bused.started"), 30);
    expect(String(started.headers.traceparent)).toContain(`-${trace}-`);
  });
});
