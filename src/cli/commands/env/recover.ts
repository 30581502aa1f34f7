// `infra env recover <name>`: after an interrupted or failed run.
import { recoverEnvironment } from "../../../app/recover.js";
import { checkName } from "../../../core/inputs.js";
import { withApp, type EngineOptions } from "../../app.js";
import { printEnvironment } from "../../present.js";

export async function envRecover(name: string, opts: EngineOptions): Promise<void> {
  checkName(name);
  await withApp(opts, () => name, async (ctx) => printEnvironment((await recoverEnvironment(ctx, name)).environment, opts));
}
