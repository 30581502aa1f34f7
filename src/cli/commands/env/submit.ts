// Every changing `infra env` command ends here: its flags become a command of
// the one front door (src/app/commands.ts), run locally through the use cases
// or, when logged in to a server, sent to it and followed; the outcome is
// shown the same way either way.
import type { CommandInput } from "../../../app/commands.js";
import type { Outcome } from "../../../app/execute.js";
import { drifts } from "../../../app/events.js";
import type { AppContext } from "../../../app/ports.js";
import { withApp, withRegistry, type EngineOptions } from "../../app-context.js";
import { setting, type GlobalOptions } from "../../context.js";
import { EXIT } from "../../exit.js";
import { out, printJson } from "../../output.js";
import { driftJson, driftText } from "./drift.js";
import { healthText } from "./health.js";
import { printEnvironment } from "../../present.js";
import { remoteSession } from "../../remote.js";

export async function submitCommand(input: CommandInput, opts: EngineOptions): Promise<void> {
  const remote = remoteSession();
  const { normalise } = await import("../../../app/commands.js");
  if (remote) {
    // Checked here first, so bad input reads as it does locally; the server checks again.
    normalise(input, { location: "sandbox" });
    // The server fills in its own defaults (its location): only what the user gave is sent.
    const { submitRemote } = await import("../../client.js");
    return present(await submitRemote(remote, input, opts), opts);
  }
  const location = input.kind === "create" && !input.location ? await setting("location", undefined, opts) : undefined;
  const command = normalise(input, { location: location ?? "sandbox" });
  const { execute } = await import("../../../app/execute.js");
  if (command.kind === "extend" || command.kind === "unlock") {
    // The registry alone: no engine, no passphrase.
    const { localActor } = await import("../../../core/actor.js");
    const outcome = await withRegistry((registry) => execute({ registry, actor: localActor(), now: () => new Date() } as AppContext, command));
    return present(outcome, opts);
  }
  if (command.kind === "health") {
    // The registry, the recorded template's settings and the network: no engine, no passphrase.
    const [{ localActor }, { FileTemplateStore }, { localProber }, { infraHome }, { LocalClusters }] = await Promise.all([
      import("../../../core/actor.js"),
      import("../../../templates/store.js"),
      import("../../../health/local.js"),
      import("../../../core/home.js"),
      import("../../../sandbox/clusters.js"),
    ]);
    const home = infraHome();
    const prober = await localProber(home);
    const clusters = new LocalClusters(home);
    const outcome = await withRegistry((registry) =>
      execute(
        { registry, actor: localActor(), now: () => new Date(), templates: new FileTemplateStore(), prober, clusters, home } as unknown as AppContext,
        command,
      ),
    );
    return present(outcome, opts);
  }
  let current = "environment" in command ? command.environment : "the reaper";
  const outcome = await withApp(
    opts,
    () => current,
    (ctx) =>
      execute(
        {
          ...ctx,
          listen: (e) => {
            if (e.type === "started") current = e.environment;
            ctx.listen?.(e);
          },
        },
        command,
      ),
  );
  present(outcome, opts);
}

/** What a command did, as the CLI shows it (the same for a local run and a server's). */
export function present(o: Outcome, opts: GlobalOptions): void {
  switch (o.kind) {
    case "operations": {
      const envs = o.results.map((r) => r.environment);
      const first = o.results[0]!;
      if (opts.json) return printJson(envs.length > 1 ? envs : { ...envs[0], changes: first.changes, ...(first.preview && { preview: first.preview }) });
      for (const r of o.results) printEnvironment(r.environment, opts);
      return;
    }
    case "unchanged":
      if (opts.json) return printJson({ ...o.environment, unchanged: o.why });
      return out(o.why === "already-destroyed" ? `${o.environment.name}: already destroyed; nothing to do` : `${o.environment.name}: not changed (declined)`);
    case "reaped": {
      const r = o.result;
      if (opts.json) return printJson({ order: r.order, kept: r.kept, destroyed: r.destroyed.map((d) => d.name), failed: r.failed });
      const lines: string[] = [];
      if (!r.order.length) lines.push("no expired environment to destroy");
      else if (!r.destroyed.length && !r.failed.length) lines.push(`would destroy: ${r.order.join(", ")} (in this order)`);
      for (const d of r.destroyed) lines.push(`${d.name}: destroyed (expired)`);
      for (const k of r.kept) lines.push(`${k.name}: expired, kept (${k.neededBy.join(", ")} depend${k.neededBy.length > 1 ? "" : "s"} on it)`);
      for (const f of r.failed) lines.push(`${f.name}: ${f.message}`);
      out(lines.join("\n"));
      if (r.failed.length) process.exitCode = 1;
      return;
    }
    case "drift": {
      const found = o.result.drift ?? [];
      // Drifted is an answer, not an error: its own exit code, with --json too.
      if (found.some(drifts)) process.exitCode = EXIT.drifted;
      if (opts.json) return printJson(driftJson(o.result.environment.name, found, o.result.operationId));
      return out(driftText(o.result.environment.name, found));
    }
    case "health": {
      const r = o.result;
      // Unhealthy is an answer, not an error of the check: its own exit code, with --json too.
      if (r.report.state === "failing") process.exitCode = EXIT.unhealthy;
      if (opts.json) return printJson({ environment: r.environment, status: r.status, ...r.report, ...(r.operationId && { operation: r.operationId }) });
      return out(healthText(r.environment, r.status, r.report));
    }
    case "extended":
      if (opts.json) return printJson({ name: o.environment, expiresAt: o.expiresAt });
      return out(`${o.environment}: expires ${o.expiresAt.replace("T", " ").slice(0, 16)} UTC`);
    case "unlocked":
      if (opts.json) return printJson({ environment: o.environment, removed: o.removed ?? null });
      return out(
        o.removed
          ? `${o.environment}: removed the lock of ${o.removed.owner} (pid ${o.removed.pid} on ${o.removed.host}, operation ${o.removed.operationId}); run infra env recover ${o.environment}`
          : `${o.environment}: not locked`,
      );
  }
}
