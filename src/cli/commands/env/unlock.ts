// `infra env unlock <name> --force`: removes a lock whose run is gone for
// good where infra cannot prove it (another host that stopped heartbeating
// less than two minutes ago, a registry restored from a backup). Audited.
import { UsageError } from "../../../core/errors.js";
import type { EngineOptions } from "../../app-context.js";
import { submitCommand } from "./submit.js";

export async function envUnlock(name: string, opts: EngineOptions & { force?: boolean; reason?: string }): Promise<void> {
  if (!opts.force) {
    throw new UsageError(`infra env unlock takes --force: it removes ${name.slice(0, 40)}'s lock even if its run is alive, and marks that run interrupted`);
  }
  await submitCommand({ kind: "unlock", environment: name, reason: opts.reason ?? "forced with infra env unlock" }, opts);
}
