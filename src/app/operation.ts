// One operation on one environment, start to end: the registry lock (kept
// fresh, and given up if lost), every check that must see the registry as it
// is under the lock, the engine run with every event kept as JSON lines, and
// what the registry learns, in one transaction at the end.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ConflictError, EngineError, InfraError, kindOf, LockedError, type Hint } from "../core/errors.js";
import { isCluster } from "../core/location.js";
import { DEPLOYED, isMidFlight, outcome, type Operation, type Status } from "../core/status.js";
import type { Environment, NewEnvironment, OutputValue, ResourceRecord, TemplateRef } from "../registry/types.js";
import { selfIdentity } from "../registry/rules.js";
import type { LoadedTemplate } from "../templates/load.js";
import { describeChanges, type DriftedResource, notification, type OperationEvent, type PlannedChange } from "./events.js";
import { type ManagedObject, type ManagedRelease, managedOf, namespacesOf, refOf, unmanagedObjects } from "./unmanaged.js";
import { applyIgnoreRules } from "./drift-ignore.js";
import { describeHealth, HEALTH_REASON, type HealthReport, healthOf, healthSettings, kubernetesTargets, statusTargets } from "./health.js";
import { HEARTBEAT_MS, type AppContext, type ConfigValue, type StackSession } from "./ports.js";
import { refuseRecorded } from "./record.js";

/** What may start each operation. */
const STARTS: Record<Operation, readonly (Status | "new")[]> = {
  create: ["new", "destroyed"],
  update: DEPLOYED,
  upgrade: DEPLOYED,
  destroy: [...DEPLOYED, "interrupted"],
  refresh: DEPLOYED,
  recover: ["interrupted", "deployed-fail", "deploying", "deployed-validating", "destroying"],
  forget: [...DEPLOYED, "interrupted"],
  drift: DEPLOYED,
  reconcile: DEPLOYED,
  health: DEPLOYED,
  record: [],
};

export interface Plan {
  name: string;
  kind: Operation;
  template: LoadedTemplate;
  /** For a create: the registry's new record. */
  create?: NewEnvironment;
  /** The stack configuration to apply (create, update, upgrade); absent: the stack keeps its own. */
  config?: Record<string, ConfigValue>;
  /** What the location provides (its cluster's kubeconfig), resolved under the lock and set on top. */
  location?: () => Promise<Record<string, ConfigValue>>;
  /** Where it runs (a location text): the plugins a location needs are checked with the others. */
  where?: string;
  /** The parameters as the registry shows them (secrets redacted), recorded on success. */
  params?: Record<string, unknown>;
  /** Recorded on success (an upgrade's new version). */
  templateRef?: TemplateRef;
  /** The environments it reads outputs from, checked under the lock and recorded. */
  dependsOn?: (env: Environment | undefined) => Promise<{ name: string; reason: string }[]>;
  /** Checks that need the lock (another environment's status, dependents). */
  check?: (env: Environment | undefined) => Promise<void>;
  /** Ask after a preview (update, upgrade). */
  ask?: { detail?: string };
  /** A reconcile: also delete what nobody declared in its namespaces (listed, and asked). */
  pruneUnmanaged?: boolean;
  /** What a set's run applies (a keyed digest), recorded on success; see src/app/set-plan.ts. */
  inputs?: string;
  /** Only the engine's preview, under the lock, the stack's configuration put back: nothing recorded (a set's plan). */
  previewOnly?: boolean;
}

export interface OperationResult {
  operationId: string;
  changes: Record<string, number>;
  /** An update's or upgrade's preview, resource by resource, as it was confirmed. */
  preview?: PlannedChange[];
  /** A drift check's findings: each resource changed or missing outside infra (empty: in sync). */
  drift?: DriftedResource[];
  cancelled?: boolean;
  environment: Environment;
}

