// The environment registry's interface. Callers depend on this only; the
// SQLite implementation is the embedded default, and a PostgreSQL one can
// follow without changing them (hence every method is async).
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
  /** Planned destruction (from --ttl). */
  expiresAt?: string;
}

export type EnvironmentSummary = Pick<
  Environment,
  "name" | "status" | "template" | "createdAt" | "expiresAt" | "description"
> & { tags: Record<string, string> };

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

export type OperationResult = "running" | "succeeded" | "failed" | "interrupted";

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
}

export interface LockOwner {
  operationId: string;
  owner: string;
  host: string;
  pid: number;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface ListQuery {
  status?: string;
  tags?: Record<string, string>;
  search?: string;
  /** 0 for all. */
  limit?: number;
}

export interface Registry {
  readonly location: string;
  get(name: string): Promise<Environment | undefined>;
  list(q?: ListQuery): Promise<{ items: EnvironmentSummary[]; total: number }>;
  /** Inserts a new environment in status deploying (or revives a destroyed one). */
  create(env: NewEnvironment, operationId: string): Promise<Environment>;
  transition(name: string, to: Status, t: { operationId?: string; reason?: string }): Promise<void>;
  update(name: string, patch: { params?: Record<string, unknown>; template?: TemplateRef }): Promise<void>;
  setOutputs(name: string, outputs: Record<string, OutputValue>): Promise<void>;
  setResources(name: string, resources: ResourceRecord[]): Promise<void>;
  resources(name: string): Promise<ResourceRecord[]>;
  history(name: string): Promise<Transition[]>;
  addDependency(name: string, dependsOn: string, reason: string): Promise<void>;
  dependencies(name: string): Promise<string[]>;
  /** Environments not destroyed that depend on this one. */
  dependents(name: string): Promise<string[]>;
  startOperation(name: string, kind: Operation, who: string, eventsFile?: string, id?: string): Promise<OperationRecord>;
  finishOperation(
    id: string,
    r: { result: OperationResult; summary?: Record<string, number>; message?: string },
  ): Promise<void>;
  operations(name: string): Promise<OperationRecord[]>;
  operation(id: string): Promise<OperationRecord | undefined>;
  /** Atomic: takes the lock or throws ConflictError naming the holder. Breaks a lock whose owner is gone. */
  lock(name: string, owner: Omit<LockOwner, "acquiredAt" | "heartbeatAt">): Promise<void>;
  /**
   * Releases every lock whose owner is gone (a killed run), marking its
   * operation and, if it was mid-flight, its environment interrupted.
   */
  reapStale(): Promise<{ environment: string; operationId: string }[]>;
  heartbeat(name: string, operationId: string): Promise<void>;
  unlock(name: string, operationId: string): Promise<void>;
  lockHolder(name: string): Promise<LockOwner | undefined>;
  audit(who: string, action: string, environment: string | undefined, detail: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}
