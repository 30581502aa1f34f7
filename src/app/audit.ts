// Reading the audit log: who did what to which environment, newest first,
// with the same filters and paging for the CLI and the REST API.
import { shown, UsageError } from "../core/errors.js";
import { parseTtl } from "../core/inputs.js";
import type { AuditEntry, AuditFilter, Registry } from "../registry/types.js";

export interface AuditQuery {
  environment?: string;
  actor?: string;
  action?: string;
  /** A duration back from now (24h, 7d) or an ISO 8601 time. */
  since?: string;
  before?: number;
  limit?: number;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `before` for the next (older) page; absent on the last. */
  next?: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/;

/** The filters checked (one UsageError naming the field), then one page of entries. */
export async function auditPage(registry: Registry, q: AuditQuery, now: () => Date = () => new Date()): Promise<AuditPage> {
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError("a whole number from 1 to 1000", { field: "limit", value: shown(String(q.limit), 20) });
  if (q.before !== undefined && (!Number.isInteger(q.before) || q.before < 1))
    throw new UsageError("a sequence number from a previous page's next", { field: "before", value: shown(String(q.before), 20) });
  let since: string | undefined;
  if (q.since !== undefined) {
    if (ISO.test(q.since) && !Number.isNaN(Date.parse(q.since))) since = new Date(Date.parse(q.since)).toISOString();
    else since = new Date(now().getTime() - parseSince(q.since)).toISOString();
  }
  const filter: AuditFilter = {
    ...(q.environment !== undefined && { environment: q.environment }),
    ...(q.actor !== undefined && { who: q.actor }),
    ...(q.action !== undefined && { action: q.action }),
    ...(since !== undefined && { since }),
    ...(q.before !== undefined && { before: q.before }),
    // One more than asked: whether there is a next page.
    limit: limit + 1,
  };
  const rows = await registry.auditLog(filter);
  const items = rows.slice(0, limit);
  return { items, ...(rows.length > limit && { next: items.at(-1)!.seq }) };
}

function parseSince(text: string): number {
  try {
    return parseTtl(text);
  } catch {
    throw new UsageError("a duration back from now (30m, 24h, 7d) or a time (2026-12-01T09:00Z)", { field: "since", value: shown(text, 40) });
  }
}
