// The typed events an operation publishes. The CLI's progress line, the event
// files and (later) the server's notifications all consume these; none of
// them parses engine output.
import type { Operation } from "../core/status.js";
import type { Notification } from "../registry/types.js";
import type { AppContext } from "./ports.js";

export type OperationEvent =
  /** `total`: how many resources the environment had, when known (for "updating 3/12"). */
  | { type: "started"; environment: string; operation: string; kind: Operation; total?: number }
  /** An engine phase: a preview before asking, the run itself, a refresh before a recovery. */
  | { type: "phase"; name: string }
  /** `part`: the part of a longer job the resource belongs to (bootstrap: cluster, platform services, GitOps). */
  | { type: "step"; state: "started" | "done" | "failed"; op: string; resourceType: string; urn: string; name: string; part?: string }
  | { type: "diagnostic"; severity: string; message: string; urn?: string }
  | { type: "summary"; changes: Record<string, number> }
  /** A part of a longer job a user follows (bootstrap: cluster, platform services, GitOps, initial environments). */
  | { type: "section"; name: string }
  /** Something the operation does or waits for, worth a line to a watching user. */
  | { type: "notice"; message: string }
  | { type: "finished"; result: "succeeded" | "failed" | "interrupted" | "declined"; changes: Record<string, number>; message?: string };

export type EventListener = (e: OperationEvent) => void;

/** One resource a preview says will change: its fields old -> new, and which force a replacement. */
/** What a drift check found of one resource: changed outside infra (each field: declared, actual), or missing. */
export interface DriftedResource {
  /** unmanaged: in the environment's namespaces, declared by nobody (Kubernetes only; never makes it drifted). */
  state: "changed" | "missing" | "unmanaged";
  type: string;
  name: string;
  urn: string;
  fields: { path: string; declared?: unknown; actual?: unknown }[];
}

/** Whether a finding makes the environment drifted: a change or a deletion, not an object nobody declared. */
export const drifts = (r: DriftedResource) => r.state !== "unmanaged";

export interface PlannedChange {
  /** create, update, replace, delete. */
  op: string;
  type: string;
  name: string;
  fields: { path: string; old?: unknown; new?: unknown; replaces: boolean }[];
}

const PAST: Record<string, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
  read: "read",
  refresh: "refreshed",
  import: "imported",
  discard: "released (read, not owned)",
  forget: "forgotten (left where they were)",
  "create-replacement": "replaced",
};

/** An engine step's op in plain words: "create-replacement" is the new copy of a replaced resource. */
export const STEP_WORDS: Record<string, string> = {
  "create-replacement": "create (replacement)",
  "delete-replaced": "delete (replaced)",
  "discard-replaced": "forget (replaced)",
  discard: "forget",
  "remove-pending-replace": "forget (pending replacement)",
};

/** "2 created, 1 updated, 5 unchanged". */
export function describeChanges(changes: Record<string, number>): string {
  const order = ["create", "update", "replace", "delete", "same"];
  const rank = (k: string) => (order.indexOf(k) + 99) % 99;
  const parts = Object.entries(changes)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, n]) => `${n} ${PAST[k] ?? k}`);
  return parts.join(", ") || "no changes";
}

/** A notification for the outbox, with the headers the context publishes its notifications with (its trace). */
export function notification(ctx: Pick<AppContext, "notifyHeaders">, n: Notification): Notification {
  const headers = ctx.notifyHeaders?.();
  return headers && Object.keys(headers).length ? { ...n, headers } : n;
}
