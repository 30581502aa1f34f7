// The CLI's edge: what each error kind becomes as an exit code.
import type { ErrorKind } from "../core/errors.js";

/** drifted: a drift check found the world differs from what the environment declares (not an error). */
/** unhealthy: a health check found a status output failing (an answer, not an error of the check). */
export const EXIT = { ok: 0, failure: 1, usage: 2, conflict: 3, drifted: 4, unhealthy: 5, interrupted: 130 } as const;

const BY_KIND: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  conflict: EXIT.conflict,
  locked: EXIT.conflict,
  "not-found": EXIT.failure,
  engine: EXIT.failure,
  internal: EXIT.failure,
};

export function exitCode(kind: ErrorKind): number {
  return BY_KIND[kind];
}
