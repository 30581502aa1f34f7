// The environment registry's interface. Callers depend on this only: SQLite
// (embedded, the default) and PostgreSQL (shared) implement it, and one
// contract suite holds both to it (hence every method is async).
import type { Operation, Status } from "../core/status.js";

export interface OutputValue {
  /** Absent for a secret: the registry never holds a secret's value. */
  value?: unknown;
  secret: boolean;
  /** What the template promises it is: an entrypoint (where users go) or a status endpoint. */
  kind?: "entrypoint" | "status";
}

export interface TemplateRef {
  id: string;
  version: string;
  /** Where it came from: "builtin", a folder, or a git URL with its commit. */
  source: string;
}

export interface Environment {
  id: string;
  name: string;
  description: string;
  template: TemplateRef;
  location: string;
  status: Status;
  /** Parameters as given; secret ones are kept as "[secret]". */
  params: Record<string, unknown>;
  tags: Record<string, string>;
  outputs: Record<string, OutputValue>;
  createdAt: string;
  updatedAt: string;
  destroyedAt?: string;
  /** Planned destruction (from a time to live). */
  expiresAt?: string;
}

export type EnvironmentSummary = Pick<Environment, "name" | "status" | "template" | "createdAt" | "expiresAt" | "description"> & {
  tags: Record<string, string>;
};

export interface NewEnvironment {
  name: string;
  description: string;
  template: TemplateRef;
  location: string;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  expiresAt?: string;
}

export interface ResourceRecord {
  urn: string;
  type: string;
  name: string;
  providerId?: string;
  parent?: string;
  /** The template component that made it, when known. */
  component?: string;
  status: string;
  dependsOn: string[];
}

export interface Transition {
  from: Status | "new";
  to: Status;
  at: string;
  operationId?: string;
  reason?: string;
}

/** "declined": the user said no after the preview; nothing was applied. */
export type OperationResult = "running" | "succeeded" | "failed" | "interrupted" | "declined";

export interface OperationRecord {
  id: string;
  environment: string;
  kind: Operation;
  startedAt: string;
  endedAt?: string;
  result: OperationResult;
  /** Resource changes by kind (create, update, delete, same, …), from the SummaryEvent. */
  summary?: Record<string, number>;
  message?: string;
  who: string;
  eventsFile?: string;
  /** The parameters it applied, secrets redacted. */
  params?: Record<string, unknown>;
}

export interface LockOwner {
  operationId: string;
  owner: string;
  host: string;
  pid: number;
  /** The holder process's start time (see rules.ts): a reused pid is not the holder. */
  started?: string;
  /** Host, boot and pid namespace: where the pid means the holder. */
  node?: string;
  acquiredAt: string;
  heartbeatAt: string;
}

/** A notification for the bus, kept in the registry's outbox until the server has published it. */
export interface Notification {
  /** Stable across redeliveries: a consumer drops a repeat by it. */
  id: string;
  /** environment.<name>.<event> */
  key: string;
  body: Record<string, unknown>;
  /** Message headers it is published with (traceparent): strings only. */
  headers?: Record<string, string>;
}

export interface OutboxEntry extends Notification {
  createdAt: string;
}

/** What an operation's start writes, in one transaction. */
export interface Begin {
  operation: { id: string; kind: Operation; who: string; eventsFile?: string; params?: Record<string, unknown> };
  /** For a create: the new environment (inserted in status deploying, or a destroyed one revived). */
  create?: NewEnvironment;
  /** The environments this one reads outputs from: replaces what was recorded. */
  dependsOn?: { name: string; reason: string }[];
  /** Notifications of the start, written in the same transaction. */
  notify?: Notification[];
}

/** What an operation's end writes, in one transaction. */
export interface Commit {
  result: Exclude<OperationResult, "running">;
  /** The status the environment moves to (none: it stays). */
  status?: Status;
  reason?: string;
  message?: string;
  summary?: Record<string, number>;
  params?: Record<string, unknown>;
  template?: TemplateRef;
  outputs?: Record<string, OutputValue>;
  resources?: ResourceRecord[];
  dependsOn?: { name: string; reason: string }[];
  audit: { who: string; action: string; detail: Record<string, unknown> };
  /** Notifications of the end, written in the same transaction. */
  notify?: Notification[];
  /**
   * What a set's run applied (a keyed digest, see src/app/set-plan.ts). A commit that records
   * parameters or a template without one clears it: a change made outside the set is a change.
   */
  inputs?: string;
}

export interface IdempotentRecord {
  operationId: string;
  fingerprint?: string;
}

export type TokenRole = "read" | "write";

