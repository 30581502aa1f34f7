// What the use cases need from the world, as interfaces: the CLI, the server
// and the reaper each hand in their own (a terminal's confirm, a worker's
// signal), and tests can hand in fakes.
import type { LiveObject, ObjectRef } from "../kube/objects.js";
import type { Registry, ResourceRecord } from "../registry/types.js";
import type { TemplateSpec } from "../templates/schema.js";
import type { LoadedTemplate } from "../templates/load.js";
import type { EventListener, PlannedChange, DriftedResource } from "./events.js";
import type { ManagedObject, ManagedRelease } from "./unmanaged.js";
import type { SetPlan } from "./set-plan.js";

/** How often a held lock's heartbeat is written by default (an operation's, a health check's): see AppContext.heartbeatMs. */
export const HEARTBEAT_MS = 15_000;

/** A stack config value; "keep" leaves a secret's encrypted value as it is. */
export type ConfigValue = { value: string; secret: boolean } | "keep";

export interface StepResult {
  changes: Record<string, number>;
  /** A preview's changes, resource by resource. */
  plan?: PlannedChange[];
}

/** One environment's Pulumi stack, opened for one operation. */
export interface StackSession {
  readonly name: string;
  /** "exact": the configuration becomes `values` (other keys removed); "merge": only these keys are set. */
  configure(values: Record<string, ConfigValue>, mode?: "exact" | "merge"): Promise<void>;
  snapshotConfig(): string | undefined;
  restoreConfig(snapshot: string | undefined): void;
  /** Keeps the configuration an operation succeeded with, for a later recovery. */
  saveLastGood(operationId: string): void;
  lastGood(): { config: string; operation: string } | undefined;
  /** `refresh`: compare with what the providers read now, not with the state (a reconcile). */
  preview(listen: EventListener, raw: (e: unknown) => void, signal?: AbortSignal, opts?: { refresh?: boolean }): Promise<StepResult>;
  up(
    listen: EventListener,
    raw: (e: unknown) => void,
    signal?: AbortSignal,
    opts?: { refresh?: boolean },
  ): Promise<StepResult & { outputs: Record<string, { value: unknown; secret: boolean }> }>;
  destroy(listen: EventListener, raw: (e: unknown) => void, signal?: AbortSignal): Promise<StepResult>;
  refresh(listen: EventListener, raw: (e: unknown) => void, signal?: AbortSignal): Promise<StepResult>;
  /**
   * A refresh preview: what differs between the state and the world, nothing written; and the
   * Kubernetes objects and Helm releases the state holds (for what nobody declared).
   */
  drift(
    listen: EventListener,
    raw: (e: unknown) => void,
    signal?: AbortSignal,
  ): Promise<{ resources: DriftedResource[]; managed?: { objects: ManagedObject[]; releases: ManagedRelease[] } }>;
  releaseAbandoned(say: (text: string) => void): Promise<void>;
  /** Removes the stack and its state without calling any provider: for a cluster gone for good. */
  forget(): Promise<void>;
  resources(): Promise<ResourceRecord[]>;
  /** The stack's outputs, secrets decrypted (for infra's own use: never shown or recorded). */
  outputs(): Promise<Record<string, { value: unknown; secret: boolean }>>;
}

export interface EngineRunner {
  /** Everything about the engine that can refuse, before anything is written. */
  check(spec: TemplateSpec, location?: string): Promise<void>;
  /**
   * A keyed digest of a text (HMAC-SHA256 with the secrets passphrase): what a set's run applied,
   * kept in the registry and compared later, without the registry holding anything a secret can be guessed from.
   */
  seal(text: string): string;
  /** `fresh`: a new environment; a stack that already holds resources is refused. */
  open(name: string, spec: TemplateSpec, opts?: { fresh?: boolean }): Promise<StackSession>;
}

