// The AMQP command message: a command of the one front door
// (src/app/commands.ts) with the message's version and idempotency key. Its
// JSON Schema is published at /api/v1/amqp/command.schema.json. Messages are
// untrusted input: bounded, parsed once, one line saying what is wrong.
import { commandJsonSchema } from "../app/commands.js";
import { IDEMPOTENCY_KEY } from "../app/idempotency.js";
import { NAME } from "../core/inputs.js";

export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The message's schema: each command kind's, with `version` and `idempotencyKey` added. */
export function messageJsonSchema(target: "draft-2020-12" | "draft-7" = "draft-2020-12"): unknown {
  const base = commandJsonSchema(target) as { oneOf?: Record<string, unknown>[]; anyOf?: Record<string, unknown>[] };
  const envelope = {
    version: { type: "integer", const: 1 },
    idempotencyKey: { type: "string", pattern: IDEMPOTENCY_KEY.source, description: "one operation per key: redeliveries and repeats run nothing more" },
  };
  const add = (o: Record<string, unknown>) => ({
    ...o,
    properties: { ...envelope, ...(o.properties as object) },
    required: ["version", "idempotencyKey", ...((o.required as string[]) ?? [])],
  });
  const options = base.oneOf ?? base.anyOf ?? [];
  const $schema = target === "draft-7" ? "http://json-schema.org/draft-07/schema#" : "https://json-schema.org/draft/2020-12/schema";
  return { $schema, title: "infra command", oneOf: options.map(add) };
}

export interface Message {
  idempotencyKey: string;
  /** The command, for the front door to check (src/app/commands.ts normalise). */
  command: Record<string, unknown>;
  /** For the rejected notification: what the message says of itself. */
  environment?: string;
  kind?: string;
}

/** The message's body as a command to submit, or one line saying why it is not one. */
export function parseMessage(body: Buffer): { ok: true; message: Message } | { ok: false; reason: string } {
  if (body.length > MAX_MESSAGE_BYTES) return { ok: false, reason: "the message is larger than 256 KiB" };
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, reason: "the message is not JSON" };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, reason: "the message is not a JSON object" };
  const { version, idempotencyKey, ...command } = doc as Record<string, unknown>;
  if (version !== 1) return { ok: false, reason: "version: expected 1" };
  if (typeof idempotencyKey !== "string" || !IDEMPOTENCY_KEY.test(idempotencyKey))
    return { ok: false, reason: "idempotencyKey: 1 to 200 letters, digits, '.', '_', ':' or '-'" };
  const environment = typeof command.environment === "string" && NAME.test(command.environment) ? command.environment : undefined;
  const kind = typeof command.kind === "string" ? command.kind.slice(0, 20) : undefined;
  return { ok: true, message: { idempotencyKey, command, ...(environment && { environment }), ...(kind && { kind }) } };
}
