// `infra env update <name> --param k=v` and `infra env upgrade <name> --to <version>`:
// preview, ask (or --yes), apply.
import { updateEnvironment, upgradeEnvironment } from "../../../app/update.js";
import { UsageError } from "../../../core/errors.js";
import { checkName, parsePairs } from "../../../core/inputs.js";
import type { OperationResult } from "../../../app/operation.js";
import { assertCanAsk, withApp, type EngineOptions } from "../../app.js";
import type { GlobalOptions } from "../../context.js";
import { out } from "../../output.js";
import { printEnvironment } from "../../present.js";

export interface UpdateOptions extends EngineOptions {
  param?: string[];
  to?: string;
}

function show(name: string, r: OperationResult, opts: GlobalOptions): void {
  if (r.cancelled) {
    if (!opts.json) out(`${name}: not changed`);
    return;
  }
  printEnvironment(r.environment, opts, { changes: r.changes });
}

export async function envUpdate(name: string, opts: UpdateOptions): Promise<void> {
  checkName(name);
  const params = parsePairs(opts.param ?? [], "--param");
  assertCanAsk(opts, "infra env update asks before it applies");
  await withApp(opts, () => name, async (ctx) => show(name, await updateEnvironment(ctx, { name, params }), opts));
}

export async function envUpgrade(name: string, opts: UpdateOptions): Promise<void> {
  checkName(name);
  if (!opts.to) throw new UsageError("infra env upgrade needs --to <version> (see infra template show <id>)");
  const params = parsePairs(opts.param ?? [], "--param");
  assertCanAsk(opts, "infra env upgrade asks before it applies");
  await withApp(opts, () => name, async (ctx) => show(name, await upgradeEnvironment(ctx, { name, to: opts.to!, params }), opts));
}