/** Where an environment's template comes from, by reference or by its recorded source. */
export interface TemplateStore {
  find(ref: string): Promise<LoadedTemplate>;
  /** The template an environment was made from: its id and version, from the source it recorded. */
  recorded(t: { id: string; version: string; source: string }): Promise<LoadedTemplate>;
}

/** The clusters locations name: the sandbox (started when needed) and kubeconfig contexts. */
export interface Clusters {
  /** The kubeconfig (contents) of a location's cluster; `say` gets one-line notices (starting the sandbox). */
  kubeconfig(location: string, say: (line: string) => void): Promise<string>;
  /** Whether the location's cluster answers (its API server's version), before anything is written. */
  check?(location: string, say: (line: string) => void): Promise<void>;
  /** Every object in these namespaces of the location's cluster (metadata only). */
  objects?(location: string, namespaces: string[]): Promise<LiveObject[]>;
  /** These objects as the location's cluster holds them now (undefined: not there). */
  get?(location: string, refs: ObjectRef[]): Promise<(Record<string, unknown> | undefined)[]>;
  /** Deletes these objects from the location's cluster (one already gone is not an error). */
  delete?(location: string, refs: ObjectRef[]): Promise<void>;
}

/** One attempt at a status check, as this machine sees the location's network. */
export type ProbeAnswer =
  | { state: "ok"; detail: string }
  | { state: "failing"; detail: string }
  /** Nothing there can answer (kwok's simulated pods): said, neither passed nor failed. */
  | { state: "unverifiable"; detail: string };

export interface Prober {
  /** `target`: an http(s) URL or host:port; `location`: the environment's (the sandbox's are reached through its ingress). */
  probe(target: string, location: string, timeoutMs: number): Promise<ProbeAnswer>;
}

export interface Actor {
  /** user@host, or a token's name on the server. */
  who: string;
  host: string;
  pid: number;
}

export interface ConfirmRequest {
  environment: string;
  kind: "update" | "upgrade" | "reconcile" | "refresh" | "destroy" | "reap" | "forget" | "apply";
  changes: Record<string, number>;
  /** A destroy or the reaper: the environments it would destroy, in order. */
  order?: string[];
  /** An update's or upgrade's preview, resource by resource. */
  plan?: PlannedChange[];
  /** "basic 1.0.0 -> 1.1.0" for an upgrade. */
  detail?: string;
  /** infra apply: the set's plan, environment by environment (`environment` is the set's name). */
  set?: SetPlan;
}

export interface AppContext {
  registry: Registry;
  engine: EngineRunner;
  templates: TemplateStore;
  /** Absent: no location provides a cluster (templates reading ${location.kubeconfig} are refused). */
  clusters?: Clusters;
  actor: Actor;
  /** The infra home: events/ lives under it. */
  home: string;
  now: () => Date;
  /** Every event of the operation (progress lines, notifications). */
  listen?: EventListener;
  /** Asked after an update's preview, and before a destroy; absent: go ahead without asking. */
  confirm?: (r: ConfirmRequest) => Promise<boolean>;
  /** Aborting stops the engine after its in-flight steps; the environment is left interrupted. */
  signal?: AbortSignal;
  /** Write each operation's notifications (started, succeeded, failed, …) to the registry's outbox, for the bus. */
  notify?: boolean;
  /** The headers this context's notifications are published with (the server's W3C trace context). */
  notifyHeaders?: () => Record<string, string>;
  /** How often the lock's heartbeat is written (default 15 s). */
  heartbeatMs?: number;
  /** Probes status outputs after a deployment and for infra env health; absent: they are not checked. */
  prober?: Prober;
  /**
   * A context for one of several operations run at once (a set's): the same world, its events a
   * stream of their own (a progress line, a trace, a log child each). Absent: they share `listen`.
   */
  fork?: () => AppContext;
  /** A set's plan, made and accepted, just before it runs (the server answers the request with it). */
  planned?: (plan: SetPlan) => void;
}
