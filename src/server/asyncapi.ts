// The bus's contract as an AsyncAPI 3 document (served at
// /api/v1/asyncapi.json, beside the OpenAPI one): the command queue and its
// message (the schema the server checks each message against), the
// notification exchange with its routing keys and payload, and the retry and
// dead-letter queues with their headers. Written from the server's side:
// it receives commands and sends the rest.
import { COMMANDS_EXCHANGE, COMMANDS_QUEUE, DEAD_QUEUE, EVENTS_EXCHANGE, RETRY_QUEUE } from "./bus-names.js";
import { messageJsonSchema } from "./commands.js";

/** Every notification's event, the last part of its routing key. */
export const NOTIFICATION_EVENTS = [
  "started",
  "succeeded",
  "failed",
  "interrupted",
  "declined",
  "drifted",
  "in-sync",
  "healthy",
  "unhealthy",
  "rejected",
  "expired",
  "kept",
] as const;

const traceHeaders = {
  type: "object",
  properties: {
    traceparent: {
      type: "string",
      description: "W3C trace context: the trace of the request or command whose operation this announces (when the server traces)",
      pattern: "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
    },
    tracestate: { type: "string" },
  },
} as const;

const notificationPayload = {
  type: "object",
  required: ["id", "environment"],
  properties: {
    id: { type: "string", description: "stable across redeliveries (also the message id): drop a repeat by it" },
    environment: { type: "string" },
    operation: { type: "string", description: "the operation's id (GET /api/v1/operations/{id})" },
    kind: { type: "string", description: "the operation's kind (create, update, destroy, drift, health, …) or the rejected command's" },
    at: { type: "string", format: "date-time" },
    message: { type: "string", description: "one line saying what happened" },
    changes: {
      type: "object",
      additionalProperties: { type: "integer" },
      description: "resources by step (create, update, delete, …) or, for drift, changed/missing",
    },
    reason: { type: "string", description: "rejected: why the command cannot run; kept: why an expired environment stays" },
    neededBy: { type: "array", items: { type: "string" }, description: "kept: the environments that still depend on it" },
    idempotencyKey: { type: "string", description: "rejected: the command's key" },
  },
} as const;

const queueBinding = (name: string) => ({
  amqp: { is: "queue", queue: { name, durable: true, exclusive: false, autoDelete: false }, bindingVersion: "0.3.0" },
});

