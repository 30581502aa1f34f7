// infra server's traces, OpenTelemetry's way: a span per HTTP request and per
// bus command, one per operation under the request (or message) that started
// it, and one per engine step under its operation; W3C trace context taken
// from `traceparent` on the way in and put on notifications on the way out.
// Exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. Unset (or
// OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none), nothing of
// OpenTelemetry is loaded: the calls below are empty functions.
import type { FastifyInstance } from "fastify";
import type { OperationEvent } from "../app/events.js";
import { shown, UsageError } from "../core/errors.js";

/** The ids of a span, as log lines carry them. */
export type TraceIds = { trace_id?: string; span_id?: string };

export interface OperationTrace {
  /** Every event of the run: `started` opens an operation span, steps open and close theirs, `finished` closes it. */
  listen(e: OperationEvent): void;
  /** The W3C headers (traceparent) notifications of this run carry. */
  headers(): Record<string, string>;
  ids(): TraceIds;
}

export interface Tracing {
  readonly on: boolean;
  /** A span per request, its ids on the request's log lines (installed before any route). */
  http(app: FastifyInstance): void;
  /** Runs the handling of one bus message in a span continuing the trace its headers carry. */
  consume<T>(headers: Record<string, unknown> | undefined, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T>;
  /** For one run of a use case, begun in the current context (a request's, a message's, or none). */
  operation(): OperationTrace;
  /** Sends what is buffered; no more spans after. */
  shutdown(): Promise<void>;
}

const NO_OPERATION: OperationTrace = { listen() {}, headers: () => ({}), ids: () => ({}) };

export const NO_TRACING: Tracing = {
  on: false,
  http() {},
  consume: (_h, _a, fn) => fn(),
  operation: () => NO_OPERATION,
  shutdown: async () => {},
};

/** Where spans go, from the environment OpenTelemetry's SDKs read; undefined: tracing is off. */
export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return undefined;
  const [name, value] = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT]
    : ["OTEL_EXPORTER_OTLP_ENDPOINT", env.OTEL_EXPORTER_OTLP_ENDPOINT];
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw new UsageError(`${shown(value, 80)} is not an http(s) URL: give the collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318`, { field: name });
  // The SDK's own rule: the traces endpoint is used as is, the general one gets /v1/traces.
  if (name !== "OTEL_EXPORTER_OTLP_ENDPOINT") return value;
  let base = value;
  while (base.endsWith("/")) base = base.slice(0, -1);
  return `${base}/v1/traces`;
}

export async function startTracing(version: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing> {
  const url = tracesEndpoint(env);
  if (!url) return NO_TRACING;
  return (await import("./tracing-otel.js")).otelTracing({ url, version, serviceName: env.OTEL_SERVICE_NAME || "infra" });
}
