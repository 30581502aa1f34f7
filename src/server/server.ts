// infra server, wired: the registry, the engine, the workers, the REST API,
// the bus with its outbox, the TTL reaper, promotion and the drain on
// SIGTERM. `infra server` (src/cli/commands/server.ts) only parses flags into
// ServerSettings and calls startServer.
import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import { UsageError } from "../core/errors.js";
import type { Registry } from "../registry/types.js";
import type { Bus } from "./bus.js";
import { buildHttp } from "./http.js";
import { Operations } from "./operations.js";
import { Outbox } from "./outbox.js";
import { ServerMetrics } from "./metrics.js";
import { submitter } from "./submit.js";
import { startTracing } from "./tracing.js";
import { sweepOne } from "../app/sweep.js";
import { isDeployed } from "../core/status.js";
import { notification } from "../app/events.js";

export interface ServerSettings {
  host: string;
  port: number;
  concurrency: number;
  graceSeconds: number;
  /** 0: no reaper. */
  reapEveryMs: number;
  /** 0: no day-2 sweep (drift, opt-in reconcile, health of every deployed environment). */
  driftEveryMs?: number;
  /** How many environments the sweep checks at once (each takes one worker). */
  driftConcurrency?: number;
  amqpUrl?: string;
  /** GitHub webhooks for preview environments (absent: off). */
  github?: { secret: Buffer; apiUrl: string; token?: string };
  /** A secondary: the primary it names in its refusals. */
  secondaryOf?: string;
  backendUrl: string;
  passphrase: string;
  home: string;
  /** Where a create without a location goes: the one settings resolver's answer. */
  location: string;
  version: string;
  registry: Registry;
  logLevel?: string;
}

export interface RunningServer {
  http: FastifyInstance;
  /** Stops taking work, drains, closes the bus and the registry. */
  stop(signal: string): Promise<void>;
}

