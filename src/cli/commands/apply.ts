// `infra apply -f FILE|DIR`: a set file becomes the apply command of the one
// front door, run here through the use cases (each environment's events a
// line of their own) or sent to the server logged in to.
import type { CommandInput } from "../../app/commands.js";
import type { OperationEvent } from "../../app/events.js";
import type { SetPlan } from "../../app/set-plan.js";
import { UsageError } from "../../core/errors.js";
import { withApp, type EngineOptions } from "../app-context.js";
import { setting } from "../context.js";
import { EXIT } from "../exit.js";
import { out, printJson } from "../output.js";
import { remoteSession } from "../remote.js";
import { readSet } from "../set-file.js";
import { formatSetPlan, runSummary, setFailed, stepLine } from "../set-text.js";

export interface ApplyOptions extends EngineOptions {
  file: string;
  plan?: boolean;
  prune?: boolean;
  parallel?: string;
}

function parallelOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]{1,2}$/.test(text) || n < 1 || n > 64) throw new UsageError("a whole number from 1 to 64", { field: "parallel", value: text.slice(0, 20) });
  return n;
}

export async function apply(opts: ApplyOptions): Promise<void> {
  const declared = readSet(opts.file);
  const parallel = parallelOf(opts.parallel);
  const input: CommandInput = {
    kind: "apply",
    ...declared,
    ...(opts.prune && { prune: true }),
    ...(parallel !== undefined && { parallel }),
    ...(opts.plan && { plan: true }),
  };
  const remote = remoteSession();
  if (remote) {
    const { applyRemote } = await import("../set-remote.js");
    return present(await applyRemote(remote, input, opts), opts, !!opts.plan);
  }
  const { normalise } = await import("../../app/commands.js");
  const command = normalise(input, { location: (await setting("location", undefined, opts)) ?? "sandbox" });
  const { execute } = await import("../../app/execute.js");
  const outcome = await withApp(
    opts,
    () => `set ${declared.set}`,
    (ctx) => execute({ ...ctx, fork: () => ({ ...ctx, listen: opts.json ? () => {} : stepEvents() }) }, command),
  );
  if (outcome.kind !== "set") throw new Error(`apply answered ${outcome.kind}`);
  present(outcome.result, opts, !!opts.plan);
}

/** One environment's operation as lines on stderr: when it starts, what it waits for, how it ends. */
function stepEvents(): (e: OperationEvent) => void {
  let name = "";
  return (e) => {
    if (e.type === "started") {
      name = e.environment;
      process.stderr.write(`${name}: ${e.kind} started\n`);
    } else if (e.type === "notice") process.stderr.write(`${name}: ${e.message}\n`);
    else if (e.type === "phase" && e.name === "validate") process.stderr.write(`${name}: checking its health\n`);
  };
}

export function present(plan: SetPlan, opts: { json?: boolean }, planOnly: boolean): void {
  if (planOnly) {
    if (opts.json) return printJson({ status: "planned", ...plan });
    return out(formatSetPlan(plan));
  }
  if (plan.declined) {
    if (opts.json) return printJson({ status: "declined", ...plan });
    return out(`set ${plan.set}: not changed (declined)`);
  }
  if (setFailed(plan)) process.exitCode = plan.steps.some((s) => s.result === "interrupted") ? EXIT.interrupted : EXIT.failure;
  if (opts.json) return printJson({ status: setFailed(plan) ? "failed" : "succeeded", ...plan });
  if (plan.steps.every((s) => s.result === "unchanged")) {
    return out(
      `set ${plan.set}: nothing to do (${plan.steps.length} unchanged)${plan.unlisted.length ? `; kept, no longer listed: ${plan.unlisted.join(", ")}` : ""}`,
    );
  }
  out([...plan.steps.map(stepLine), runSummary(plan)].join("\n"));
}
