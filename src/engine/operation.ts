// One operation on one environment, start to end: the registry lock, the
// engine run with every event kept as JSON lines, the progress line, Ctrl-C,
// and what the registry learns afterwards. Loaded only by commands that run
// the engine.
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import type { ConfigMap, EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { ConflictError, InfraError } from "../core/errors.js";
import { outcome, type Operation, type Status } from "../core/status.js";
import type { NewEnvironment, OperationRecord, Registry } from "../registry/types.js";
import type { LoadedTemplate } from "../templates/load.js";
import { SECRET, type ParamValue } from "../templates/params.js";
import { PROJECT, templateProgram } from "../templates/program.js";
import { openStack } from "./automation.js";
import { locateEngine } from "./locate.js";
import { assertPlugins } from "./plugins.js";
import { waitForOrphanEngine } from "./orphans.js";
import { startProgress } from "./progress.js";
import { scrubSecrets } from "./scrub.js";
import { engineEnv, type RunSettings } from "./settings.js";
import { outputsForRegistry, resourcesFromState } from "./state.js";

export interface OperationContext {
  registry: Registry;
  /** The infra home: workspaces/ and events/ live under it. */
  home: string;
  settings: RunSettings;
  /** No progress output (--json). */
  quiet?: boolean;
  /** Asked after an update's preview; false cancels. */
  confirm?: (changes: Record<string, number>) => Promise<boolean>;
}

export interface EnvRun {
  name: string;
  kind: Operation;
  template: LoadedTemplate;
  /** The full parameter set; SECRET means "keep the value the stack has". */
  params: Record<string, ParamValue>;
  /** For create: what the registry records. */
  create?: NewEnvironment;
  dependsOn?: { name: string; reason: string }[];
}

export interface RunResult {
  operation: OperationRecord;
  changes: Record<string, number>;
  cancelled?: boolean;
}

export const who = (): string => `${userInfo().username}@${hostname()}`;

const HEARTBEAT_MS = 15_000;
const RECOVER_WAIT_MS = Number(process.env.INFRA_RECOVER_WAIT_MS ?? 300_000);

/** What may start each operation. */
const STARTS: Record<Operation, readonly (Status | "new")[]> = {
  create: ["new", "destroyed"],
  update: ["deployed-ok", "deployed-fail", "drifted"],
  upgrade: ["deployed-ok", "deployed-fail", "drifted"],
  destroy: ["deployed-ok", "deployed-fail", "drifted", "interrupted"],
  refresh: ["deployed-ok", "deployed-fail", "drifted"],
  recover: ["interrupted", "deployed-fail"],
};

export async function runOperation(ctx: OperationContext, run: EnvRun): Promise<RunResult> {
  const { registry } = ctx;
  // Everything that can be refused is checked before the registry is touched.
  const engine = await locateEngine();
  engineEnv(engine, ctx.settings);
  assertPlugins(engine, run.template.spec, !!ctx.settings.pluginDownload);
  const opId = randomUUID();
  const me = who();
  await registry.lock(run.name, { operationId: opId, owner: me, host: hostname(), pid: process.pid });
  const beat = setInterval(() => void registry.heartbeat(run.name, opId).catch(() => {}), HEARTBEAT_MS);
  beat.unref();
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\ninfra: stopping ${run.name}: the engine finishes the steps in flight (Ctrl-C again to stop at once)\n`);
      abort.abort();
    } else {
      process.stderr.write(`infra: stopped; ${run.name} is left interrupted: run infra env recover ${run.name}\n`);
      process.exit(130);
    }
  };
  let fd: number | undefined;
  let stack: Stack | undefined;
  let op: OperationRecord | undefined;
  try {
    const current = (await registry.get(run.name))?.status ?? "new";
    if (!STARTS[run.kind].includes(current)) {
      throw new ConflictError(
        current === "interrupted"
          ? `environment ${run.name} was interrupted: run infra env recover ${run.name} first`
          : `cannot ${run.kind} environment ${run.name} while it is ${current}`,
      );
    }

    const eventsDir = join(ctx.home, "events", run.name);
    mkdirSync(eventsDir, { recursive: true, mode: 0o700 });
    const eventsFile = join(eventsDir, `${opId}.jsonl`);

    if (run.kind === "create") {
      await registry.create(run.create!, opId);
      for (const d of run.dependsOn ?? []) await registry.addDependency(run.name, d.name, d.reason);
    }
    op = await registry.startOperation(run.name, run.kind, me, eventsFile, opId);
    fd = openSync(eventsFile, "a", 0o600);

    stack = await openStack({
      project: PROJECT,
      stack: run.name,
      workDir: join(ctx.home, "workspaces", run.name),
      program: templateProgram(run.template.spec, run.name),
      engine,
      settings: ctx.settings,
    });
    if (run.kind === "recover") {
      // A killed run's engine may still be finishing its steps: let it. Then
      // our registry lock proves no infra run holds this stack, and the
      // engine's own lock, left behind, can go.
      await waitForOrphanEngine(ctx.settings.backendUrl, PROJECT, run.name, RECOVER_WAIT_MS, (t) => {
        if (!ctx.quiet) process.stderr.write(`infra: ${t}\n`);
      });
      await stack.cancel().catch(() => {});
    }
    // Only an update that may be cancelled needs the config to restore.
    const asks = (run.kind === "update" || run.kind === "upgrade") && !!ctx.confirm;
    const previousConfig = asks ? await stack.getAllConfig() : undefined;
    await setParams(stack, run.params, run.template);

    const changes: Record<string, number> = {};
    const keep = (e: EngineEvent) => {
      // Debug diagnostics carry raw RPC payloads (secrets in clear, flattened
      // into text that cannot be scrubbed); Pulumi hides them too.
      if ((e.diagnosticEvent?.severity as string | undefined) === "debug") return;
      writeSync(fd!, JSON.stringify(scrubSecrets(e)) + "\n");
      if (e.summaryEvent) Object.assign(changes, e.summaryEvent.resourceChanges);
    };

    // Phase markers let `infra env logs` tell a preview's events from the run's.
    const phase = (name: string) => writeSync(fd!, JSON.stringify({ infraPhase: name }) + "\n");
    if (asks) {
      phase("preview");
      const preview = await stack.preview({ onEvent: keep });
      const ok = await ctx.confirm!(preview.changeSummary as Record<string, number>);
      if (!ok) {
        await stack.setAllConfig(previousConfig!);
        await registry.finishOperation(opId, { result: "failed", message: "cancelled after the preview", summary: preview.changeSummary as Record<string, number> });
        await registry.audit(me, `${run.kind}-cancelled`, run.name, { operation: opId });
        return { operation: (await registry.operation(opId))!, changes: preview.changeSummary as Record<string, number>, cancelled: true };
      }
    }

    await registry.transition(run.name, run.kind === "destroy" ? "destroying" : "deploying", { operationId: opId, reason: run.kind });
    process.on("SIGINT", onSigint);
    phase(run.kind);
    // The registry knows how many resources there are; asking the engine costs a CLI run.
    const total = run.kind === "create" ? undefined : (await registry.resources(run.name)).length || undefined;
    const progress = await startProgress(`${run.kind} ${run.name}`, total, !!ctx.quiet);
    const onEvent = (e: EngineEvent) => {
      keep(e);
      progress.event(e);
    };
    try {
      if (run.kind === "destroy") {
        await stack.destroy({ onEvent, signal: abort.signal });
      } else {
        if (run.kind === "recover") {
          await stack.refresh({ onEvent, signal: abort.signal, clearPendingCreates: true });
        }
        const up = await stack.up({ onEvent, signal: abort.signal });
        await registry.setOutputs(run.name, outputsForRegistry(up.outputs, outputKinds(run.template)));
      }
      progress.stop(true, `${run.kind} ${run.name}: ${describeChanges(changes)}`);
    } catch (err) {
      progress.stop(false, `${run.kind} ${run.name} ${abort.signal.aborted ? "interrupted" : "failed"}`);
      throw err;
    }
    if (run.kind === "destroy") await registry.setOutputs(run.name, {});
    await recordResources(registry, run.name, stack);
    await registry.transition(run.name, outcome(run.kind, true), { operationId: opId, reason: `${run.kind} succeeded` });
    await registry.finishOperation(opId, { result: "succeeded", summary: changes });
    await registry.audit(me, run.kind, run.name, { operation: opId, template: `${run.template.spec.id}@${run.template.spec.version}`, changes });
    return { operation: (await registry.operation(opId))!, changes };
  } catch (err) {
    if (!op) throw err; // refused before anything was written
    const interrupted = abort.signal.aborted;
    const message = interrupted
      ? `interrupted by the user: run infra env recover ${run.name}`
      : engineMessage(err);
    if (stack) await recordResources(registry, run.name, stack).catch(() => {});
    const status = (await registry.get(run.name))?.status;
    if (status === "deploying" || status === "destroying") {
      await registry.transition(run.name, interrupted ? "interrupted" : outcome(run.kind, false), { operationId: opId, reason: message });
    }
    await registry.finishOperation(opId, { result: interrupted ? "interrupted" : "failed", message });
    await registry.audit(me, `${run.kind}-${interrupted ? "interrupted" : "failed"}`, run.name, { operation: opId, message });
    throw new InfraError(
      interrupted
        ? `${run.kind} of ${run.name} was interrupted; the environment is marked interrupted: run infra env recover ${run.name}`
        : `${run.kind} of ${run.name} failed: ${message} (events: infra env logs ${run.name} --operation ${opId})`,
    );
  } finally {
    process.off("SIGINT", onSigint);
    clearInterval(beat);
    if (fd !== undefined) closeSync(fd);
    await registry.unlock(run.name, opId);
  }
}

function outputKinds(t: LoadedTemplate): Record<string, "entrypoint" | "status"> {
  const kinds: Record<string, "entrypoint" | "status"> = {};
  for (const [k, o] of Object.entries(t.spec.outputs)) {
    if (typeof o !== "string" && o.kind !== "info") kinds[k] = o.kind;
  }
  return kinds;
}

async function setParams(stack: Stack, params: Record<string, ParamValue>, template: LoadedTemplate): Promise<void> {
  const config: ConfigMap = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === SECRET && template.spec.parameters[k]?.secret) continue;
    config[`${PROJECT}:${k}`] = { value: String(v), secret: !!template.spec.parameters[k]?.secret };
  }
  if (Object.keys(config).length) await stack.setAllConfig(config);
}

async function recordResources(registry: Registry, name: string, stack: Stack): Promise<void> {
  const state = await stack.exportStack();
  const pending = ((state.deployment as { pending_operations?: { resource: { urn: string } }[] }).pending_operations ?? []).map(
    (p) => p.resource.urn,
  );
  await registry.setResources(name, resourcesFromState(state.deployment, pending));
}

const PAST: Record<string, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged" };

export function describeChanges(changes: Record<string, number>): string {
  const order = ["create", "update", "replace", "delete", "same"];
  const parts = Object.entries(changes)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (order.indexOf(a) + 99) % 99 - ((order.indexOf(b) + 99) % 99))
    .map(([k, n]) => `${n} ${PAST[k] ?? k}`);
  return parts.join(", ") || "no changes";
}

/** The engine's own words, without the Automation API's wrapping: its error lines. */
export function engineMessage(err: unknown): string {
  const text = (err as Error)?.message ?? String(err);
  if ((err as Error)?.name === "ConcurrentUpdateError") {
    return "the Pulumi state is locked by another update; if no infra run is going on, run infra env recover";
  }
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^error:/.test(l) && !/^error: update failed$/.test(l));
  const unique = [...new Set(lines.map((l) => l.replace(/^error:\s*/, "")))];
  return unique.slice(0, 3).join("; ") || text.split("\n")[0]!;
}
