// `infra env health <name>`: each status output probed now. Exit 0 healthy
// (or nothing to check, or nothing that can answer), 5 (EXIT.unhealthy) when a
// check fails.
import type { HealthReport } from "../../../app/health.js";
import type { Status } from "../../../core/status.js";
import type { EngineOptions } from "../../app-context.js";
import { table } from "../../output.js";
import { submitCommand } from "./submit.js";

export async function envHealth(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "health", environment: name }, opts);
}

const HEADLINE: Record<HealthReport["state"], string> = {
  ok: "healthy",
  failing: "unhealthy",
  unverifiable: "not checked",
  none: "nothing to check (no output of kind status)",
};

/** A headline, then one row per check: its state, output, target and what it found. */
export function healthText(name: string, status: Status, r: HealthReport): string {
  const head = `${name}: ${HEADLINE[r.state]} (status ${status})`;
  if (!r.checks.length) return head;
  const rows = r.checks.map((c) => [c.state, c.output, c.target, `${c.detail}${c.attempts > 1 ? ` (${c.attempts} attempts)` : ""}`]);
  return `${head}\n${table(["CHECK", "OUTPUT", "TARGET", "FOUND"], rows).trimEnd()}`;
}