export async function runOperation(ctx: AppContext, plan: Plan): Promise<OperationResult> {
  const { registry, actor } = ctx;
  const { name, kind, template } = plan;
  // Everything that can refuse does so before anything is written (bad
  // input leaves no trace, not even a lock taken and dropped) ...
  await ctx.engine.check(template.spec, plan.where);
  await refuseOrProceed(ctx, plan);
  await plan.dependsOn?.(await registry.get(name));
  const opId = globalThis.crypto.randomUUID();
  await registry.lock(name, { operationId: opId, owner: actor.who, ...selfIdentity(), host: actor.host, pid: actor.pid });

  // The run stops when the caller aborts, or when this run finds it lost its lock.
  const stop = new AbortController();
  let lostLock = false;
  const onCallerAbort = () => stop.abort();
  ctx.signal?.addEventListener("abort", onCallerAbort, { once: true });
  if (ctx.signal?.aborted) stop.abort();
  const beat = setInterval(() => {
    registry.heartbeat(name, opId).then(
      (held) => {
        if (!held && !lostLock) {
          lostLock = true;
          stop.abort();
        }
      },
      () => {
        // A registry that cannot be written cannot vouch for the lock either.
        if (!lostLock) {
          lostLock = true;
          stop.abort();
        }
      },
    );
  }, ctx.heartbeatMs ?? HEARTBEAT_MS);
  beat.unref();

  // This operation's notifications for the registry's outbox (written with the change they announce), when the context asks.
  const notify = (event: string, body: Record<string, unknown> = {}) =>
    ctx.notify
      ? {
          notify: [
            notification(ctx, {
              id: `${opId}:${event}`,
              key: `environment.${name}.${event}`,
              body: { environment: name, operation: opId, kind, ...body, at: ctx.now().toISOString() },
            }),
          ],
        }
      : {};
  let fd: number | undefined;
  let begun = false;
  let session: StackSession | undefined;
  const emit = (e: OperationEvent) => ctx.listen?.(e);
  const raw = (e: unknown) => {
    if (fd !== undefined) writeSync(fd, JSON.stringify(e) + "\n");
  };
  const mark = (p: string) => {
    raw({ infraPhase: p });
    emit({ type: "phase", name: p });
  };
  try {
    // Again under the lock: the world may have moved since the first look.
    const current = await refuseOrProceed(ctx, plan);
    const deps = await plan.dependsOn?.(current);

    const eventsDir = join(ctx.home, "events", name);
    mkdirSync(eventsDir, { recursive: true, mode: 0o700 });
    const eventsFile = join(eventsDir, `${opId}.jsonl`);

    // A new environment's stack is configured before the registry records it:
    // from then on, everything a recovery needs is in the stack.
    session = await ctx.engine.open(name, template.spec, { fresh: kind === "create" });
    const previous = plan.ask || plan.previewOnly ? session.snapshotConfig() : undefined;
    // What a killed run left (its engine may still be running, the stack's lock held) is
    // released before a recovery, and before a destroy of an interrupted environment.
    if (kind === "recover" || ((kind === "destroy" || kind === "forget") && current?.status === "interrupted")) {
      await session.releaseAbandoned((message) => emit({ type: "notice", message }));
    }
    const resumes = kind === "recover" ? await interruptedKind(ctx, name) : undefined;
    let recordParams = plan.params;
    if (kind === "recover" && resumes !== "destroy") recordParams = await restoreLastGood(ctx, session, current!);
    const fromLocation = (await plan.location?.()) ?? {};
    if (plan.config) await session.configure({ ...plan.config, ...fromLocation });
    else if (Object.keys(fromLocation).length) await session.configure(fromLocation, "merge");
    if (plan.previewOnly) {
      try {
        const p = await session.preview(
          () => {},
          () => {},
          stop.signal,
        );
        return { operationId: opId, changes: p.changes, ...(p.plan && { preview: p.plan }), cancelled: true, environment: current! };
      } finally {
        session.restoreConfig(previous);
      }
    }

    await registry.begin(name, {
      operation: { id: opId, kind, who: actor.who, eventsFile, ...(recordParams && { params: recordParams }) },
      ...(plan.create && { create: plan.create }),
      ...(deps && { dependsOn: deps }),
      ...notify("started"),
    });
    begun = true;
    fd = openSync(eventsFile, "a", 0o600);
    // The registry knows how many resources there are; asking the engine costs a CLI run.
    const known = kind === "create" ? [] : await registry.resources(name);
    const total = known.length || undefined;
    emit({ type: "started", environment: name, operation: opId, kind, ...(total && { total }) });

    if (kind === "drift") {
      mark("drift");
      // The cluster's objects are listed while the engine refreshes, in the namespaces the registry
      // knows; listed again only if the refresh finds the environment in others.
      const early = listNamespaces(ctx, plan.where, managedOf(known));
      const checked = await session.drift(emit, raw, stop.signal);
      const found = applyIgnoreRules(checked.resources, template.spec);
      const unmanaged = await findUnmanaged(ctx, plan.where, checked.managed, emit, await early);
      const summary = {
        changed: found.filter((r) => r.state === "changed").length,
        missing: found.filter((r) => r.state === "missing").length,
        unmanaged: unmanaged.length,
      };
      const before = current!.status;
      // Drifted, or back in sync: the status says so; a failed operation's status is not a check's to clear.
      const status = found.length ? (before === "drifted" ? undefined : "drifted") : before === "drifted" ? "deployed-ok" : undefined;
      const said = `${found.length ? `drifted: ${summary.changed} changed, ${summary.missing} missing` : "in sync"}${unmanaged.length ? `; ${unmanaged.length} object${unmanaged.length > 1 ? "s" : ""} nobody declared` : ""}`;
      await registry.commit(name, opId, {
        result: "succeeded",
        ...(status && { status, reason: `drift check: ${said}` }),
        message: said,
        summary,
        audit: { who: actor.who, action: "drift-check", detail: { operation: opId, ...summary, resources: [...found, ...unmanaged] } },
        // Once per episode: when it starts drifting and when it is back, not at every check.
        ...(status && notify(found.length ? "drifted" : "in-sync", { ...summary, message: `${name}: ${said}` })),
      });
      emit({ type: "finished", result: "succeeded", changes: summary, message: `drift check of ${name}: ${said}` });
      return { operationId: opId, changes: summary, drift: [...found, ...unmanaged], environment: (await registry.get(name))! };
    }

    let previewed: PlannedChange[] | undefined;
    if (plan.ask && ctx.confirm) {
      mark("preview");
      // A reconcile compares with the world, not the state: the preview refreshes first (writing nothing).
      // A refresh's preview is what it would accept: the drift found.
      const preview =
        kind === "refresh"
          ? driftAsPreview((await session.drift(emit, raw, stop.signal)).resources)
          : await session.preview(emit, raw, stop.signal, { refresh: kind === "reconcile" });
      previewed = preview.plan;
      const ok = await ctx.confirm({
        environment: name,
        kind: kind as "update" | "upgrade" | "reconcile" | "refresh",
        changes: preview.changes,
        ...(preview.plan && { plan: preview.plan }),
        ...(plan.ask.detail && { detail: plan.ask.detail }),
      });
      if (!ok) {
        session.restoreConfig(previous);
        // Declined is not failed: nothing was applied, and the environment is as it was.
        await registry.commit(name, opId, {
          result: "declined",
          message: "declined after the preview",
          summary: preview.changes,
          audit: { who: actor.who, action: `${kind}-declined`, detail: { operation: opId } },
          ...notify("declined", { changes: preview.changes }),
        });
        emit({ type: "finished", result: "declined", changes: preview.changes });
        return {
          operationId: opId,
          changes: preview.changes,
          ...(previewed && { preview: previewed }),
          cancelled: true,
          environment: (await registry.get(name))!,
        };
      }
    }

    const destroying = kind === "destroy" || kind === "forget" || resumes === "destroy";
    await registry.transition(name, destroying ? "destroying" : "deploying", {
      operationId: opId,
      reason: kind === "recover" ? `recover (${resumes ?? "update"})` : kind,
    });
    mark(kind);
    let changes: Record<string, number>;
    let outputs: Record<string, OutputValue> | undefined;
    if (kind === "recover") await session.refresh(emit, raw, stop.signal);
    if (kind === "forget") {
      // Nothing is called: the state's resources are dropped, wherever they are.
      changes = { forget: (await registry.resources(name)).filter((r) => !r.type.startsWith("pulumi:")).length };
      await session.forget();
      outputs = {};
    } else if (destroying) {
      changes = (await session.destroy(emit, raw, stop.signal)).changes;
      outputs = {};
    } else if (kind === "refresh") {
      // Reality into the state: what was changed outside infra is what the state now says.
      changes = (await session.refresh(emit, raw, stop.signal)).changes;
      outputs = outputsForRegistry(await session.outputs(), outputKinds(template));
    } else {
      const up = await session.up(emit, raw, stop.signal, { refresh: kind === "reconcile" });
      changes = up.changes;
      outputs = outputsForRegistry(up.outputs, outputKinds(template));
    }
    const resources = kind === "forget" ? [] : await session.resources();
    if (kind === "reconcile" && plan.pruneUnmanaged) {
      const pruned = await pruneUnmanaged(ctx, name, plan.where, resources, emit);
      if (pruned.length) {
        changes = { ...changes, prune: pruned.length };
        await registry.audit(actor.who, "prune-unmanaged", name, { operation: opId, objects: pruned });
      }
    }
    if (!destroying) session.saveLastGood(opId);
    // Deployed is not yet well: the status outputs are probed first (deployed-validating meanwhile).
    const health = !destroying && kind !== "refresh" ? await validate(ctx, name, opId, template, outputs, resources, plan.where, mark) : undefined;
    const unhealthy = health?.state === "failing";
    const healthSaid = health && health.state !== "none" ? describeHealth(health) : undefined;
    await registry.commit(name, opId, {
      result: unhealthy ? "failed" : "succeeded",
      status: destroying ? "destroyed" : unhealthy ? "deployed-fail" : "deployed-ok",
      reason: unhealthy ? `${HEALTH_REASON}${healthSaid}` : `${kind} succeeded`,
      ...(healthSaid && { message: healthSaid }),
      summary: changes,
      outputs,
      resources,
      ...(recordParams && { params: recordParams }),
      ...(plan.templateRef && { template: plan.templateRef }),
      ...(plan.inputs !== undefined && !destroying && { inputs: plan.inputs }),
      ...(destroying && { dependsOn: [] }),
      audit: { who: actor.who, action: kind, detail: { operation: opId, template: `${template.spec.id}@${template.spec.version}`, changes } },
      ...(unhealthy
        ? notify("failed", { message: `${kind} ${name}: applied, but ${healthSaid}` })
        : notify("succeeded", { changes, message: `${kind} ${name}: ${describeChanges(changes)}` })),
    });
    if (health && health.state !== "none") {
      await registry.audit(actor.who, "health-check", name, { operation: opId, state: health.state, checks: health.checks });
    }
    if (unhealthy) {
      emit({ type: "finished", result: "failed", changes: {}, message: `${kind} ${name}: applied, but ${healthSaid}` });
      throw new Unhealthy(`${kind} of ${name}: applied, but ${healthSaid}`, "engine", { remedy: { run: "health", environment: name } });
    }
    emit({ type: "finished", result: "succeeded", changes, message: `${kind} ${name}: ${describeChanges(changes)}${healthSaid ? `; ${healthSaid}` : ""}` });
    return { operationId: opId, changes, ...(previewed && { preview: previewed }), environment: (await registry.get(name))! };
  } catch (err) {
    if (!begun) throw err; // refused before anything was written
    if (err instanceof Unhealthy) throw err; // recorded already: applied, then its checks failed
    const interrupted = stop.signal.aborted;
    const message = lostLock
      ? `this run lost its lock on ${name} (forced away, or the registry could not be written)`
      : interrupted
        ? "interrupted"
        : err instanceof EngineError && err.reasons.length > 1
          ? err.reasons.join("; ")
          : (err as Error).message;
    // A lost lock may already be another run's: whoever broke it marked the environment.
    if (lostLock) throw new LockedError(`${kind} of ${name} stopped: ${message}`, { remedy: { run: "recover", environment: name } });
    const resources = session ? await session.resources().catch(() => undefined) : undefined;
    const ended = interrupted ? "interrupted" : "failed";
    // What the engine did before it stopped (its steps, when a cancel left no summary).
    const did = (err as { changes?: Record<string, number> }).changes ?? {};
    const status = (await registry.get(name))?.status;
    const midFlight = isMidFlight(status);
    const failedStatus: Status = interrupted ? "interrupted" : outcome(kind === "recover" && status === "destroying" ? "destroy" : kind, false);
    await registry
      .commit(name, opId, {
        result: interrupted ? "interrupted" : "failed",
        ...(midFlight && { status: failedStatus, reason: message }),
        message,
        ...(Object.keys(did).length && { summary: did }),
        ...(resources && { resources }),
        audit: { who: actor.who, action: `${kind}-${ended}`, detail: { operation: opId, message } },
        ...notify(ended, { message }),
      })
      .catch(() => {}); // a registry that cannot be written: the next run reaps the lock
    emit({ type: "finished", result: interrupted ? "interrupted" : "failed", changes: did, message });
    if (interrupted) {
      throw new InfraError(`${kind} of ${name} was interrupted; the environment is marked interrupted`, "engine", {
        remedy: { run: "recover", environment: name },
      });
    }
    throw failure(err, `${kind} of ${name} failed`, name, opId);
  } finally {
    ctx.signal?.removeEventListener("abort", onCallerAbort);
    clearInterval(beat);
    if (fd !== undefined) closeSync(fd);
    await registry.unlock(name, opId);
  }
}

