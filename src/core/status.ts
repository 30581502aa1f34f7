// The environment status machine. Every transition is kept in the registry's
// history; an environment is never deleted, only destroyed.
import { ConflictError } from "./errors.js";

/** deployed-validating: the engine is done and the status checks (its health) are being probed. */
export const STATUSES = ["deploying", "deployed-validating", "deployed-ok", "deployed-fail", "destroying", "destroyed", "interrupted", "drifted"] as const;
export type Status = (typeof STATUSES)[number];

/** A deployment stands, whatever its last check found: what day-2 operations (update, drift, health, …) start from. */
export const DEPLOYED = ["deployed-ok", "deployed-fail", "drifted"] as const satisfies readonly Status[];
export const isDeployed = (s: string): boolean => (DEPLOYED as readonly string[]).includes(s);

/** An engine run is under way (or was, when its process died): what a lost lock leaves interrupted. */
export const MID_FLIGHT = ["deploying", "destroying"] as const satisfies readonly Status[];
export const isMidFlight = (s: string | undefined): boolean => (MID_FLIGHT as readonly (string | undefined)[]).includes(s);

/** The operations that move an environment (what each may start from: src/app/operation.ts). */
/** forget: drop an environment whose cluster is gone for good (its state emptied, nothing called). */
/** drift: a check of the world against the state (a refresh preview); it writes nothing to the state. */
/** reconcile: puts back what the environment declares (an update that refreshes first). */
/** health: its status checks probed now (no engine run). */
/** record: what another infra made and keeps the stack of, written down (no engine run; src/app/record.ts). */
export const OPERATIONS = ["create", "update", "upgrade", "destroy", "refresh", "recover", "forget", "drift", "reconcile", "health", "record"] as const;
export type Operation = (typeof OPERATIONS)[number];

const NEXT: Record<Status | "new", readonly Status[]> = {
  new: ["deploying"],
  deploying: ["deployed-validating", "deployed-ok", "deployed-fail", "interrupted"],
  "deployed-validating": ["deployed-ok", "deployed-fail", "interrupted"],
  // A health check may find a deployed environment failing, and a failing one well again.
  "deployed-ok": ["deploying", "destroying", "drifted", "deployed-fail"],
  "deployed-fail": ["deploying", "destroying", "deployed-ok"],
  drifted: ["deploying", "destroying", "deployed-ok"],
  // Only a recovery (or a destroy, which recovers first) may leave it.
  interrupted: ["deploying", "destroying", "deployed-ok", "deployed-fail"],
  destroying: ["destroyed", "deployed-fail", "interrupted"],
  // A destroyed name may be created again; its history stays.
  destroyed: ["deploying"],
};

export function canMove(from: Status | "new", to: Status): boolean {
  return NEXT[from].includes(to);
}

export function assertMove(name: string, from: Status | "new", to: Status): void {
  if (!canMove(from, to)) {
    const remedy =
      from === "interrupted"
        ? ({ run: "recover", environment: name } as const)
        : from === "destroyed"
          ? ({ run: "create", environment: name } as const)
          : undefined;
    throw new ConflictError(`environment ${name} is ${from}: it cannot go to ${to}`, remedy ? { remedy } : {});
  }
}

/** The status an operation's outcome leaves. */
export function outcome(op: Operation, ok: boolean): Status {
  if (op === "destroy" || op === "forget") return ok ? "destroyed" : "deployed-fail";
  return ok ? "deployed-ok" : "deployed-fail";
}
