// `infra env reap [--dry-run]`: destroy expired environments, dependents
// first; one a live environment depends on is kept (said on stderr). Asks
// first unless --yes. `infra env extend <name> --ttl <duration>`.
import { UsageError } from "../../../core/errors.js";
import type { EngineOptions } from "../../app-context.js";
import { submitCommand } from "./submit.js";

export async function envReap(opts: EngineOptions & { dryRun?: boolean }): Promise<void> {
  await submitCommand({ kind: "reap", dryRun: !!opts.dryRun }, opts);
}

export async function envExtend(name: string, opts: EngineOptions & { ttl?: string }): Promise<void> {
  if (!opts.ttl) throw new UsageError("infra env extend needs --ttl <duration>, like 24h");
  await submitCommand({ kind: "extend", environment: name, ttl: opts.ttl }, opts);
}