/**
 * What nobody declared in the namespaces of the environment's Kubernetes objects, on its
 * location's cluster (sandbox or a kubeconfig context). A cluster that cannot be listed is said,
 * not failed: the drift check stands without it.
 */
type Listed = { namespaces: string[]; objects: Promise<Awaited<ReturnType<NonNullable<NonNullable<AppContext["clusters"]>["objects"]>>>> };

/** Starts listing the objects of the namespaces `managed` is in; undefined where there is no cluster to read. */
function listNamespaces(ctx: AppContext, where: string | undefined, managed: { objects: ManagedObject[]; releases: ManagedRelease[] }): Listed | undefined {
  if (!where || !ctx.clusters?.objects || !isCluster(where)) return undefined;
  const namespaces = namespacesOf(managed.objects, managed.releases);
  if (!namespaces.length) return undefined;
  const objects = ctx.clusters.objects(where, namespaces);
  objects.catch(() => {}); // awaited (and its failure said) by findUnmanaged
  return { namespaces, objects };
}

async function findUnmanaged(
  ctx: AppContext,
  where: string | undefined,
  managed: { objects: ManagedObject[]; releases: ManagedRelease[] } | undefined,
  emit: (e: OperationEvent) => void,
  early?: Listed,
): Promise<DriftedResource[]> {
  if (!managed || !where || !ctx.clusters?.objects || !isCluster(where)) return [];
  const namespaces = namespacesOf(managed.objects, managed.releases);
  if (!namespaces.length) return [];
  try {
    const covered = early && namespaces.every((n) => early.namespaces.includes(n));
    const objects = covered
      ? (await early.objects).filter((o) => !o.namespace || namespaces.includes(o.namespace))
      : await ctx.clusters.objects(where, namespaces);
    return unmanagedObjects(objects, managed.objects, managed.releases);
  } catch (err) {
    emit({ type: "notice", message: `objects nobody declared could not be listed: ${(err as Error).message}` });
    return [];
  }
}

