// The engine adapter. It takes a template, a signal and an event listener; it
// knows nothing of terminals, signals or exit codes. The application core
// (src/app) holds it as a port. Mostly the Automation API; where that would
// put a secret in a process's arguments (config set --secret) or cannot
// express a step, it runs the CLI itself (the value on standard input) or
// edits the stack's settings file, and says why where it does.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { DriftedResource, EventListener, PlannedChange } from "../app/events.js";
import type { ConfigValue, EngineRunner, StackSession, StepResult } from "../app/ports.js";
import { ConflictError } from "../core/errors.js";
import type { ResourceRecord } from "../registry/types.js";
import { templateProgram, PROJECT } from "../templates/program.js";
import type { TemplateSpec } from "../templates/schema.js";
import { openStack } from "./automation.js";
import { refreshPreview } from "./direct.js";
import { engineFailure, type Diagnostic } from "./errors.js";
import { StepCounter, typedEvents } from "./events.js";
import { driftedResource, managedKubernetes } from "./drift.js";
import type { ManagedObject, ManagedRelease } from "../app/unmanaged.js";
import { plannedChange } from "./plan.js";
import { locateEngine, assertCompatible, type EngineLocation } from "./locate.js";
import { removeFileBackendLocks, repairFileBackendAttrs, waitForOrphanEngine } from "./orphans.js";
import { assertPlugins } from "./plugins.js";
import { scrubSecrets } from "./scrub.js";
import { engineEnv, type RunSettings } from "./settings.js";
import { resourcesFromState } from "./state.js";

const RECOVER_WAIT_MS = Number(process.env.INFRA_RECOVER_WAIT_MS ?? 300_000);

export class AutomationRunner implements EngineRunner {
  private engine: EngineLocation | undefined;

  constructor(
    private readonly home: string,
    private readonly settings: RunSettings,
  ) {}

  async check(spec: TemplateSpec, location?: string): Promise<void> {
    this.engine ??= await locateEngine();
    engineEnv(this.engine, this.settings);
    assertCompatible(this.engine);
    assertPlugins(this.engine, spec, !!this.settings.pluginDownload, process.env, location);
  }

  seal(text: string): string {
    // Domain-separated from the secret marks a session keeps (setSecretOnce).
    return createHmac("sha256", this.settings.passphrase).update(`infra set inputs\0${text}`).digest("hex");
  }

  async open(name: string, spec: TemplateSpec, opts: { fresh?: boolean } = {}): Promise<StackSession> {
    this.engine ??= await locateEngine();
    const workDir = join(this.home, "workspaces", name);
    const spec_ = { project: PROJECT, stack: name, workDir, program: templateProgram(spec, name), engine: this.engine, settings: this.settings };
    const mode = opts.fresh ? "create-first" : "create-or-select";
    // What a killed run can leave half-written in the file backend, put right before the engine reads it.
    repairFileBackendAttrs(this.settings.backendUrl, PROJECT, name);
    const openIt = async () => {
      try {
        return await openStack(spec_, mode);
      } catch (err) {
        if ((err as Error).name !== "ConcurrentUpdateError") throw engineFailure(`opening the stack of ${name}`, err, []);
        // We hold the registry lock, so the engine's lock is a killed run's
        // (killed as it made the stack): wait for that engine, drop what it left.
        await waitForOrphanEngine(this.settings.backendUrl, PROJECT, name, workDir, RECOVER_WAIT_MS);
        removeFileBackendLocks(this.settings.backendUrl, PROJECT, name);
        try {
          return await openStack(spec_, mode);
        } catch (again) {
          throw engineFailure(`opening the stack of ${name}`, again, []);
        }
      }
    };
    if (!opts.fresh) {
      // Opened when first needed: a drift check never needs it (driftDirect), and opening costs
      // the Automation API's import (~0.8 s) and a CLI run.
      let opening: Promise<Stack> | undefined;
      return new AutomationSession(() => (opening ??= openIt().then((o) => o.stack)), name, workDir, this.engine, this.settings);
    }
    const { stack, created } = await openIt();
    const session = new AutomationSession(async () => stack, name, workDir, this.engine, this.settings);
    // Only a stack that was there before can hold resources (no state export otherwise).
    if (!created) await session.assertAdoptable();
    // A name created again must not recover into its former life.
    session.forgetLastGood();
    return session;
  }
}

