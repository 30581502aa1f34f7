// Rows to records, shared by the SQLite and PostgreSQL registries: both keep
// the same columns, so a record reads the same from either.
import type { Operation, Status } from "../core/status.js";
import type {
  AuditEntry,
  IdempotentRecord,
  Notification,
  LockOwner,
  OperationRecord,
  OperationResult,
  OutboxEntry,
  ResourceRecord,
  TokenRecord,
  TokenRole,
  Transition,
} from "./types.js";

export type Row = Record<string, unknown>;

export function toLock(r: Row): LockOwner {
  return {
    operationId: r.operation_id as string,
    owner: r.owner as string,
    host: r.host as string,
    pid: r.pid as number,
    ...(r.started ? { started: r.started as string } : {}),
    ...(r.node ? { node: r.node as string } : {}),
    acquiredAt: r.acquired_at as string,
    heartbeatAt: r.heartbeat_at as string,
  };
}

export function toOperation(r: Row): OperationRecord {
  return {
    id: r.id as string,
    environment: r.name as string,
    kind: r.kind as Operation,
    startedAt: r.started_at as string,
    result: r.result as OperationResult,
    who: r.who as string,
    ...(r.ended_at ? { endedAt: r.ended_at as string } : {}),
    ...(r.summary ? { summary: JSON.parse(r.summary as string) as Record<string, number> } : {}),
    ...(r.message ? { message: r.message as string } : {}),
    ...(r.events_file ? { eventsFile: r.events_file as string } : {}),
    ...(r.params ? { params: JSON.parse(r.params as string) as Record<string, unknown> } : {}),
  };
}

export function toResource(r: Row, dependsOn: string[]): ResourceRecord {
  return {
    urn: r.urn as string,
    type: r.type as string,
    name: r.name as string,
    status: r.status as string,
    ...(r.provider_id ? { providerId: r.provider_id as string } : {}),
    ...(r.parent ? { parent: r.parent as string } : {}),
    ...(r.component ? { component: r.component as string } : {}),
    dependsOn,
  };
}

export function toTransition(r: Row): Transition {
  return {
    from: r.from_status as Transition["from"],
    to: r.to_status as Status,
    at: r.at as string,
    ...(r.operation_id ? { operationId: r.operation_id as string } : {}),
    ...(r.reason ? { reason: r.reason as string } : {}),
  };
}

export function tokenRecord(r: Row): TokenRecord {
  return {
    name: r.name as string,
    role: r.role as TokenRole,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    ...(r.revoked_at ? { revokedAt: r.revoked_at as string } : {}),
  };
}

export function idempotentRecord(r: Row): IdempotentRecord {
  return { operationId: r.operation_id as string, ...(r.fingerprint ? { fingerprint: r.fingerprint as string } : {}) };
}

/** A notification's headers as the outbox stores them: JSON, or NULL when it has none. */
export const headersText = (n: Notification): string | null => (n.headers && Object.keys(n.headers).length ? JSON.stringify(n.headers) : null);

export function outboxEntry(r: Row): OutboxEntry {
  return {
    id: r.id as string,
    key: r.routing_key as string,
    body: JSON.parse(r.body as string) as Record<string, unknown>,
    ...(typeof r.headers === "string" && { headers: JSON.parse(r.headers) as Record<string, string> }),
    createdAt: r.created_at as string,
  };
}

export function toAudit(r: Row): AuditEntry {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(r.detail as string) as Record<string, unknown>;
  } catch {
    // an entry written by hand: its detail is shown as nothing rather than refused
  }
  return {
    seq: Number(r.seq),
    at: r.at as string,
    who: r.who as string,
    action: r.action as string,
    ...(r.name ? { environment: r.name as string } : {}),
    detail,
  };
}