/**
 * A reconcile's --prune-unmanaged: what nobody declared in the environment's namespaces (as the
 * registry's resources say what it declares), listed and asked, then deleted. Their names.
 */
async function pruneUnmanaged(
  ctx: AppContext,
  name: string,
  where: string | undefined,
  resources: ResourceRecord[],
  emit: (e: OperationEvent) => void,
): Promise<string[]> {
  if (!where || !isCluster(where) || !ctx.clusters?.delete) {
    emit({ type: "notice", message: "nothing to prune: the environment is not on a Kubernetes cluster infra can read" });
    return [];
  }
  const found = await findUnmanaged(ctx, where, managedOf(resources), emit);
  if (!found.length) {
    emit({ type: "notice", message: "no object nobody declared: nothing to prune" });
    return [];
  }
  const names = found.map((f) => `${f.type.split(":").at(-1)} ${f.name}`);
  const ok =
    !ctx.confirm ||
    (await ctx.confirm({
      environment: name,
      kind: "reconcile",
      changes: { delete: found.length },
      detail: `also deletes what nobody declared: ${names.join(", ")}`,
    }));
  if (!ok) {
    emit({ type: "notice", message: `left alone (not confirmed): ${names.join(", ")}` });
    return [];
  }
  await ctx.clusters.delete(where, found.map(refOf));
  for (const n of names) emit({ type: "notice", message: `deleted ${n} (nobody declared it)` });
  return names;
}

