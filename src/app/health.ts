// Use case: is the environment well, not only deployed? Its status outputs
// (kind: status: an http(s) URL or host:port) are probed, each with retries
// until its deadline, after every deployment (the environment is
// deployed-validating meanwhile) and on demand (infra env health). Every
// attempt has a timeout: unreachable is an answer, never a hang. Where nothing
// can answer (kwok's pods on the sandbox) the check says so and neither
// passes nor fails.
import { ConflictError } from "../core/errors.js";
import { isCluster } from "../core/location.js";
import { isDeployed, type Status } from "../core/status.js";
import type { ObjectRef } from "../kube/objects.js";
import { kstatus } from "../kube/kstatus.js";
import type { OutputValue, Registry, ResourceRecord } from "../registry/types.js";
import { selfIdentity } from "../registry/rules.js";
import type { TemplateSpec } from "../templates/schema.js";
import { notification } from "./events.js";
import { HEARTBEAT_MS, type AppContext, type Clusters, type Prober } from "./ports.js";
import { mustGet } from "./update.js";

export interface HealthSettings {
  intervalMs: number;
  timeoutMs: number;
  deadlineMs: number;
}

export type CheckState = "ok" | "failing" | "unverifiable";

export interface CheckResult {
  output: string;
  target: string;
  state: CheckState;
  detail: string;
  attempts: number;
}

export interface HealthReport {
  /** none: the environment has no status output to check. */
  state: CheckState | "none";
  checks: CheckResult[];
}

function ms(text: string): number {
  const n = Number.parseInt(text, 10);
  return text.endsWith("ms") ? n : text.endsWith("m") ? n * 60_000 : n * 1000;
}

export function healthSettings(spec: TemplateSpec): HealthSettings {
  const h = spec.health ?? { interval: "2s", timeout: "5s", deadline: "2m" };
  return { intervalMs: ms(h.interval), timeoutMs: ms(h.timeout), deadlineMs: ms(h.deadline) };
}

/** The outputs to probe: of kind status, not secret, with a text value. */
export function statusTargets(outputs: Record<string, OutputValue>): { output: string; target: string }[] {
  return Object.entries(outputs)
    .filter(([, o]) => o.kind === "status" && !o.secret && typeof o.value === "string" && o.value !== "")
    .map(([output, o]) => ({ output, target: o.value as string }));
}

const pause = (msWait: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, msWait);
    signal?.addEventListener("abort", done, { once: true });
  });

/** Probes every target at once, each until it answers ok (or cannot be checked) or its deadline passes. */
export async function probeAll(
  prober: Prober,
  location: string,
  targets: { output: string; target: string }[],
  s: HealthSettings,
  signal?: AbortSignal,
): Promise<HealthReport> {
  if (!targets.length) return { state: "none", checks: [] };
  const checks = await Promise.all(
    targets.map(async ({ output, target }): Promise<CheckResult> => {
      const end = Date.now() + s.deadlineMs;
      let attempts = 0;
      for (;;) {
        attempts++;
        const a = await prober.probe(target, location, s.timeoutMs);
        if (a.state !== "failing" || Date.now() + s.intervalMs > end || signal?.aborted) return { output, target, ...a, attempts };
        await pause(s.intervalMs, signal);
      }
    }),
  );
  const state = checks.some((c) => c.state === "failing") ? "failing" : checks.every((c) => c.state === "unverifiable") ? "unverifiable" : "ok";
  return { state, checks };
}

/** The environment's Kubernetes objects as the registry records them: their type token and id (namespace/name). */
export function kubernetesTargets(resources: ResourceRecord[]): { output: string; ref: ObjectRef; label: string }[] {
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release" && r.providerId && r.status === "ok")
    .map((r) => {
      const [, gv = "", kind = ""] = r.type.split(":");
      const id = r.providerId!;
      const slash = id.indexOf("/");
      const ref: ObjectRef = {
        apiVersion: gv.startsWith("core/") ? gv.slice(5) : gv,
        kind,
        name: slash < 0 ? id : id.slice(slash + 1),
        ...(slash >= 0 && { namespace: id.slice(0, slash) }),
      };
      return { output: r.name, ref, label: `${kind} ${id}` };
    });
}