/** Raw engine events, scrubbed, for the event file; typed ones for everyone else. */
export type RawListener = (raw: unknown) => void;

class AutomationSession implements StackSession {
  constructor(
    private readonly stack: () => Promise<Stack>,
    readonly name: string,
    private readonly workDir: string,
    private readonly engine: EngineLocation,
    private readonly settings: RunSettings,
  ) {}

  private get settingsFile(): string {
    return join(this.workDir, `Pulumi.${this.name}.yaml`);
  }

  private get lastGoodFile(): string {
    return join(this.workDir, `.infra-last-good.${this.name}.json`);
  }

  /**
   * A new environment gets an empty stack: one left with resources (a lost
   * registry, another registry on this backend) is refused, never adopted.
   */
  async assertAdoptable(): Promise<void> {
    const n = (await this.resources()).length;
    if (n > 0) {
      throw new ConflictError(
        `the state backend already has a stack ${PROJECT}/${this.name} holding ${n} resource${n > 1 ? "s" : ""} that this registry does not know (another registry on the same backend, or a lost registry): pick another name, or remove that stack (pulumi stack rm ${this.name} --force after destroying its resources)`,
      );
    }
  }

  private readSettings(): { config?: Record<string, unknown> } & Record<string, unknown> {
    if (!existsSync(this.settingsFile)) return {};
    return (parseYaml(readFileSync(this.settingsFile, "utf8")) as Record<string, unknown> | null) ?? {};
  }