export async function startServer(s: ServerSettings): Promise<RunningServer> {
  const [{ AutomationRunner }, { FileTemplateStore }, { LocalClusters }, { scanTemplates }, { locateEngine }, { reap }] = await Promise.all([
    import("../engine/runner.js"),
    import("../templates/store.js"),
    import("../sandbox/clusters.js"),
    import("../templates/load.js"),
    import("../engine/locate.js"),
    import("../app/reap.js"),
  ]);
  const { registry, home } = s;
  const tracing = await startTracing(s.version);
  const templates = new FileTemplateStore();
  const engine = new AutomationRunner(home, { backendUrl: s.backendUrl, passphrase: s.passphrase, pluginDownload: process.env.INFRA_PLUGIN_DOWNLOAD === "1" });
  const clusters = new LocalClusters(home);
  const prober = await (await import("../health/local.js")).localProber(home);
  const role: { secondaryOf?: string } = { ...(s.secondaryOf && { secondaryOf: s.secondaryOf }) };
  let log: FastifyInstance["log"] | undefined;
  let bus: Bus | undefined;
  let outbox: Outbox | undefined;

  const metrics = new ServerMetrics({
    registry,
    busy: () => operations.busy,
    concurrency: s.concurrency,
    bus: () => (s.amqpUrl ? !!bus?.connected : undefined),
  });
  const operations = new Operations(
    (who, listen, signal) => {
      // Each operation's kind and start, for its duration when it ends.
      let began: { kind: string; at: number } | undefined;
      let opLog: FastifyInstance["log"] | undefined;
      // Begun in the request's (or message's) context: its spans are that trace's.
      const traced = tracing.operation();
      return {
        registry,
        engine,
        templates,
        clusters,
        prober,
        actor: { who, host: hostname(), pid: process.pid },
        home,
        now: () => new Date(),
        listen: (e) => {
          traced.listen(e);
          listen(e);
          if (e.type === "started") {
            began = { kind: e.kind, at: Date.now() };
            metrics.operationStarted(e.kind);
            opLog = log?.child({ operation: e.operation, environment: e.environment, ...traced.ids() });
            opLog?.info({ kind: e.kind }, "operation started");
          }
          if (e.type === "finished") {
            if (began) {
              const found = (e.changes?.changed ?? 0) + (e.changes?.missing ?? 0);
              metrics.operationFinished(began.kind, e.result, (Date.now() - began.at) / 1000, found > 0);
              began = undefined;
            }
            opLog?.info({ result: e.result, ...(e.message && { message: e.message }) }, "operation finished");
            outbox?.wake();
          }
        },
        signal,
        notify: !!s.amqpUrl,
        notifyHeaders: traced.headers,
      };
    },
    s.concurrency,
    (err, op) => log?.info({ operation: op, reason: (err as Error).message.split("\n")[0] }, "operation failed"),
    (_op, e) => {
      if (e.type === "started") outbox?.wake();
    },
  );
  const submit = submitter(registry, operations, () => ({ location: s.location }));

  const startBus = async () => {
    if (!s.amqpUrl || role.secondaryOf || bus) return;
    const { Bus } = await import("./bus.js");
    bus = new Bus({ url: s.amqpUrl, registry, submitter: submit, log: http.log, tracing, prefetch: s.concurrency, wake: () => outbox?.wake() });
    outbox = new Outbox(registry, bus, 1000, (reason) => http.log.warn({ reason }, "notifications wait for the bus"));
    await bus.start();
    outbox.start();
  };

  const http = await buildHttp({
    registry,
    operations,
    metrics,
    submitter: submit,
    version: s.version,
    logger: { level: s.logLevel ?? "info", ...(process.stdout.isTTY && { stream: (await import("./log-lines.js")).readableLines() }) },
    role,
    tracing,
    ...(s.github && { github: { secret: s.github.secret, client: new (await import("./github.js")).GitHub(s.github.apiUrl, s.github.token) } }),
    templates: async () => {
      const { templates: all, broken } = scanTemplates();
      return {
        items: all.map((t) => ({
          id: t.spec.id,
          version: t.spec.version,
          description: t.spec.description,
          source: t.source,
          parameters: Object.fromEntries(
            Object.entries(t.spec.parameters).map(([k, p]) => [
              k,
              { type: p.type, description: p.description, secret: p.secret, optional: p.optional, ...(p.default !== undefined && { default: p.default }) },
            ]),
          ),
          ...(t.spec.locations && { locations: [...t.spec.locations] }),
          spec: t.spec,
        })),
        broken: broken.map((b) => ({ file: b.file, source: b.source, reason: b.reason })),
      };
    },
    ready: async () => {
      await locateEngine();
      return { engine: "ok", bus: !bus ? "off" : bus.connected ? "ok" : "not connected" };
    },
    commandSchema: async () => (await import("./commands.js")).messageJsonSchema(),
    asyncApi: async () => (await import("./asyncapi.js")).asyncApiDocument(s.version),
    promote: async (force) => {
      const r = registry as { promote?: (o: { force: boolean }) => Promise<void> };
      if (r.promote) await r.promote({ force });
      role.secondaryOf = undefined;
      await startBus();
    },
  });
  log = http.log;

  // A secondary reads a standby of the primary's registry (PostgreSQL streaming replication).
  const standby = (registry as { standby?: boolean }).standby === true;
  if (role.secondaryOf && !standby) http.log.warn({}, "a secondary whose registry is not a standby of the primary's: it reads whatever that registry holds");
  if (!role.secondaryOf && standby) throw new UsageError("the registry is a standby (read-only): run this server as a secondary of its primary, or promote it");
  await startBus();
  const interrupted = (await registry.list({ status: "interrupted", limit: 0 })).items.map((e) => e.name);
  if (interrupted.length) http.log.warn({ environments: interrupted }, "interrupted environments: recover each (POST /api/v1/environments/<name>/recover)");

  // The TTL reaper on a schedule (a primary only), as one more operation of the workers.
  const reaper = s.reapEveryMs
    ? setInterval(() => {
        if (role.secondaryOf) return; // a secondary's registry is the primary's: its primary reaps
        operations
          .start("reaper", async (ctx) => {
            const r = await reap(ctx);
            const notes = [
              ...r.kept.map((k) =>
                notification(ctx, {
                  id: `kept:${k.name}:${ctx.now().toISOString().slice(0, 13)}`,
                  key: `environment.${k.name}.kept`,
                  body: { environment: k.name, neededBy: k.neededBy, reason: "expired, but a live environment depends on it" },
                }),
              ),
              ...r.destroyed.map((d) =>
                notification(ctx, {
                  id: `expired:${d.operation.operationId}`,
                  key: `environment.${d.name}.expired`,
                  body: { environment: d.name, operation: d.operation.operationId },
                }),
              ),
            ];
            for (const k of r.kept) http.log.warn({ environment: k.name, neededBy: k.neededBy }, "expired, kept: a live environment depends on it");
            if (bus && notes.length)
              await registry.enqueue(notes).then(
                () => outbox?.wake(),
                () => {},
              );
            if (r.destroyed.length || r.failed.length) http.log.info({ destroyed: r.destroyed.map((d) => d.name), failed: r.failed }, "reaper");
            return { kind: "reaped", result: r } as const;
          })
          .catch(() => {}); // every worker busy: next time
      }, s.reapEveryMs)
    : undefined;
  reaper?.unref();

  // The day-2 sweep on a schedule (a primary only): at most driftConcurrency workers, each taking
  // the next environment; a sweep still running when the next is due is left to finish.
  let sweeping = false;
  const sweeper = s.driftEveryMs
    ? setInterval(() => {
        if (role.secondaryOf || sweeping) return;
        sweeping = true;
        void (async () => {
          const queue = (await registry.list({ limit: 0 })).items.filter((e) => isDeployed(e.status)).map((e) => e.name);
          const workers = Array.from(
            { length: Math.min(s.driftConcurrency ?? 2, queue.length) },
            () =>
              new Promise<void>((done) => {
                operations
                  .start("drift-checker", async (ctx) => {
                    try {
                      for (let name = queue.shift(); name; name = queue.shift()) {
                        const r = await sweepOne(ctx, name);
                        http.log.info({ ...r }, "day-2 sweep");
                      }
                    } finally {
                      done();
                    }
                    return { kind: "operations", results: [] } as const;
                  })
                  .catch(() => done()); // every worker busy: next time
              }),
          );
          await Promise.all(workers);
        })()
          .catch((err: unknown) => http.log.warn({ error: (err as Error).message }, "day-2 sweep"))
          .finally(() => {
            sweeping = false;
          });
      }, s.driftEveryMs)
    : undefined;
  sweeper?.unref();

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      if (reaper) clearInterval(reaper);
      if (sweeper) clearInterval(sweeper);
      http.log.info({ signal, running: operations.busy, graceSeconds: s.graceSeconds }, "stopping: no new operations");
      const drained = operations.drain(s.graceSeconds * 1000);
      await http.close();
      const { interrupted: cut, abandoned } = await drained;
      await outbox?.stop();
      await bus?.close();
      await tracing.shutdown();
      if (cut) http.log.warn("operations still running after the grace period were interrupted: infra env recover brings them back");
      if (abandoned) http.log.warn("an engine had not stopped 10 s later: left to finish on its own (infra env recover waits for it)");
      await registry.close();
    })());

  await http.listen({ host: s.host, port: s.port });
  return { http, stop };
}
