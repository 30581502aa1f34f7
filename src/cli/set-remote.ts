// infra apply while logged in to a server: the plan asked for first (and shown,
// and asked about), then the set sent, then its run followed until it ends.
import type { CommandInput } from "../app/commands.js";
import type { SetPlan, SetStep } from "../app/set-plan.js";
import { InfraError, UsageError } from "../core/errors.js";
import { call, refusal } from "./client.js";
import { interactive, promptOutput, type GlobalOptions } from "./context.js";
import type { RemoteSession } from "./remote.js";
import { formatSetPlan, stepLine } from "./set-text.js";

type ApplyInput = Extract<CommandInput, { kind: "apply" }>;
const POLL_MS = 1000;

async function post(s: RemoteSession, body: unknown): Promise<{ status: number; plan: SetPlan & { run?: string } }> {
  const a = await call(s, "POST", "/api/v1/sets", body);
  if (a.status !== 200 && a.status !== 202) throw refusal(s.url, a);
  return { status: a.status, plan: a.body as SetPlan & { run?: string } };
}

export async function applyRemote(s: RemoteSession, input: ApplyInput, opts: GlobalOptions): Promise<SetPlan> {
  const { kind: _k, plan: planOnly, ...rest } = input;
  const planned = (await post(s, { ...rest, plan: true })).plan;
  if (planOnly) return planned;
  if (planned.steps.every((x) => x.action === "unchanged")) return { ...planned, steps: planned.steps.map((x) => ({ ...x, result: "unchanged" })), done: true };
  if (!opts.json) process.stderr.write(`${formatSetPlan(planned)}\n`);
  if (!opts.yes) {
    // A server applies what it is sent: the question is asked here, before anything is sent.
    if (!interactive(opts)) throw new UsageError("the server applies a set without asking: pass --yes to send it (--plan only shows the plan)");
    const { confirm } = await import("@inquirer/prompts");
    if (!(await confirm({ message: `apply this plan to set ${planned.set} on ${s.url}?`, default: false }, await promptOutput()))) {
      return { ...planned, declined: true };
    }
  }
  const sent = await post(s, rest);
  if (sent.status === 200) return sent.plan;
  const run = sent.plan.run;
  if (!run) throw new InfraError(`${s.url} answered 202 without its run: is it an infra server of this version?`, "internal");
  return follow(s, sent.plan, run, opts);
}

/** Polls the run, saying each step's result as it comes; Ctrl-C stops following only. */
async function follow(s: RemoteSession, first: SetPlan, run: string, opts: GlobalOptions): Promise<SetPlan> {
  const said = new Set<string>();
  const say = (x: SetStep) => {
    const key = `${x.environment}:${x.result ?? (x.startedAt ? "running" : "")}`;
    if (opts.json || said.has(key) || (!x.result && !x.startedAt)) return;
    said.add(key);
    process.stderr.write(x.result ? `${stepLine(x)}\n` : `${x.environment}: ${x.action} started\n`);
  };
  const onInterrupt = () => {
    process.stderr.write(`\ninfra: stopped following; the set goes on on the server: infra env list --tag infra.set=${first.set} tells how it ends\n`);
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  try {
    let plan = first;
    for (;;) {
      for (const x of plan.steps) say(x);
      if (plan.done) return plan;
      await new Promise((r) => setTimeout(r, POLL_MS));
      const a = await call(s, "GET", `/api/v1/sets/${encodeURIComponent(first.set)}/runs/${run}`);
      if (a.status !== 200) throw refusal(s.url, a);
      plan = a.body as SetPlan;
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