export function asyncApiDocument(version: string): Record<string, unknown> {
  const { $schema: _ignored, ...command } = messageJsonSchema("draft-7") as Record<string, unknown>;
  const commandPayload = { schemaFormat: "application/schema+json;version=draft-07", schema: command };
  return {
    asyncapi: "3.0.0",
    info: {
      title: "infra bus",
      version,
      description:
        "Commands to infra server and its notifications, over AMQP 0-9-1 (RabbitMQ). A command is acked once its operation is recorded; " +
        "notifications are published with publisher confirms from the registry's outbox (at least once: drop a repeat by its id).",
    },
    defaultContentType: "application/json",
    servers: {
      broker: {
        host: "{host}",
        protocol: "amqp",
        description: "the broker infra server's INFRA_AMQP_URL names",
        variables: { host: { default: "localhost:5672" } },
      },
    },
    channels: {
      commands: {
        address: COMMANDS_QUEUE,
        title: "commands",
        description: `The durable queue ${COMMANDS_QUEUE}, bound to the direct exchange ${COMMANDS_EXCHANGE} with routing key \`command\`: publish there.`,
        messages: { command: { $ref: "#/components/messages/command" } },
        bindings: queueBinding(COMMANDS_QUEUE),
      },
      retries: {
        address: RETRY_QUEUE,
        title: "retries",
        description: "A command that cannot run yet (busy workers, a locked environment) waits here for 1, 2, 4, … s, then goes back to the command queue.",
        messages: { retried: { $ref: "#/components/messages/retried" } },
        bindings: queueBinding(RETRY_QUEUE),
      },
      deadLetters: {
        address: DEAD_QUEUE,
        title: "dead letters",
        description: "A command that can never run (malformed, refused, or out of attempts), with the reason in x-infra-reason.",
        messages: { dead: { $ref: "#/components/messages/dead" } },
        bindings: queueBinding(DEAD_QUEUE),
      },
      notifications: {
        address: "environment.{name}.{event}",
        title: "notifications",
        description: `The topic exchange ${EVENTS_EXCHANGE}; bind a queue with environment.# for all, environment.api.* for one environment, environment.*.failed for one event.`,
        parameters: {
          name: { description: "the environment's name" },
          event: { enum: [...NOTIFICATION_EVENTS], description: "what happened" },
        },
        messages: { notification: { $ref: "#/components/messages/notification" } },
        bindings: {
          amqp: { is: "routingKey", exchange: { name: EVENTS_EXCHANGE, type: "topic", durable: true, autoDelete: false }, bindingVersion: "0.3.0" },
        },
      },
    },
    operations: {
      receiveCommand: {
        action: "receive",
        channel: { $ref: "#/channels/commands" },
        summary: "infra server runs a command: create, update, upgrade, destroy, recover, reap, extend, unlock or forget",
        messages: [{ $ref: "#/channels/commands/messages/command" }],
      },
      retryCommand: {
        action: "send",
        channel: { $ref: "#/channels/retries" },
        summary: "a command that cannot run yet, sent back to wait",
        messages: [{ $ref: "#/channels/retries/messages/retried" }],
      },
      deadLetterCommand: {
        action: "send",
        channel: { $ref: "#/channels/deadLetters" },
        summary: "a command that can never run, kept with its reason",
        messages: [{ $ref: "#/channels/deadLetters/messages/dead" }],
      },
      sendNotification: {
        action: "send",
        channel: { $ref: "#/channels/notifications" },
        summary: "what happened to an environment",
        messages: [{ $ref: "#/channels/notifications/messages/notification" }],
      },
    },
    components: {
      messages: {
        command: {
          name: "command",
          title: "a command",
          summary: "one command of the API's front door, with a version and an idempotency key",
          contentType: "application/json",
          headers: traceHeaders,
          payload: commandPayload,
          examples: [
            {
              name: "create",
              payload: {
                version: 1,
                idempotencyKey: "ci-4711",
                kind: "create",
                environment: "pr-42",
                template: "k8s-namespace-app",
                params: { image: "nginx:1.27" },
                ttl: "24h",
              },
            },
          ],
        },
        retried: {
          name: "retried",
          title: "a command waiting to be retried",
          contentType: "application/json",
          headers: {
            type: "object",
            properties: {
              "x-infra-attempt": { type: "integer", description: "how many times it was tried" },
              "x-infra-last-reason": { type: "string", description: "why the last attempt could not run" },
            },
          },
          payload: commandPayload,
        },
        dead: {
          name: "dead",
          title: "a dead-lettered command",
          contentType: "application/json",
          headers: {
            type: "object",
            required: ["x-infra-reason"],
            properties: { "x-infra-reason": { type: "string", description: "why it can never run, in one line" } },
          },
          payload: { schemaFormat: commandPayload.schemaFormat, schema: { description: "the command as it was sent (possibly not JSON at all)" } },
        },
        notification: {
          name: "notification",
          title: "a notification",
          contentType: "application/json",
          headers: traceHeaders,
          payload: notificationPayload,
          examples: [
            {
              name: "succeeded",
              payload: {
                id: "7f1c…:succeeded",
                environment: "pr-42",
                operation: "7f1c…",
                kind: "create",
                changes: { create: 7 },
                message: "create pr-42: 7 created",
                at: "2026-12-01T09:00:00.000Z",
              },
            },
          ],
        },
      },
    },
  };
}
