// The CLI's side of the application core: it builds the context the use
// cases run in (registry, engine, templates, actor, progress, a terminal's
// confirm, Ctrl-C) and tears it down.
import type { AppContext, ConfirmRequest } from "../app/ports.js";
import { describeChanges } from "../app/events.js";
import { UsageError } from "../core/errors.js";
import { localActor } from "../core/actor.js";
import type { Registry } from "../registry/types.js";
import { infraHome } from "../core/home.js";
import { interactive, openRegistry, passphrase, promptOutput, setting, type GlobalOptions } from "./context.js";
import { progress } from "./progress.js";
import { onInterrupt } from "./signals.js";

export interface EngineOptions extends GlobalOptions {
  backend?: string;
  passphraseFile?: string;
}

export async function withRegistry<T>(fn: (r: Registry) => Promise<T>): Promise<T> {
  const registry = await openRegistry();
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}

/** A use case's context for this command; `name` says what Ctrl-C stops. */
export async function withApp<T>(
  opts: EngineOptions,
  name: () => string,
  fn: (ctx: AppContext) => Promise<T>,
  templates?: AppContext["templates"],
): Promise<T> {
  // Settings that can be refused are checked before the registry is opened.
  const backendUrl = await setting("backend", opts.backend, opts);
  const secret = await passphrase(opts);
  const [{ AutomationRunner }, { FileTemplateStore }, { LocalClusters }] = await Promise.all([
    import("../engine/runner.js"),
    import("../templates/store.js"),
    import("../sandbox/clusters.js"),
  ]);
  const { checkBackend } = await import("../engine/backend.js");
  const bad = checkBackend(backendUrl);
  if (bad) throw new UsageError(bad);
  const home = infraHome();
  const view = await progress(!!opts.json);
  const interrupts = onInterrupt(name);
  const prober = await (await import("../health/local.js")).localProber(home);
  try {
    return await withRegistry((registry) =>
      fn({
        registry,
        engine: new AutomationRunner(home, { backendUrl, passphrase: secret, pluginDownload: process.env.INFRA_PLUGIN_DOWNLOAD === "1" }),
        templates: templates ?? new FileTemplateStore(),
        clusters: new LocalClusters(home),
        prober,
        actor: localActor(),
        home,
        now: () => new Date(),
        listen: view.listen,
        signal: interrupts.signal,
        confirm: confirmer(opts),
      }),
    );
  } finally {
    interrupts.dispose();
    view.close();
  }
}

/** Shows a preview's change summary, then asks on a terminal (or not, with --yes); a destroy asks naming what goes. */
function confirmer(opts: GlobalOptions): (r: ConfirmRequest) => Promise<boolean> {
  return async (r) => {
    if (r.kind === "apply") {
      if (!opts.json) process.stderr.write(`${(await import("./set-text.js")).formatSetPlan(r.set!)}\n`);
      if (opts.yes) return true;
      if (!interactive(opts)) throw new UsageError("infra apply asks before it applies: pass --yes to apply without asking (--plan only shows the plan)");
      const { confirm } = await import("@inquirer/prompts");
      return confirm({ message: `apply this plan to set ${r.environment}?`, default: false }, await promptOutput());
    }
    const destroys = r.kind === "destroy" || r.kind === "reap";
    if (!opts.json && !destroys) {
      process.stderr.write(`preview of ${r.environment}: ${r.detail ? `${r.detail}: ` : ""}${describeChanges(r.changes)}\n`);
      if (r.plan?.length) process.stderr.write((await import("./plan.js")).formatPlan(r.plan) + "\n");
    }
    if (opts.yes) return true;
    const order = r.order ?? [r.environment];
    const what = order.length > 1 ? `${order.join(", ")} (in this order)` : order[0]!;
    if (!interactive(opts) && r.kind !== "forget") {
      if (destroys)
        throw new UsageError(
          `infra env ${r.kind} asks before it destroys: pass --yes to destroy ${r.kind === "reap" ? order.join(", ") : what} without asking`,
        );
      throw new UsageError(`infra env ${r.kind} asks before it applies: pass --yes to apply without asking`);
    }
    const { confirm } = await import("@inquirer/prompts");
    if (r.kind === "destroy" && r.plan?.length && !opts.json) process.stderr.write(`${(await import("./plan.js")).formatPlan(r.plan)}\n`);
    if (r.kind === "forget") {
      if (!interactive(opts)) throw new UsageError(`infra env forget asks first: pass --yes to forget ${r.environment} without asking`);
      return confirm(
        { message: `forget ${r.environment}? Nothing is destroyed: whatever still runs of it stays where it is`, default: false },
        await promptOutput(),
      );
    }
    const message =
      r.kind === "reap"
        ? `destroy the expired ${what}?`
        : destroys
          ? `destroy ${what} and every resource in ${order.length > 1 ? "them" : "it"}?`
          : `apply these changes to ${r.environment}?`;
    return confirm({ message, default: false }, await promptOutput());
  };
}

/** Commands that ask before they change anything refuse at once without a terminal or --yes. */
export function assertCanAsk(opts: GlobalOptions, what: string): void {
  if (!opts.yes && !interactive(opts)) throw new UsageError(`${what}: pass --yes to apply without asking`);
}
