// `infra env update <name> --param k=v` and `infra env upgrade <name> --to <version>`:
// preview, ask (or --yes), apply — through the front door.
import { UsageError } from "../../../core/errors.js";
import { assertCanAsk, type EngineOptions } from "../../app-context.js";
import { readParams, type ParamOptions } from "../../params.js";
import { submitCommand } from "./submit.js";

export interface UpdateOptions extends EngineOptions, ParamOptions {
  to?: string;
}

export async function envUpdate(name: string, opts: UpdateOptions): Promise<void> {
  const params = await readParams(opts);
  assertCanAsk(opts, "infra env update asks before it applies");
  await submitCommand({ kind: "update", environment: name, params }, opts);
}

export async function envUpgrade(name: string, opts: UpdateOptions): Promise<void> {
  if (!opts.to) throw new UsageError("infra env upgrade needs --to <version> (see infra template show <id>)");
  const params = await readParams(opts);
  assertCanAsk(opts, "infra env upgrade asks before it applies");
  await submitCommand({ kind: "upgrade", environment: name, to: opts.to, params }, opts);
}
