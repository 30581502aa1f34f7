// The registry's rules, above any storage: when a lock's holder is gone, and
// what of an output may be kept. The SQLite implementation (and PostgreSQL's)
// call these; none decides them on its own.
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { LockOwner, OutputValue } from "./types.js";
import { isAlive, processStart } from "../core/process.js";
import { ConflictError, LockedError, NotFoundError } from "../core/errors.js";

/** Published notifications are kept this long (a look back after an incident), then dropped. */
export const OUTBOX_KEEP_MS = 86_400_000;

/** A lock held on another node whose heartbeat is older than this is stale. */
export const REMOTE_LOCK_STALE_MS = 120_000;

/**
 * Where pids mean the same thing: the host, its boot, and the pid namespace.
 * Two containers with one hostname, or a host rebooted, are different nodes.
 */
export function currentNode(): string {
  let boot = "";
  try {
    boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    boot = "";
  }
  let ns = "";
  try {
    ns = readlinkSync("/proc/self/ns/pid");
  } catch {
    ns = "";
  }
  return [hostname(), boot, ns].join("/");
}

/** What identifies this process in a lock. */
export function selfIdentity(): { host: string; pid: number; started: string; node: string } {
  return { host: hostname(), pid: process.pid, started: processStart(process.pid), node: currentNode() };
}

/**
 * A lock is stale when its holder is provably gone: on this node, its pid is
 * dead or now belongs to a process started at another time; elsewhere, its
 * heartbeat has been silent for REMOTE_LOCK_STALE_MS.
 */
export function isStale(l: LockOwner, node = currentNode(), now = Date.now()): boolean {
  const sameNode = l.node ? l.node === node : l.host === hostname();
  if (sameNode) {
    if (!isAlive(l.pid)) return true;
    return !!l.started && processStart(l.pid) !== l.started;
  }
  return now - Date.parse(l.heartbeatAt) > REMOTE_LOCK_STALE_MS;
}

/** Whatever a caller passes, a secret output's value is never kept. */
export function safeOutputs(outputs: Record<string, OutputValue>): Record<string, OutputValue> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, o]) => [k, { ...(o.secret ? {} : { value: o.value }), secret: o.secret, ...(o.kind ? { kind: o.kind } : {}) }]),
  );
}

/** The refusals every registry makes, worded once. */
export const refusals = {
  noEnvironment: (name: string) => new NotFoundError(`no environment named ${name}`, { remedy: { see: "environments" } }),
  exists: (name: string, status: string) =>
    new ConflictError(`environment ${name} already exists (${status}): pick another name`, { remedy: { run: "update", environment: name, or: true } }),
  locked: (name: string, h: LockOwner) =>
    new LockedError(
      `environment ${name} is locked by ${h.owner} (pid ${h.pid} on ${h.host}, operation ${h.operationId}, since ${h.acquiredAt}): wait for it to finish`,
      {
        remedy: { run: "unlock", environment: name, or: true },
      },
    ),
  tokenExists: (name: string) => new ConflictError(`a token named ${name} exists: revoke it first, or choose another name`),
  noToken: (name: string) => new NotFoundError(`no token named ${name}`),
};
