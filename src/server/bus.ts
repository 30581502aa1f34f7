// The event bus (AMQP, RabbitMQ): commands in, notifications out.
//
// Commands: a durable queue (infra.commands) of messages validated against the
// published schema (commands.ts). A message is acked once its operation is
// recorded (at-least-once), de-duplicated by its idempotency key, retried
// with exponential backoff through a TTL queue when the workers are busy or an
// environment is locked, and dead-lettered (infra.commands.dead, with the
// reason in the x-infra-reason header) when it cannot ever run.
// Notifications: the topic exchange infra.events, routing key
// environment.<name>.<event> (started, succeeded, failed, interrupted,
// declined, rejected, expired, kept), published with confirms from the
// registry's outbox (src/server/outbox.ts), so none is lost while the broker
// is away or the server dies. The connection comes back with backoff.
import amqp from "amqplib";
import type { Channel, ConfirmChannel, ConsumeMessage } from "amqplib";
import { isMidFlight } from "../core/status.js";
import type { Registry } from "../registry/types.js";
import { messageJsonSchema, parseMessage } from "./commands.js";
import { statusOf } from "./problem.js";
import { kindOf, sayError } from "../core/errors.js";
import type { Submitter } from "./submit.js";
import { NO_TRACING, type Tracing } from "./tracing.js";
import { AMQP_WORDS } from "./words.js";

import { COMMAND_ROUTE as ROUTE, COMMANDS_EXCHANGE, COMMANDS_QUEUE, DEAD_QUEUE, EVENTS_EXCHANGE, RETRY_QUEUE } from "./bus-names.js";

export interface BusLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

