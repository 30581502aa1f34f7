// Parsing what a user types: environment names, key=value pairs, durations.
import { shown, UsageError } from "./errors.js";

/**
 * An environment name is a DNS label (it becomes a stack name and a
 * Kubernetes namespace): lowercase letters, digits and '-', starting with a
 * letter, at most 40 characters.
 */
export const NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** What a good environment name is, said once for every door. */
export const NAME_RULE =
  "use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 40 characters (for example dev or pr-123)";

export function checkName(name: string, what = "environment name"): string {
  if (!NAME.test(name)) throw new UsageError(NAME_RULE, { field: what === "environment name" ? "name" : what, value: shown(name, 50) });
  return name;
}

/** A key as a message may show it: printable and short. */
function safeKey(key: string): string {
  const k = key.replace(/[^\x20-\x7e]/g, "?");
  return k.length > 40 ? `${k.slice(0, 40)}…` : k;
}

/** `k=v` pairs from repeated flags; a key given twice is an error. */
export function parsePairs(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of values) {
    const eq = raw.indexOf("=");
    const key = eq < 0 ? raw : raw.slice(0, eq);
    // Never the value in a message: it may be a secret.
    if (eq < 0 || !key) {
      // Without '=' the text may be a value typed without its key: shown only if it looks like a key.
      const shown = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/.test(key) ? `'${key}' ` : "";
      throw new UsageError(`${flag} ${shown}has no value: write ${flag} key=value`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new UsageError(`${flag} '${safeKey(key)}=…': the key must start with a letter or '_' and hold only letters, digits, '_', '.', '-'`);
    }
    if (key in out) throw new UsageError(`${flag} ${key} is given twice: give each key once`);
    out[key] = raw.slice(eq + 1);
  }
  return out;
}

/** What a good time to live is, said once for every door. */
export const TTL_RULE = "use a duration like 30m, 72h, 7d or 1d12h, between 1m and 365d";

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A time to live like 30m, 72h, 7d, 2w or 1d12h, in milliseconds (at least a minute, at most a year). */
export function parseTtl(text: string): number {
  const parts = /^(?:\d+[mhdw])+$/.test(text) ? [...text.matchAll(/(\d+)([mhdw])/g)] : [];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  if (!parts.length || ms < UNIT_MS.m! || ms > 365 * UNIT_MS.d!) {
    throw new UsageError(TTL_RULE, { field: "ttl", value: shown(text, 30) });
  }
  return ms;
}