export interface TokenRecord {
  name: string;
  role: TokenRole;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

export interface ListQuery {
  status?: string;
  tags?: Record<string, string>;
  search?: string;
  /** 0 for all. */
  limit?: number;
  /** Skip this many (paging). */
  offset?: number;
}

/** What the use cases, the server and the CLI call: each operation's writes go through begin and commit. */
export interface Registry {
  readonly location: string;
  get(name: string): Promise<Environment | undefined>;
  list(q?: ListQuery): Promise<{ items: EnvironmentSummary[]; total: number }>;
  transition(name: string, to: Status, t: { operationId?: string; reason?: string }): Promise<void>;
  /** Sets (or clears) the planned destruction, with its audit entry, in one transaction. */
  setExpiry(name: string, expiresAt: string | undefined, who: string): Promise<void>;
  resources(name: string): Promise<ResourceRecord[]>;
  history(name: string): Promise<Transition[]>;
  dependencies(name: string): Promise<string[]>;
  /** What the last set run applied to it (Commit.inputs), unless changed since by another operation. */
  appliedInputs(name: string): Promise<string | undefined>;
  /** Environments not destroyed that depend on this one. */
  dependents(name: string): Promise<string[]>;
  /** Every dependency between environments, in one read: `from` reads `to`'s outputs. */
  dependencyEdges(): Promise<{ from: string; to: string; reason: string }[]>;
  operations(name: string): Promise<OperationRecord[]>;
  operation(id: string): Promise<OperationRecord | undefined>;
  /** Atomic: takes the lock or throws ConflictError naming the holder. Breaks a lock whose owner is gone. */
  lock(name: string, owner: Omit<LockOwner, "acquiredAt" | "heartbeatAt">): Promise<void>;
  /**
   * Releases every lock whose owner is gone (a killed run), marking its
   * operation and, if it was mid-flight, its environment interrupted.
   */
  reapStale(): Promise<{ environment: string; operationId: string }[]>;
  /** Keeps the lock fresh; false when this operation no longer holds it (broken or forced away). */
  heartbeat(name: string, operationId: string): Promise<boolean>;
  /** Removes a lock whatever its state, marking its operation interrupted; audited. Returns the holder it removed. */
  forceUnlock(name: string, who: string, reason: string): Promise<LockOwner | undefined>;
  /** An operation's start: its record, and for a create the environment and its dependencies. */
  begin(name: string, b: Begin): Promise<OperationRecord>;
  /** An operation's end: status, parameters, template, outputs, resources, dependencies and the result at once. */
  commit(name: string, operationId: string, c: Commit): Promise<void>;
  unlock(name: string, operationId: string): Promise<void>;
  lockHolder(name: string): Promise<LockOwner | undefined>;
  audit(who: string, action: string, environment: string | undefined, detail: Record<string, unknown>): Promise<void>;
  /** The audit log, newest first: filtered by environment and action, at most `limit` entries. */
  auditLog(filter: AuditFilter): Promise<AuditEntry[]>;
  /** A new bearer token, by the hash of its secret (audited); a name in use is a ConflictError. */
  createToken(t: { name: string; hash: string; role: TokenRole }, who: string): Promise<void>;
  /** The token whose secret has this hash, unless revoked. */
  tokenByHash(hash: string): Promise<TokenRecord | undefined>;
  tokens(): Promise<TokenRecord[]>;
  /** Revokes a token (audited); NotFoundError for a name never made. */
  revokeToken(name: string, who: string): Promise<void>;
  /** The operation an idempotency key started, within a scope (a token's name), and what its request was (a hash). */
  idempotent(scope: string, key: string): Promise<IdempotentRecord | undefined>;
  /** Records it; if another request recorded the key first, returns that one instead. */
  rememberIdempotent(scope: string, key: string, operationId: string, fingerprint?: string): Promise<IdempotentRecord>;
  /** Notifications not tied to an operation's change (the reaper's, a refused command's), kept until published. */
  enqueue(notifications: Notification[]): Promise<void>;
  /** The oldest notifications not yet published. */
  unsent(limit: number): Promise<OutboxEntry[]>;
  /** Published (the broker confirmed them); sent ones older than a day are dropped. */
  markSent(ids: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Single writes that set a registry's state directly: the implementations
 * have them for tests and benchmarks (and the contract suite holds them to
 * it); no use case calls them, so none can write half an operation.
 */
export interface RegistryFixtures {
  /** Inserts a new environment in status deploying (or revives a destroyed one). */
  create(env: NewEnvironment, operationId: string): Promise<Environment>;
  update(name: string, patch: { params?: Record<string, unknown>; template?: TemplateRef }): Promise<void>;
  setOutputs(name: string, outputs: Record<string, OutputValue>): Promise<void>;
  setResources(name: string, resources: ResourceRecord[]): Promise<void>;
  addDependency(name: string, dependsOn: string, reason: string): Promise<void>;
  startOperation(name: string, kind: Operation, who: string, eventsFile?: string, id?: string): Promise<OperationRecord>;
  finishOperation(id: string, r: { result: OperationResult; summary?: Record<string, number>; message?: string }): Promise<void>;
}

export interface AuditFilter {
  environment?: string;
  action?: string;
  /** Who did it (the actor as recorded: a user@host, a token's name, the reaper). */
  who?: string;
  /** Entries at or after this time (ISO 8601). */
  since?: string;
  /** Paging: entries older than this sequence number. */
  before?: number;
  limit?: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  who: string;
  action: string;
  environment?: string;
  detail: Record<string, unknown>;
}
