// Tracing on: the official OpenTelemetry SDK for Node (its async-local-storage
// context, the W3C propagator) with an OTLP/HTTP exporter behind a batch
// processor. Loaded only when an endpoint is set (tracing.ts).
import { type Context, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { OperationEvent } from "../app/events.js";
import type { OperationTrace, TraceIds, Tracing } from "./tracing.js";

const idsOf = (span: Span | undefined): TraceIds => {
  const c = span?.spanContext();
  return c && trace.isSpanContextValid(c) ? { trace_id: c.traceId, span_id: c.spanId } : {};
};

/** W3C headers for a context: traceparent (and tracestate when there is one). */
const headersOf = (ctx: Context): Record<string, string> => {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
};

/** AMQP header values are strings or buffers; the propagator wants strings. */
const textHeaders = (h: Record<string, unknown> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate"]) {
    const v = h?.[key];
    if (typeof v === "string") out[key] = v;
    else if (Buffer.isBuffer(v)) out[key] = v.toString("latin1");
  }
  return out;
};

export function otelTracing(o: { url: string; version: string; serviceName: string }): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.serviceName, "service.version": o.version }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: o.url }), { scheduledDelayMillis: 500, maxExportBatchSize: 64 })],
  });
  // The async-local-storage context manager and the W3C trace-context propagator, process-wide.
  provider.register();
  const tracer = provider.getTracer("infra", o.version);
  const requests = new WeakMap<FastifyRequest, Span>();

  return {
    on: true,

    http(app) {
      app.addHook("onRequest", async function traceRequest(req: FastifyRequest) {
        const parent = propagation.extract(ROOT_CONTEXT, req.headers);
        const route = req.routeOptions.url ?? "(no route)";
        const span = tracer.startSpan(
          `${req.method} ${route}`,
          { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "http.route": route, "url.path": req.url.split("?")[0]!.slice(0, 200) } },
          parent,
        );
        requests.set(req, span);
        req.log = req.log.child(idsOf(span));
      });
      // The handler runs with the request's span active, so what it starts (an operation) is its child.
      app.addHook("onRoute", (route) => {
        const handler = route.handler;
        route.handler = function traced(this: unknown, req: FastifyRequest, reply: FastifyReply) {
          const span = requests.get(req);
          const run = () => (handler as (this: unknown, q: FastifyRequest, r: FastifyReply) => unknown).call(this, req, reply);
          return span ? context.with(trace.setSpan(context.active(), span), run) : run();
        } as typeof route.handler;
      });
      app.addHook("onResponse", async function endRequest(req: FastifyRequest, reply: FastifyReply) {
        const span = requests.get(req);
        if (!span) return;
        span.setAttribute("http.response.status_code", reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
    },

    consume(headers, attributes, fn) {
      const parent = propagation.extract(ROOT_CONTEXT, textHeaders(headers));
      const span = tracer.startSpan(
        "infra.commands process",
        { kind: SpanKind.CONSUMER, attributes: { "messaging.system": "rabbitmq", ...attributes } },
        parent,
      );
      return context.with(trace.setSpan(parent, span), fn).then(
        (v) => {
          span.end();
          return v;
        },
        (err: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message?.split("\n")[0] ?? "" });
          span.end();
          throw err;
        },
      );
    },

    operation(): OperationTrace {
      // The context the run was begun in: a request's or a message's span, or none (the reaper, the sweep).
      const parent = context.active();
      let op: Span | undefined;
      const steps = new Map<string, Span>();
      const endSteps = () => {
        for (const s of steps.values()) s.end();
        steps.clear();
      };
      return {
        listen(e: OperationEvent) {
          switch (e.type) {
            case "started":
              endSteps();
              op?.end(); // a run of several operations (a cascade, the reaper): one span each
              op = tracer.startSpan(
                `operation ${e.kind}`,
                { attributes: { "infra.environment": e.environment, "infra.operation.id": e.operation, "infra.operation.kind": e.kind } },
                parent,
              );
              return;
            case "step": {
              if (!op) return;
              const key = `${e.op}\u0000${e.urn}`;
              if (e.state === "started") {
                steps.get(key)?.end();
                steps.set(
                  key,
                  tracer.startSpan(
                    `${e.op} ${e.resourceType}`,
                    { attributes: { "pulumi.urn": e.urn, "pulumi.type": e.resourceType, "pulumi.op": e.op, "pulumi.name": e.name } },
                    trace.setSpan(ROOT_CONTEXT, op),
                  ),
                );
                return;
              }
              const span = steps.get(key);
              if (!span) return;
              if (e.state === "failed") span.setStatus({ code: SpanStatusCode.ERROR });
              span.end();
              steps.delete(key);
              return;
            }
            case "finished":
              endSteps();
              if (!op) return;
              op.setAttribute("infra.operation.result", e.result);
              if (e.result === "failed" || e.result === "interrupted")
                op.setStatus({ code: SpanStatusCode.ERROR, ...(e.message && { message: e.message.slice(0, 500) }) });
              op.end();
              op = undefined;
              return;
          }
        },
        headers: () => headersOf(op ? trace.setSpan(ROOT_CONTEXT, op) : parent),
        ids: () => idsOf(op ?? trace.getSpan(parent)),
      };
    },

    async shutdown() {
      await provider.shutdown().catch(() => {});
    },
  };
}