/**
 * Each object judged by kstatus's rules as the cluster holds it now; what is
 * in progress is asked again until the deadline, what failed or is missing
 * is not. A cluster that cannot be read fails every check, with why.
 */
export async function judgeObjects(
  clusters: Required<Pick<Clusters, "get">>,
  location: string,
  targets: ReturnType<typeof kubernetesTargets>,
  s: HealthSettings,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  if (!targets.length) return [];
  const end = Date.now() + s.deadlineMs;
  for (let attempts = 1; ; attempts++) {
    let results: CheckResult[];
    try {
      const live = await clusters.get(
        location,
        targets.map((t) => t.ref),
      );
      results = targets.map((t, i) => {
        const o = live[i];
        if (!o) return { output: t.output, target: t.label, state: "failing", detail: "missing: not in the cluster", attempts };
        const j = kstatus(o);
        return { output: t.output, target: t.label, state: j.status === "Current" ? "ok" : "failing", detail: `${j.status}: ${j.reason}`, attempts };
      });
    } catch (err) {
      results = targets.map((t) => ({
        output: t.output,
        target: t.label,
        state: "failing",
        detail: `the cluster cannot be read: ${(err as Error).message}`,
        attempts,
      }));
    }
    const waiting = results.some((r) => r.detail.startsWith("InProgress") || r.detail.startsWith("the cluster"));
    if (!waiting || Date.now() + s.intervalMs > end || signal?.aborted) return results;
    await pause(s.intervalMs, signal);
  }
}

/** A report of probes and objects together: failing if any check fails, not checked only if none could be. */
export function combine(checks: CheckResult[]): HealthReport {
  if (!checks.length) return { state: "none", checks };
  const state = checks.some((c) => c.state === "failing") ? "failing" : checks.every((c) => c.state === "unverifiable") ? "unverifiable" : "ok";
  return { state, checks };
}

/** Everything health checks: the status outputs, and the Kubernetes objects where the location is a cluster. */
export async function healthOf(
  ctx: AppContext,
  location: string,
  outputs: Record<string, OutputValue>,
  resources: ResourceRecord[],
  s: HealthSettings,
): Promise<HealthReport> {
  const targets = statusTargets(outputs);
  const objects = isCluster(location) && ctx.clusters?.get ? kubernetesTargets(resources) : [];
  const [probed, judged] = await Promise.all([
    ctx.prober && targets.length ? probeAll(ctx.prober, location, targets, s, ctx.signal) : undefined,
    objects.length ? judgeObjects(ctx.clusters as Required<Pick<Clusters, "get">>, location, objects, s, ctx.signal) : [],
  ]);
  return combine([...(probed?.checks ?? []), ...judged]);
}

/** One line: what the checks found. */
export function describeHealth(r: HealthReport): string {
  if (r.state === "none") return "no status output to check";
  const failing = r.checks.filter((c) => c.state === "failing");
  if (failing.length) return `unhealthy: ${failing.map((c) => `${c.output} (${c.target}): ${c.detail}`).join("; ")}`;
  const unverifiable = r.checks.filter((c) => c.state === "unverifiable");
  const ok = r.checks.length - unverifiable.length;
  return [
    ok && `healthy: ${ok} check${ok > 1 ? "s" : ""} ok`,
    unverifiable.length && `not checked: ${unverifiable.map((c) => `${c.output}: ${c.detail}`).join("; ")}`,
  ]
    .filter(Boolean)
    .join("; ");
}

/** The reason a status change names, so a later check knows the failure was health's to clear. */
export const HEALTH_REASON = "health: ";

/**
 * The status a health check leaves: a failing check fails a deployed
 * environment; a passing one clears a failure that health itself set (never an
 * operation's); not checkable changes nothing.
 */
export function statusAfterCheck(before: Status, lastReason: string | undefined, r: HealthReport): Status | undefined {
  if (r.state === "failing") return before === "deployed-fail" ? undefined : "deployed-fail";
  if (r.state === "ok" && before === "deployed-fail" && lastReason?.startsWith(HEALTH_REASON)) return "deployed-ok";
  return undefined;
}