/** A deployment that applied but whose status checks fail: recorded before it is thrown. */
class Unhealthy extends InfraError {}

/** Probes the status outputs a deployment left, the environment deployed-validating meanwhile; undefined when there are none. */
async function validate(
  ctx: AppContext,
  name: string,
  opId: string,
  template: LoadedTemplate,
  outputs: Record<string, OutputValue> | undefined,
  resources: ResourceRecord[],
  where: string | undefined,
  mark: (phase: string) => void,
): Promise<HealthReport | undefined> {
  const location = where ?? (await ctx.registry.get(name))?.location ?? "local";
  const targets = ctx.prober ? statusTargets(outputs ?? {}) : [];
  const objects = isCluster(location) && ctx.clusters?.get ? kubernetesTargets(resources) : [];
  if (!targets.length && !objects.length) return undefined;
  const what = [...targets.map((t) => t.output), ...(objects.length ? [`${objects.length} Kubernetes objects`] : [])];
  await ctx.registry.transition(name, "deployed-validating", { operationId: opId, reason: `validating: ${what.join(", ")}` });
  mark("validate");
  return healthOf(ctx, location, outputs ?? {}, resources, healthSettings(template.spec));
}

/** The error a failed run ends with: its kind and reasons kept, said as what failed and where its events are. */
function failure(err: unknown, what: string, name: string, operation: string): InfraError {
  const text = (err as Error)?.message ?? String(err);
  const detail = text.startsWith(`${name}: `) ? text.slice(name.length + 2) : text;
  // A cluster that does not answer may be gone for good (a deleted sandbox): say the way out.
  const hint: Hint = /cluster is unreachable|connection refused|no such host/i.test(text)
    ? { remedy: { run: "forget", environment: name } }
    : { remedy: { see: "logs", id: name, operation } };
  if (err instanceof EngineError) return new EngineError(`${what}: ${detail}`, err.reasons, hint);
  return new InfraError(`${what}: ${detail}`, kindOf(err), hint);
}

