// `infra server`: the REST API (src/server) on the app core, with workers
// for the operations it accepts; `infra server token create|list|revoke`.
import { readFileSync } from "node:fs";
import { UsageError } from "../../core/errors.js";
import { localActor } from "../../core/actor.js";
import { resolveSetting } from "../../config/settings.js";
import { withRegistry, type EngineOptions } from "../app-context.js";
import { infraHome } from "../../core/home.js";
import { openRegistry, passphrase, setting } from "../context.js";
import { out, printJson, shortDate, table } from "../output.js";

export interface ServerOptions extends EngineOptions {
  listen?: string;
  concurrency?: string;
  secondary?: boolean;
  primaryClusterName?: string;
  grace?: string;
  reapEvery?: string;
  driftEvery?: string;
  driftConcurrency?: string;
  amqpUrl?: string;
  bootstrapTokenHashFile?: string;
}

/** A small file an option names (a Secret's key mounted as a file), read or refused in one line. */
function readSmall(file: string, option: string): string {
  try {
    return readFileSync(file, "utf8").slice(0, 4096);
  } catch (err) {
    throw new UsageError(`cannot read ${option} ${file.slice(0, 200)}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
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
  const interval = (text: string) => (text === "off" ? 0 : /^[1-9][0-9]{0,4}s$/.test(text) ? Number(text.slice(0, -1)) * 1000 : parseTtl(text));
  const reapEveryMs = interval(every);
  const driftEveryMs = interval(opts.driftEvery ?? "off");
  const driftConcurrency = opts.driftConcurrency === undefined ? Math.min(2, concurrency) : Number(opts.driftConcurrency);
  if (!Number.isInteger(driftConcurrency) || driftConcurrency < 1 || driftConcurrency > concurrency) {
    throw new UsageError(`--drift-concurrency: a whole number from 1 to the server's --concurrency (${concurrency})`);
  }
  if (opts.secondary && !opts.primaryClusterName) throw new UsageError("--secondary needs --primary-cluster-name <name>: the primary it refers changes to");
  const backendUrl = await setting("backend", opts.backend, { ...opts, nonInteractive: true });
  const secret = await passphrase({ ...opts, nonInteractive: true });
  const location = resolveSetting("location", undefined).value!;
  const { parseLocation } = await import("../../core/location.js");
  parseLocation(location); // a bad default is refused at start, not at the first create
  const amqpUrl = resolveSetting("amqpUrl", opts.amqpUrl).value;
  const github = await githubSettings(process.env);
  const { startServer } = await import("../../server/server.js");
  const tokenHash = opts.bootstrapTokenHashFile === undefined ? undefined : readSmall(opts.bootstrapTokenHashFile, "--bootstrap-token-hash-file").trim();
  const registry = await openRegistry(); // reaps stale locks: the interrupted are reported at start
  if (tokenHash !== undefined) {
    const { registerBootstrapToken } = await import("../../server/auth.js");
    await registerBootstrapToken(registry, tokenHash).catch(async (err: unknown) => {
      await registry.close();
      throw err;
    });
  }
  const server = await startServer({
    host,
    port,
    concurrency,
    graceSeconds: grace,
    reapEveryMs,
    driftEveryMs,
    driftConcurrency,
    ...(amqpUrl && { amqpUrl }),
    ...(github && { github }),
    ...(opts.secondary && { secondaryOf: opts.primaryClusterName! }),
    backendUrl,
    passphrase: secret,
    home: infraHome(),
    location,
    version: process.env.npm_package_version ?? "0",
    registry,
    ...(process.env.INFRA_LOG_LEVEL && { logLevel: process.env.INFRA_LOG_LEVEL }),
  }).catch(async (err: unknown) => {
    await registry.close();
    throw err;
  });
  const stop = (signal: string) => void server.stop(signal).then(() => process.exit(0));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
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
  out(
    table(
      ["NAME", "ROLE", "CREATED", "BY", "REVOKED"],
      tokens.map((t) => [t.name, t.role, shortDate(t.createdAt), t.createdBy, shortDate(t.revokedAt)]),
    ),
  );
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
  if (!res.ok) {
    const [{ refusal }, { InfraError }] = await Promise.all([import("../client.js"), import("../../core/errors.js")]);
    const e = refusal(url.origin, { status: res.status, body });
    throw new InfraError(`${url.origin} refused: ${e.detail}`, e.kind, e.hint);
  }
  if (opts.json) return printJson(body);
  out(`${url.origin}: primary now (it was the secondary of ${body.formerPrimary})`);
}

/**
 * GitHub webhooks for preview environments, from the environment: the webhook's secret (from a
 * file, or the variable), GitHub's API (GitHub Enterprise: https://HOST/api/v3) and a token to
 * write statuses and comments with. No secret: the hook is off.
 */
async function githubSettings(env: NodeJS.ProcessEnv): Promise<{ secret: Buffer; apiUrl: string; token?: string } | undefined> {
  let secret = env.INFRA_GITHUB_WEBHOOK_SECRET;
  if (env.INFRA_GITHUB_WEBHOOK_SECRET_FILE) {
    try {
      secret = readFileSync(env.INFRA_GITHUB_WEBHOOK_SECRET_FILE, "utf8").trim();
    } catch (err) {
      throw new UsageError(`INFRA_GITHUB_WEBHOOK_SECRET_FILE: cannot read it (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
  }
  if (secret === undefined) return undefined;
  if (secret.length < 16) throw new UsageError("the GitHub webhook's secret is shorter than 16 characters: make a long random one (openssl rand -hex 32)");
  const apiUrl = env.INFRA_GITHUB_API_URL ?? "https://api.github.com";
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl))
    throw new UsageError("INFRA_GITHUB_API_URL: a URL like https://api.github.com, or https://github.example.com/api/v3");
  const token = env.INFRA_GITHUB_TOKEN ?? env.GITHUB_TOKEN;
  return { secret: Buffer.from(secret, "utf8"), apiUrl, ...(token && { token }) };
}
