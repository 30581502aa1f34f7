// `infra env unlock <name> --force`: removes a lock whose run is gone for
// good where infra cannot prove it (another host that stopped heartbeating
// less than two minutes ago, a registry restored from a backup). Audited.
import { UsageError } from "../../../core/errors.js";
import { checkName } from "../../../core/inputs.js";
import { localActor } from "../../../core/actor.js";
import { withRegistry } from "../../app.js";
import type { GlobalOptions } from "../../context.js";
import { out, printJson } from "../../output.js";

export async function envUnlock(name: string, opts: GlobalOptions & { force?: boolean; reason?: string }): Promise<void> {
  checkName(name);
  if (!opts.force) {
    throw new UsageError(`infra env unlock takes --force: it removes ${name}'s lock even if its run is alive, and marks that run interrupted`);
  }
  await withRegistry(async (r) => {
    const removed = await r.forceUnlock(name, localActor().who, opts.reason ?? "forced with infra env unlock");
    if (opts.json) return printJson({ environment: name, removed: removed ?? null });
    out(
      removed
        ? `${name}: removed the lock of ${removed.owner} (pid ${removed.pid} on ${removed.host}, operation ${removed.operationId}); run infra env recover ${name}`
        : `${name}: not locked`,
    );
  });
}