/** Refuses an operation the environment's status or the plan's checks do not allow; returns the environment. */
async function refuseOrProceed(ctx: AppContext, plan: Plan): Promise<Environment | undefined> {
  const { name, kind } = plan;
  const current = await ctx.registry.get(name);
  const status = current?.status ?? "new";
  if (current) refuseRecorded(current, kind);
  if (!STARTS[kind].includes(status)) {
    if (kind === "create")
      throw new ConflictError(`environment ${name} already exists (${status}): pick another name`, { remedy: { run: "update", environment: name, or: true } });
    if (status === "interrupted") throw new ConflictError(`environment ${name} was interrupted`, { remedy: { run: "recover", environment: name } });
    throw new ConflictError(
      kind === "recover" ? `environment ${name} is ${status}: there is nothing to recover` : `cannot ${kind} environment ${name} while it is ${status}`,
    );
  }
  await plan.check?.(current);
  return current;
}

/** The kind of operation a recovery resumes: the last one that did not finish. */
async function interruptedKind(ctx: AppContext, name: string): Promise<Operation | undefined> {
  const ops = await ctx.registry.operations(name);
  const last = [...ops]
    .reverse()
    .find((o) => o.kind !== "recover" && o.result !== "succeeded" && o.result !== "declined" && !(o.message ?? "").startsWith("cancelled"));
  const env = await ctx.registry.get(name);
  if (env?.status === "destroying") return "destroy";
  return last?.kind === "destroy" ? "destroy" : last?.kind;
}

/**
 * A recovery puts back the configuration of the last operation that
 * succeeded (kept beside the workspace), so it applies exactly what last
 * worked; a create that never succeeded keeps the configuration it set, which
 * was complete before the registry recorded it.
 */
async function restoreLastGood(ctx: AppContext, session: StackSession, env: Environment): Promise<Record<string, unknown>> {
  const good = session.lastGood();
  if (!good) return env.params;
  session.restoreConfig(good.config);
  // The snapshot is saved just before its operation's registry commit: a
  // kill between the two leaves the registry one step behind it.
  return (await ctx.registry.operation(good.operation))?.params ?? env.params;
}

function outputKinds(t: LoadedTemplate): Record<string, "entrypoint" | "status"> {
  const kinds: Record<string, "entrypoint" | "status"> = {};
  for (const [k, o] of Object.entries(t.spec.outputs)) {
    if (typeof o !== "string" && o.kind !== "info") kinds[k] = o.kind;
  }
  return kinds;
}

function outputsForRegistry(
  outputs: Record<string, { value: unknown; secret: boolean }>,
  kinds: Record<string, OutputValue["kind"]>,
): Record<string, OutputValue> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, o]) => [k, { ...(o.secret ? {} : { value: o.value }), secret: o.secret, ...(kinds[k] ? { kind: kinds[k] } : {}) }]),
  );
}

/** A drift report as the preview a refresh asks about: what it would write into the state. */
function driftAsPreview(found: DriftedResource[]): { changes: Record<string, number>; plan: PlannedChange[] } {
  const plan: PlannedChange[] = found
    .filter((r) => r.state !== "unmanaged")
    .map((r) =>
      r.state === "missing"
        ? { op: "delete", type: r.type, name: r.name, fields: [] }
        : { op: "update", type: r.type, name: r.name, fields: r.fields.map((f) => ({ path: f.path, old: f.declared, new: f.actual, replaces: false })) },
    );
  const changes: Record<string, number> = {};
  for (const p of plan) changes[p.op] = (changes[p.op] ?? 0) + 1;
  return { changes, plan };
}