export interface HealthCheckResult {
  environment: string;
  report: HealthReport;
  status: Status;
  operationId?: string;
}

/** Use case: probe an environment's status outputs now, under its lock; the registry records the check. */
export async function checkHealth(ctx: AppContext, name: string): Promise<HealthCheckResult> {
  const env = await mustGet(ctx, name);
  if (env.status === "destroyed") throw new ConflictError(`environment ${name} is destroyed: there is nothing to check`);
  if (!isDeployed(env.status)) {
    throw new ConflictError(`cannot check the health of environment ${name} while it is ${env.status}`);
  }
  const resources = await ctx.registry.resources(name);
  const onCluster = isCluster(env.location) && !!ctx.clusters?.get && kubernetesTargets(resources).length > 0;
  if (!onCluster && (!statusTargets(env.outputs).length || !ctx.prober))
    return { environment: name, report: { state: "none", checks: [] }, status: env.status };
  const template = await ctx.templates.recorded(env.template);
  const { registry, actor } = ctx;
  const opId = globalThis.crypto.randomUUID();
  await registry.lock(name, { operationId: opId, owner: actor.who, ...selfIdentity(), host: actor.host, pid: actor.pid });
  // A check may wait out its deadline (minutes): its lock is kept fresh as an operation's is, or a
  // server on another node would take a silent lock for a dead holder's and break it.
  const beat = setInterval(() => void registry.heartbeat(name, opId).catch(() => {}), ctx.heartbeatMs ?? HEARTBEAT_MS);
  beat.unref();
  try {
    const current = (await registry.get(name))!;
    await registry.begin(name, { operation: { id: opId, kind: "health", who: actor.who } });
    ctx.listen?.({ type: "started", environment: name, operation: opId, kind: "health" });
    let report: HealthReport;
    try {
      report = await healthOf(ctx, env.location, env.outputs, resources, healthSettings(template.spec));
    } catch (err) {
      await registry.commit(name, opId, {
        result: "failed",
        message: (err as Error).message,
        audit: { who: actor.who, action: "health-check-failed", detail: { operation: opId, message: (err as Error).message } },
      });
      ctx.listen?.({ type: "finished", result: "failed", changes: {}, message: (err as Error).message });
      throw err;
    }
    const last = (await registry.history(name)).at(-1);
    const status = statusAfterCheck(current.status, last?.reason, report);
    const said = describeHealth(report);
    const notify =
      status && ctx.notify
        ? {
            notify: [
              notification(ctx, {
                id: `${opId}:${status === "deployed-fail" ? "unhealthy" : "healthy"}`,
                key: `environment.${name}.${status === "deployed-fail" ? "unhealthy" : "healthy"}`,
                body: { environment: name, operation: opId, kind: "health", message: `${name}: ${said}`, at: ctx.now().toISOString() },
              }),
            ],
          }
        : {};
    await registry.commit(name, opId, {
      result: "succeeded",
      ...(status && { status, reason: `${HEALTH_REASON}${said}` }),
      message: said,
      audit: { who: actor.who, action: "health-check", detail: { operation: opId, state: report.state, checks: report.checks } },
      ...notify,
    });
    ctx.listen?.({ type: "finished", result: "succeeded", changes: {}, message: `health of ${name}: ${said}` });
    return { environment: name, report, status: status ?? current.status, operationId: opId };
  } finally {
    clearInterval(beat);
    await registry.unlock(name, opId);
  }
}

/** The last health check (after a deployment or on demand) as the audit log keeps it. */
export async function lastHealthReport(registry: Registry, name: string): Promise<(HealthReport & { checkedAt: string; by: string }) | undefined> {
  const [entry] = await registry.auditLog({ environment: name, action: "health-check", limit: 1 });
  if (!entry) return undefined;
  const d = entry.detail as { state?: HealthReport["state"]; checks?: CheckResult[] };
  return { state: d.state ?? "none", checks: d.checks ?? [], checkedAt: entry.at, by: entry.who };
}
