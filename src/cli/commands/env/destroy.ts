// `infra env destroy <name> [--cascade]`: refused while others depend on it
// (unless --cascade); asks first unless --yes (off a terminal: refused,
// naming what it would destroy); a destroyed one is nothing to do.
import type { EngineOptions } from "../../app-context.js";
import { submitCommand } from "./submit.js";

export async function envDestroy(name: string, opts: EngineOptions & { cascade?: boolean }): Promise<void> {
  await submitCommand({ kind: "destroy", environment: name, cascade: !!opts.cascade }, opts);
}
