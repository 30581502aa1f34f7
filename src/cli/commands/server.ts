// `infra server`: the REST API (src/server) on the app core, with workers
// for the operations it accepts; `infra server token create|list|revoke`.
import { hostname } from "node:os";
import { UsageError } from "../../core/errors.js";
import { localActor } from "../../core/actor.js";
import { resolveSetting } from "../../config/settings.js";
import { withRegistry, type EngineOptions } from "../app.js";
import { infraHome, openRegistry, passphrase, setting } from "../context.js";
import { out, printJson, shortDate, table } from "../output.js";

export interface ServerOptions extends EngineOptions {
  listen?: string;
  concurrency?: string;
  secondary?: boolean;
  primaryClusterName?: string;
  grace?: string;
  reapEvery?: string;
  amqpUrl?: string;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--listen ${text.slice(0, 100)}: write host:port, like 127.0.0.1:7780`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

export async function serverCommand(opts: ServerOptions): Promise<void> {
  const { host, port } = parseListen(resolveSetting("listen", opts.listen).value!);
  const concurrency = Number(resolveSetting("concurrency", opts.concurrency).value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError("--concurrency: a whole number from 1 to 64");
  const grace = opts.grace === undefined ? 30 : Number(opts.grace);
  if (!Number.isFinite(grace) || grace < 0 || grace > 3600) throw new UsageError("--grace: seconds, from 0 to 3600");
  const { parseTtl } = await import("../../core/inputs.js");
  const every = opts.reapEvery ?? "5m";
  const reapEveryMs = every === "off" ? 0 : /^[1-9][0-9]{0,4}s$/.test(every) ? Number(every.slice(0, -1)) * 1000 : parseTtl(every);
  if (opts.secondary && !opts.primaryClusterName) throw new UsageError("--secondary needs --primary-cluster-name <name>: the primary it refers changes to");
  const backendUrl = await setting("backend", opts.backend, { ...opts, nonInteractive: true });
  const secret = await passphrase({ ...opts, nonInteractive: true });
  const home = infraHome();

  const [{ buildServer }, { Operations }, { AutomationRunner }, { FileTemplateStore }, { LocalClusters }, { allTemplates }, { locateEngine }] = await Promise.all([
    import("../../server/app.js"),
    import("../../server/operations.js"),
    import("../../engine/runner.js"),
    import("../../templates/store.js"),
    import("../../sandbox/clusters.js"),
    import("../../templates/load.js"),
    import("../../engine/locate.js"),
  ]);
  const registry = await openRegistry(); // reaps stale locks: the interrupted are reported below
  const templates = new FileTemplateStore();
  const engine = new AutomationRunner(home, { backendUrl, passphrase: secret, pluginDownload: process.env.INFRA_PLUGIN_DOWNLOAD === "1" });
  const clusters = new LocalClusters(home);
  const logger = { level: process.env.INFRA_LOG_LEVEL ?? "info" };
  let log: { error: (o: object, m: string) => void; info: (o: object, m: string) => void; warn: (o: object, m: string) => void } | undefined;
  // AMQP: commands in, notifications out (none without a URL: REST only).
  const amqpUrl = resolveSetting("amqpUrl", opts.amqpUrl).value;
  let bus: import("../../server/bus.js").Bus | undefined;
  const operations = new Operations(
    (who, listen, signal) => ({ registry, engine, templates, clusters, actor: { who, host: hostname(), pid: process.pid }, home, now: () => new Date(), listen, signal }),
    concurrency,
    (err, op) => log?.info({ operation: op, reason: (err as Error).message.split("\n")[0] }, "operation failed"),
    (op, e) => {
      if (!bus) return;
      const base = { environment: op.environment, operation: op.id };
      if (e.type === "started") void bus.notify(`environment.${op.environment}.started`, { ...base, kind: e.kind });
      if (e.type === "finished") void bus.notify(`environment.${op.environment}.${e.result}`, { ...base, changes: e.changes, ...(e.message && { message: e.message }) });
    },
  );
  // A secondary reads a standby of the primary's registry (PostgreSQL streaming replication).
  const standby = (registry as { standby?: boolean }).standby === true;
  let secondary = !!opts.secondary;
  const startBus = async () => {
    if (!amqpUrl || secondary || bus) return;
    const { Bus } = await import("../../server/bus.js");
    bus = new Bus({ url: amqpUrl, registry, operations, log: app.log, prefetch: concurrency });
    await bus.start();
  };
  const serverOptions: Parameters<typeof buildServer>[0] = {
    registry,
    operations,
    version: process.env.npm_package_version ?? "0",
    logger,
    ...(opts.secondary && { secondaryOf: opts.primaryClusterName! }),
    templates: async () =>
      allTemplates().map((t) => ({
        id: t.spec.id,
        version: t.spec.version,
        description: t.spec.description,
        source: t.source,
        parameters: Object.fromEntries(Object.entries(t.spec.parameters).map(([k, p]) => [k, { type: p.type, description: p.description, secret: p.secret, optional: p.optional, ...(p.default !== undefined && { default: p.default }) }])),
        ...(t.spec.locations && { locations: [...t.spec.locations] }),
      })),
    ready: async () => {
      await locateEngine();
      return { engine: "ok", bus: !bus ? "off" : bus.connected ? "ok" : "not connected" };
    },
    commandSchema: async () => (await import("../../server/commands.js")).commandJsonSchema(),
    promote: async (force) => {
      const r = registry as { promote?: (o: { force: boolean }) => Promise<void> };
      if (r.promote) await r.promote({ force });
      secondary = false;
      await startBus();
    },
  };
  const app = await buildServer(serverOptions);
  log = app.log;
  if (secondary && !standby) app.log.warn({}, "a secondary whose registry is not a standby of the primary's: it reads whatever that registry holds");
  if (!secondary && standby) throw new UsageError("the registry is a standby (read-only): run this server with --secondary --primary-cluster-name <name>, or promote it");
  await startBus();
  const interrupted = (await registry.list({ status: "interrupted", limit: 0 })).items.map((e) => e.name);
  if (interrupted.length) app.log.warn({ environments: interrupted }, "interrupted environments: run infra env recover <name> (or POST …/recover)");

  // The TTL reaper on a schedule (a primary only), as one more operation of the workers.
  const { reap } = await import("../../app/reap.js");
  const reaper = reapEveryMs
    ? setInterval(() => {
        if (secondary) return; // a secondary's registry is the primary's: its primary reaps
        operations
          .start("reaper", async (ctx) => {
            const r = await reap(ctx);
            for (const k of r.kept) {
              app.log.warn({ environment: k.name, neededBy: k.neededBy }, "expired, kept: a live environment depends on it");
              void bus?.notify(`environment.${k.name}.kept`, { environment: k.name, neededBy: k.neededBy, reason: "expired, but a live environment depends on it" });
            }
            for (const d of r.destroyed) void bus?.notify(`environment.${d.name}.expired`, { environment: d.name, operation: d.operation.operationId });
            if (r.destroyed.length || r.failed.length) app.log.info({ destroyed: r.destroyed.map((d) => d.name), failed: r.failed }, "reaper");
          })
          .catch(() => {}); // nothing expired (no operation started), or all workers busy: next time
      }, reapEveryMs)
    : undefined;
  reaper?.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (reaper) clearInterval(reaper);
    app.log.info({ signal, running: operations.busy, graceSeconds: grace }, "stopping: no new operations");
    const drained = operations.drain(grace * 1000);
    await app.close();
    const { interrupted: cut, abandoned } = await drained;
    await bus?.close();
    if (cut) app.log.warn("operations still running after the grace period were interrupted: infra env recover brings them back");
    if (abandoned) app.log.warn("an engine had not stopped 10 s later: left to finish on its own (infra env recover waits for it)");
    await registry.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  await app.listen({ host, port });
}

export async function tokenCreate(opts: { name?: string; role?: string; json?: boolean }): Promise<void> {
  if (!opts.name) throw new UsageError("infra server token create needs --name <name>");
  const { createToken } = await import("../../server/auth.js");
  const secret = await withRegistry((r) => createToken(r, opts.name!, opts.role ?? "read", localActor().who));
  if (opts.json) return printJson({ name: opts.name, role: opts.role ?? "read", token: secret });
  process.stderr.write("infra: the token is shown once; keep it in a secret store\n");
  out(secret);
}

export async function tokenList(opts: { json?: boolean }): Promise<void> {
  const tokens = await withRegistry((r) => r.tokens());
  if (opts.json) return printJson(tokens);
  if (!tokens.length) return out("no tokens (infra server token create --name <name> --role read|write)");
  out(table(["NAME", "ROLE", "CREATED", "BY", "REVOKED"], tokens.map((t) => [t.name, t.role, shortDate(t.createdAt), t.createdBy, shortDate(t.revokedAt)])));
}

export async function tokenRevoke(name: string, opts: { json?: boolean }): Promise<void> {
  await withRegistry((r) => r.revokeToken(name, localActor().who));
  if (opts.json) return printJson({ name, revoked: true });
  out(`${name}: revoked`);
}


/** `infra server promote --url <secondary>`: asks a secondary to become the primary. */
export async function serverPromote(opts: { url?: string; tokenFile?: string; force?: boolean; json?: boolean }): Promise<void> {
  if (!opts.url) throw new UsageError("infra server promote needs --url <the secondary's address>, like http://10.0.0.7:7780");
  let token = process.env.INFRA_TOKEN;
  if (opts.tokenFile) {
    const { readFileSync } = await import("node:fs");
    try {
      token = readFileSync(opts.tokenFile, "utf8").trim();
    } catch (err) {
      throw new UsageError(`cannot read --token-file ${opts.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  }
  if (!token) throw new UsageError("infra server promote needs a write token: set INFRA_TOKEN or pass --token-file");
  let url: URL;
  try {
    url = new URL(`/api/v1/admin/promote${opts.force ? "?force=true" : ""}`, opts.url);
  } catch {
    throw new UsageError(`--url ${opts.url.slice(0, 100)}: an address like http://10.0.0.7:7780`);
  }
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(120_000) }).catch((err: Error) => {
    throw new UsageError(`cannot reach ${url.origin}: ${err.message}`);
  });
  const body = (await res.json().catch(() => ({}))) as { detail?: string; formerPrimary?: string };
  if (!res.ok) throw new (res.status === 409 ? (await import("../../core/errors.js")).ConflictError : UsageError)(`${url.origin} refused: ${body.detail ?? res.status}`);
  if (opts.json) return printJson(body);
  out(`${url.origin}: primary now (it was the secondary of ${body.formerPrimary})`);
}
