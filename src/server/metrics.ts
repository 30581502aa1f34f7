// infra server's own metrics, in Prometheus's text format (GET /metrics):
// operations by kind and result and how long they took, workers busy, drift
// checks, environments by status (read from the registry at each scrape, with
// the read's own duration), the bus's connection, HTTP requests by route and
// status, and Node's process metrics. Labels are kinds, routes and statuses,
// never environment names: a scrape's size does not grow with the registry.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry as PromRegistry } from "prom-client";
import { OPERATIONS, STATUSES } from "../core/status.js";
import type { Registry } from "../registry/types.js";

export interface MetricsSources {
  registry: Registry;
  busy: () => number;
  concurrency: number;
  /** Whether the bus is connected; undefined where the server has none. */
  bus: () => boolean | undefined;
}

export class ServerMetrics {
  readonly prom = new PromRegistry();
  private readonly started: Counter<"kind">;
  private readonly finished: Counter<"kind" | "result">;
  private readonly duration: Histogram<"kind" | "result">;
  private readonly drift: Counter<"result">;
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly requestSeconds: Histogram<"method" | "route">;

  constructor(s: MetricsSources) {
    const prom = this.prom;
    collectDefaultMetrics({ register: prom, prefix: "infra_" });
    this.started = new Counter({ name: "infra_operations_started_total", help: "Operations started, by kind", labelNames: ["kind"], registers: [prom] });
    this.finished = new Counter({
      name: "infra_operations_finished_total",
      help: "Operations finished, by kind and result (succeeded, failed, interrupted, declined)",
      labelNames: ["kind", "result"],
      registers: [prom],
    });
    this.duration = new Histogram({
      name: "infra_operation_duration_seconds",
      help: "How long operations took, by kind and result",
      labelNames: ["kind", "result"],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
      registers: [prom],
    });
    // Every kind and result from zero, so the first failure is an increase an alert sees
    // (a series born at 1 has no increase to Prometheus's increase()).
    for (const kind of OPERATIONS) {
      this.started.inc({ kind }, 0);
      for (const result of ["succeeded", "failed", "interrupted", "declined"]) this.finished.inc({ kind, result }, 0);
    }
    this.drift = new Counter({
      name: "infra_drift_checks_total",
      help: "Drift checks, by what they found (in-sync, drifted)",
      labelNames: ["result"],
      registers: [prom],
    });
    this.requests = new Counter({
      name: "infra_http_requests_total",
      help: "HTTP requests, by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [prom],
    });
    this.requestSeconds = new Histogram({
      name: "infra_http_request_duration_seconds",
      help: "HTTP request durations, by method and route",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [prom],
    });
    new Gauge({
      name: "infra_workers_busy",
      help: "Operations running now",
      registers: [prom],
      collect() {
        this.set(s.busy());
      },
    });
    new Gauge({ name: "infra_workers", help: "Operations that may run at once (--concurrency)", registers: [prom] }).set(s.concurrency);
    const queryTime = new Histogram({
      name: "infra_registry_query_seconds",
      help: "How long the registry took to answer the scrape's read",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [prom],
    });
    new Gauge({
      name: "infra_environments",
      help: "Environments by status (destroyed included)",
      labelNames: ["status"],
      registers: [prom],
      async collect() {
        const end = queryTime.startTimer();
        const { items } = await s.registry.list({ limit: 0 });
        end();
        const by = Object.fromEntries(STATUSES.map((st) => [st, 0])) as Record<string, number>;
        for (const e of items) by[e.status] = (by[e.status] ?? 0) + 1;
        for (const [status, n] of Object.entries(by)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: "infra_bus_connected",
      help: "1 when the AMQP bus is connected, 0 when not (absent without a bus)",
      registers: [prom],
      collect() {
        const c = s.bus();
        if (c === undefined) this.reset();
        else this.set(c ? 1 : 0);
      },
    });
  }

  operationStarted(kind: string): void {
    this.started.inc({ kind });
  }

  operationFinished(kind: string, result: string, seconds: number, drifted?: boolean): void {
    this.finished.inc({ kind, result });
    this.duration.observe({ kind, result }, seconds);
    if (kind === "drift" && result === "succeeded") this.drift.inc({ result: drifted ? "drifted" : "in-sync" });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }

  text(): Promise<string> {
    return this.prom.metrics();
  }

  get contentType(): string {
    return this.prom.contentType;
  }
}
