// `infra env destroy <name> [--cascade]`: refused while others depend on it
// (unless --cascade); asks first unless --yes.
import { destroyEnvironments, planDestroy } from "../../../app/destroy.js";
import { UsageError } from "../../../core/errors.js";
import { checkName } from "../../../core/inputs.js";
import { withApp, type EngineOptions } from "../../app.js";
import { interactive, promptOutput } from "../../context.js";
import { out, printJson } from "../../output.js";
import { printEnvironment } from "../../present.js";

export async function envDestroy(name: string, opts: EngineOptions & { cascade?: boolean }): Promise<void> {
  checkName(name);
  let current = name;
  await withApp(opts, () => current, async (ctx) => {
    const order = await planDestroy(ctx, name, !!opts.cascade);
    if (!opts.yes) {
      const what = order.length > 1 ? `${order.join(", ")} (in this order)` : name;
      if (!interactive(opts)) throw new UsageError(`infra env destroy asks before it destroys: pass --yes to destroy ${what} without asking`);
      const { confirm } = await import("@inquirer/prompts");
      const them = order.length > 1 ? "them" : "it";
      if (!(await confirm({ message: `destroy ${what} and every resource in ${them}?`, default: false }, await promptOutput()))) {
        out(`${name}: not destroyed`);
        return;
      }
    }
    const listen = ctx.listen;
    const results = await destroyEnvironments(
      {
        ...ctx,
        listen: (e) => {
          if (e.type === "started") current = e.environment;
          listen?.(e);
        },
      },
      order,
    );
    const envs = results.map((r) => r.environment);
    if (opts.json) return printJson(order.length > 1 ? envs : envs[0]);
    for (const e of envs) printEnvironment(e, opts);
  });
}