  /**
   * The stack's configuration becomes exactly `values`: keys not in it are
   * removed; "keep" keeps a secret's encrypted value. Secret values go to the
   * CLI on its stdin, never in its arguments (/proc/<pid>/cmdline is readable
   * by every local user).
   */
  async configure(values: Record<string, ConfigValue>, mode: "exact" | "merge" = "exact"): Promise<void> {
    // Template parameters are the project's keys; infra's own (infra:…) come namespaced.
    const full = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);
    const plain: Record<string, { value: string; secret: false }> = {};
    const secrets: [string, string][] = [];
    for (const [k, v] of Object.entries(values)) {
      if (v === "keep") continue;
      if (v.secret) secrets.push([full(k), v.value]);
      else plain[full(k)] = { value: v.value, secret: false };
    }
    const wanted = new Set(Object.keys(values).map(full));
    // Plain values and removals are written to the stack's settings file
    // directly (what `pulumi config set-all` and `rm-all` would write, without
    // two CLI runs); encrypted values already there are kept as they are.
    const doc = this.readSettings();
    const config: Record<string, unknown> = { ...(doc.config ?? {}) };
    if (mode === "exact") for (const k of Object.keys(config)) if (!wanted.has(k)) delete config[k];
    for (const [k, v] of Object.entries(plain)) config[k] = v.value;
    const next = { ...doc, config };
    if (!Object.keys(config).length) delete (next as { config?: unknown }).config;
    const tmp = `${this.settingsFile}.${process.pid}.tmp`;
    writeFileSync(tmp, stringifyYaml(next), { mode: 0o600 });
    renameSync(tmp, this.settingsFile);
    for (const [key, value] of secrets) await this.setSecretOnce(key, value);
  }

  private get secretMarksFile(): string {
    return join(this.workDir, `.infra-secret-marks.${this.name}.json`);
  }

  /**
   * Sets a secret unless the stack holds it already: each set is one CLI run
   * (half a second), and every operation sets the location's kubeconfig. A
   * mark per key, an HMAC of the value keyed with the passphrase (so it says
   * nothing of a weak secret to whoever reads this folder), is kept with the
   * ciphertext it produced; the set is skipped only while the settings file
   * still holds exactly that ciphertext (a restored snapshot does not).
   */
  private async setSecretOnce(key: string, value: string): Promise<void> {
    const mark = createHmac("sha256", this.settings.passphrase).update(`${key}\0${value}`).digest("hex");
    const held = () => (this.readSettings().config?.[key] as { secure?: unknown } | undefined)?.secure;
    let marks: Record<string, { mark: string; secure: string }> = {};
    try {
      marks = JSON.parse(readFileSync(this.secretMarksFile, "utf8")) as typeof marks;
    } catch {
      // none yet, or unreadable: set it
    }
    const now = held();
    if (marks[key]?.mark === mark && typeof now === "string" && marks[key].secure === now) return;
    await this.setSecret(key, value);
    const secure = held();
    if (typeof secure !== "string") return;
    marks[key] = { mark, secure };
    const tmp = `${this.secretMarksFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(marks), { mode: 0o600 });
    renameSync(tmp, this.secretMarksFile);
  }

  private setSecret(key: string, value: string): Promise<void> {
    const env = { ...process.env, ...engineEnv(this.engine, this.settings) };
    return new Promise((resolve, reject) => {
      const child = spawn(this.engine.command, ["config", "set", "--secret", "--stack", this.name, key, "--non-interactive"], {
        cwd: this.workDir,
        env,
        stdio: ["pipe", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(engineFailure(`setting ${key.split(":")[1]} on ${this.name}`, new Error(stderr || `exit ${code}`), [])),
      );
      child.stdin.end(value);
    });
  }

  /** The stack's settings file as it is now (encrypted secrets only), to put back after a declined preview. */
  snapshotConfig(): string | undefined {
    return existsSync(this.settingsFile) ? readFileSync(this.settingsFile, "utf8") : undefined;
  }

  restoreConfig(snapshot: string | undefined): void {
    if (snapshot === undefined) return rmSync(this.settingsFile, { force: true });
    const tmp = `${this.settingsFile}.${process.pid}.tmp`;
    writeFileSync(tmp, snapshot, { mode: 0o600 });
    renameSync(tmp, this.settingsFile);
  }

  /** Kept after every successful operation: recovery puts the last good configuration back. */
  saveLastGood(operationId: string): void {
    const s = this.snapshotConfig();
    if (s === undefined) return;
    const tmp = `${this.lastGoodFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ operation: operationId, config: s }), { mode: 0o600 });
    renameSync(tmp, this.lastGoodFile);
  }

  forgetLastGood(): void {
    rmSync(this.lastGoodFile, { force: true });
  }

  lastGood(): { config: string; operation: string } | undefined {
    if (!existsSync(this.lastGoodFile)) return undefined;
    try {
      return JSON.parse(readFileSync(this.lastGoodFile, "utf8")) as { config: string; operation: string };
    } catch {
      return undefined; // written atomically; unreadable means tampered with: recover from the current config
    }
  }

  private async run<T>(
    what: string,
    listen: EventListener,
    raw: RawListener,
    fn: (onEvent: (e: EngineEvent) => void) => Promise<T>,
  ): Promise<{ value: T; changes: Record<string, number> }> {
    const diagnostics: Diagnostic[] = [];
    const steps = new StepCounter();
    const onEvent = (e: EngineEvent) => {
      // Debug diagnostics carry raw RPC payloads (secrets in clear, flattened
      // into text that cannot be scrubbed); Pulumi hides them too.
      if ((e.diagnosticEvent?.severity as string | undefined) === "debug") return;
      const clean = scrubSecrets(e);
      raw(clean);
      for (const t of typedEvents(clean)) {
        if (t.type === "diagnostic") diagnostics.push(t);
        steps.see(t);
        listen(t);
      }
    };
    try {
      const value = await fn(onEvent);
      return { value, changes: steps.changes() };
    } catch (err) {
      // What the engine did before it failed or was cancelled, for the operation's summary.
      throw Object.assign(engineFailure(what, err, diagnostics), { changes: steps.changes() });
    }
  }

  async preview(listen: EventListener, raw: RawListener, signal?: AbortSignal, opts: { refresh?: boolean } = {}): Promise<StepResult> {
    const plan: PlannedChange[] = [];
    const r = await this.run(`preview of ${this.name}`, listen, raw, async (onEvent) =>
      (await this.stack()).preview({
        diff: true,
        ...(opts.refresh && { refresh: true }),
        onEvent: (e) => {
          onEvent(e);
          const meta = e.resourcePreEvent?.metadata;
          const change = meta && plannedChange(scrubSecrets(meta));
          if (change) plan.push(change);
        },
        ...(signal && { signal }),
      }),
    );
    return { changes: r.value.changeSummary as Record<string, number>, plan };
  }

  async up(
    listen: EventListener,
    raw: RawListener,
    signal?: AbortSignal,
    opts: { refresh?: boolean } = {},
  ): Promise<StepResult & { outputs: Record<string, { value: unknown; secret: boolean }> }> {
    const r = await this.run(`${this.name}`, listen, raw, async (onEvent) =>
      (await this.stack()).up({ onEvent, ...(opts.refresh && { refresh: true }), ...(signal && { signal }) }),
    );
    return { changes: r.changes, outputs: r.value.outputs };
  }

  async destroy(listen: EventListener, raw: RawListener, signal?: AbortSignal): Promise<StepResult> {
    const r = await this.run(`${this.name}`, listen, raw, async (onEvent) => (await this.stack()).destroy({ onEvent, ...(signal && { signal }) }));
    return { changes: r.changes };
  }

  async refresh(listen: EventListener, raw: RawListener, signal?: AbortSignal): Promise<StepResult> {
    const r = await this.run(`refresh of ${this.name}`, listen, raw, async (onEvent) =>
      (await this.stack()).refresh({ onEvent, clearPendingCreates: true, ...(signal && { signal }) }),
    );
    return { changes: r.changes };
  }

  async drift(listen: EventListener, raw: RawListener, signal?: AbortSignal) {
    const resources: DriftedResource[] = [];
    const managed = { objects: [] as ManagedObject[], releases: [] as ManagedRelease[] };
    const seen = (e: EngineEvent) => {
      // The step's outcome (resOutputsEvent) carries the state before and what the provider read back.
      const meta = e.resOutputsEvent?.metadata;
      if (!meta) return;
      const clean = scrubSecrets(meta);
      const d = driftedResource(clean);
      if (d) resources.push(d);
      managedKubernetes(clean, managed);
    };
    await this.run(`drift check of ${this.name}`, listen, raw, async (onEvent) => {
      const both = (e: EngineEvent) => {
        onEvent(e);
        seen(e);
      };
      // A refresh preview runs no program: where the stack's workspace is made, the CLI runs it
      // directly (what the Automation API would run, without its import, version check and select).
      if (existsSync(join(this.workDir, "Pulumi.yaml"))) return refreshPreview(this.engine, this.settings, this.workDir, this.name, both, signal);
      await (await this.stack()).previewRefresh({ onEvent: both, ...(signal && { signal }) });
    });
    return { resources, managed };
  }

  async forget(): Promise<void> {
    // pulumi stack rm --force: the stack's state goes, no provider is called.
    await (await this.stack()).workspace.removeStack(this.name, { force: true });
    rmSync(this.lastGoodFile, { force: true });
  }

  /**
   * After a killed run: waits for its engine, still finishing its steps, to
   * stop; then our registry lock proves no infra run holds this stack, and
   * the engine's own lock, left behind, can go.
   */
  async releaseAbandoned(say: (text: string) => void): Promise<void> {
    await waitForOrphanEngine(this.settings.backendUrl, PROJECT, this.name, this.workDir, RECOVER_WAIT_MS, say);
    await (await this.stack()).cancel().catch(() => {});
  }

  async outputs(): Promise<Record<string, { value: unknown; secret: boolean }>> {
    const out = await (await this.stack()).outputs();
    return Object.fromEntries(Object.entries(out).map(([k, o]) => [k, { value: o.value, secret: o.secret }]));
  }

  async resources(): Promise<ResourceRecord[]> {
    const state = await (await this.stack()).exportStack();
    const deployment = state.deployment as { resources?: never[]; pending_operations?: { resource: { urn: string } }[] };
    const pending = (deployment.pending_operations ?? []).map((p) => p.resource.urn);
    return resourcesFromState(deployment, pending);
  }
}