export interface BusOptions {
  url: string;
  registry: Registry;
  submitter: Submitter;
  log: BusLog;
  /** A span per command, continuing the trace its traceparent header names. */
  tracing?: Tracing;
  /** Called when notifications may be waiting (connected again, a rejection queued). */
  wake?: () => void;
  prefetch: number;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export class Bus {
  private conn: amqp.ChannelModel | undefined;
  private consume: Channel | undefined;
  private publish_: ConfirmChannel | undefined;
  private closing = false;
  private retries = 0;
  private timer: NodeJS.Timeout | undefined;
  connected = false;

  constructor(private readonly o: BusOptions) {}

  static schema(): unknown {
    return messageJsonSchema();
  }

  async start(): Promise<void> {
    await this.connect().catch((err: Error) => {
      this.o.log.warn({ reason: err.message }, "the bus is not reachable yet: retrying");
      this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    if (this.closing || this.timer) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.retries++, 6));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch((err: Error) => {
        this.o.log.warn({ reason: err.message, retryInMs: delay }, "the bus is still not reachable");
        this.reconnectLater();
      });
    }, delay);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    const conn = await amqp.connect(this.o.url, { timeout: 5000 });
    conn.on("error", () => {}); // "close" follows, and says it
    conn.on("close", () => {
      this.connected = false;
      this.conn = this.consume = this.publish_ = undefined;
      if (!this.closing) {
        this.o.log.warn({}, "the bus connection closed: reconnecting");
        this.reconnectLater();
      }
    });
    const publish = await conn.createConfirmChannel();
    const consume = await conn.createChannel();
    await publish.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
    await publish.assertExchange(COMMANDS_EXCHANGE, "direct", { durable: true });
    await publish.assertQueue(DEAD_QUEUE, { durable: true });
    // A retried command waits here for its delay (per-message expiration), then goes back to the queue.
    await publish.assertQueue(RETRY_QUEUE, { durable: true, deadLetterExchange: COMMANDS_EXCHANGE, deadLetterRoutingKey: ROUTE });
    await publish.assertQueue(COMMANDS_QUEUE, { durable: true });
    await publish.bindQueue(COMMANDS_QUEUE, COMMANDS_EXCHANGE, ROUTE);
    await consume.prefetch(this.o.prefetch);
    this.conn = conn;
    this.publish_ = publish;
    this.consume = consume;
    this.connected = true;
    this.retries = 0;
    await consume.consume(COMMANDS_QUEUE, (msg) => {
      if (msg) void this.handle(consume, msg);
    });
    this.o.log.info({}, "the bus is connected: consuming infra.commands");
    this.o.wake?.(); // the outbox publishes what waited for the broker
  }

  private async handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    const attempt = Number(msg.properties.headers?.["x-infra-attempt"] ?? 0);
    const parsed = parseMessage(msg.content);
    try {
      if (!parsed.ok) return await this.dead(ch, msg, parsed.reason);
      const m = parsed.message;
      try {
        const attributes = {
          "messaging.destination.name": COMMANDS_QUEUE,
          "messaging.message.id": m.idempotencyKey,
          ...(m.kind && { "infra.command.kind": m.kind }),
        };
        await (this.o.tracing ?? NO_TRACING).consume(msg.properties.headers, attributes, () =>
          this.o.submitter.submit(m.command, { who: `amqp:${String(msg.properties.appId ?? "bus").slice(0, 64)}`, scope: "amqp", key: m.idempotencyKey }),
        );
        ch.ack(msg);
      } catch (err) {
        const status = statusOf(err);
        const reason = sayError(err, AMQP_WORDS).split("\n")[0]!;
        // Busy workers, a lock held by a running operation, a registry that failed: later.
        if (status === 429 || status >= 500 || kindOf(err) === "locked" || (m.environment && (await this.busy(m.environment))))
          return await this.retry(ch, msg, attempt, reason);
        if (m.environment) {
          await this.o.registry
            .enqueue([
              {
                id: `rejected:${m.idempotencyKey}`,
                key: `environment.${m.environment}.rejected`,
                body: { environment: m.environment, kind: m.kind, idempotencyKey: m.idempotencyKey, reason },
              },
            ])
            .catch(() => {});
          this.o.wake?.();
        }
        await this.dead(ch, msg, reason);
      }
    } catch (err) {
      // The channel went away mid-way: the broker redelivers the message (unacked).
      this.o.log.warn({ reason: (err as Error).message }, "a command was not settled: the broker will redeliver it");
    }
  }

  /** An operation is running on the environment (its refusal is for now, not for ever). */
  private async busy(name: string): Promise<boolean> {
    const env = await this.o.registry.get(name).catch(() => undefined);
    return isMidFlight(env?.status);
  }

  private async retry(ch: Channel, msg: ConsumeMessage, attempt: number, reason: string): Promise<void> {
    const max = this.o.maxAttempts ?? 8;
    if (attempt + 1 >= max) return this.dead(ch, msg, `gave up after ${max} attempts: ${reason}`);
    const delay = (this.o.baseDelayMs ?? 1000) * 2 ** attempt;
    await this.send(RETRY_QUEUE, msg, { "x-infra-attempt": attempt + 1, "x-infra-last-reason": reason }, String(delay));
    ch.ack(msg);
  }

  private async dead(ch: Channel, msg: ConsumeMessage, reason: string): Promise<void> {
    this.o.log.warn({ reason }, "a command was dead-lettered");
    await this.send(DEAD_QUEUE, msg, { "x-infra-reason": reason.slice(0, 1000) });
    ch.ack(msg);
  }

  /** Puts a copy of the message on a queue and waits for the broker's confirm. */
  private send(queue: string, msg: ConsumeMessage, headers: Record<string, unknown>, expiration?: string): Promise<void> {
    const pub = this.publish_;
    if (!pub) return Promise.reject(new Error("the bus is not connected"));
    return new Promise((resolve, reject) => {
      pub.sendToQueue(
        queue,
        msg.content,
        {
          persistent: true,
          contentType: msg.properties.contentType ?? "application/json",
          headers: { ...msg.properties.headers, ...headers },
          ...(msg.properties.appId && { appId: msg.properties.appId }),
          ...(expiration && { expiration }),
        },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  /**
   * Publishes one notification and waits for the broker's confirm; rejects
   * when the broker is away (the outbox keeps it and tries again). Each
   * carries its stable id as the message id, so a consumer drops a repeat.
   */
  publish(n: { id: string; key: string; body: Record<string, unknown>; headers?: Record<string, string> }): Promise<void> {
    const pub = this.publish_;
    if (!pub || !this.connected) return Promise.reject(new Error("the bus is not connected"));
    return new Promise((resolve, reject) => {
      pub.publish(
        EVENTS_EXCHANGE,
        n.key,
        Buffer.from(JSON.stringify({ id: n.id, ...n.body })),
        { persistent: true, contentType: "application/json", messageId: n.id, ...(n.headers && { headers: n.headers }) },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    await this.consume?.close().catch(() => {});
    await this.publish_?.waitForConfirms().catch(() => {});
    await this.conn?.close().catch(() => {});
  }
}
