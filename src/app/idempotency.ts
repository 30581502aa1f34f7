// Idempotency, in one place for every door: a key names one request; the
// same key again returns the operation it started (a retry, a redelivered
// message), and the same key with another request is refused, as the IETF
// Idempotency-Key draft asks (422), rather than silently answering the first.
import { UsageError } from "../core/errors.js";
import type { Registry } from "../registry/types.js";
import type { Outcome } from "./execute.js";

/** What submitting a command gave: the operation it started, or the outcome when it started none. */
export interface Submitted {
  operationId?: string;
  environment?: string;
  /** When no operation started (nothing to destroy, a dry run, an extend). */
  outcome?: Outcome;
  /** The key had been seen: this is the operation the first request started. */
  replayed?: boolean;
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

export async function submitOnce(
  registry: Registry,
  scope: string,
  key: string | undefined,
  fingerprint: string,
  start: () => Promise<Submitted>,
): Promise<Submitted> {
  if (key === undefined) return start();
  if (!IDEMPOTENCY_KEY.test(key)) throw new UsageError("1 to 200 letters, digits, '.', '_', ':' or '-'", { field: "idempotencyKey" });
  const earlier = await registry.idempotent(scope, key);
  if (earlier) {
    if (earlier.fingerprint && earlier.fingerprint !== fingerprint) {
      throw new UsageError(`this key was used for another request (operation ${earlier.operationId}): use a new key for a new request`, {
        field: "idempotencyKey",
      });
    }
    return { operationId: earlier.operationId, replayed: true };
  }
  const started = await start();
  // An outcome with no operation (nothing to destroy) is not remembered: asking again answers the same.
  if (!started.operationId) return started;
  const kept = await registry.rememberIdempotent(scope, key, started.operationId, fingerprint);
  return kept.operationId === started.operationId ? started : { operationId: kept.operationId, replayed: true };
}
