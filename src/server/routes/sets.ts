// /api/v1/sets: infra apply over REST. The body is the apply command (the one
// front door); the answer is its plan, 202 while it runs (followed at
// /api/v1/sets/{set}/runs/{run}, each step's operation at /api/v1/operations),
// 200 when only planned or nothing had to run.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { SET_TAG } from "../../app/commands.js";
import type { SetPlan } from "../../app/set-plan.js";
import type { Registry } from "../../registry/types.js";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";
import type { Submitter } from "../submit.js";

const KEEP = 100; // runs a server remembers, newest kept

/** A run's state in one word: running, then succeeded, or failed when a step failed or was skipped. */
export function setStatus(plan: SetPlan): string {
  if (plan.declined) return "declined";
  if (!plan.done) return "running";
  return plan.steps.some((s) => s.result === "failed" || s.result === "skipped" || s.result === "interrupted") ? "failed" : "succeeded";
}

export async function setRoutes(app: FastifyInstance, o: { registry: Registry; submitter: Submitter }): Promise<void> {
  const runs = new Map<string, SetPlan>();

  app.post("/api/v1/sets", { schema: S.applySet }, async function applySet(req, reply) {
    const body = req.body as Record<string, unknown>;
    const s = await o.submitter.submit({ ...body, kind: "apply" }, { who: `token:${req.token!.name}`, scope: req.token!.name });
    const o_ = s.outcome;
    if (o_?.kind !== "set") throw new HttpProblem(500, "the apply ended without its plan");
    const plan = o_.result;
    if (body.plan === true || plan.done || plan.declined) {
      reply.code(200);
      return { status: body.plan ? "planned" : setStatus(plan), ...plan };
    }
    const run = randomUUID();
    runs.set(run, plan);
    for (const old of [...runs.keys()].slice(0, Math.max(0, runs.size - KEEP))) runs.delete(old);
    reply.code(202).header("location", `/api/v1/sets/${plan.set}/runs/${run}`);
    return { run, status: "running", ...plan };
  });

  app.get("/api/v1/sets/:set/runs/:run", { schema: S.setRun }, async function setRun(req) {
    const { set, run } = req.params as { set: string; run: string };
    const plan = runs.get(run);
    if (!plan || plan.set !== set)
      throw new HttpProblem(404, `no run ${run} of set ${set} on this server (runs are kept in memory: the environments' operations say what ran)`);
    return { run, status: setStatus(plan), ...plan };
  });

  app.get("/api/v1/sets/:set", { schema: S.getSet }, async function getSet(req) {
    const { set } = req.params as { set: string };
    const { items } = await o.registry.list({ tags: { [SET_TAG]: set }, limit: 0 });
    const environments = items.filter((e) => e.status !== "destroyed").map((e) => ({ name: e.name, status: e.status, template: e.template }));
    // A set is the environments carrying its tag: one applied empty, or all destroyed, has none (as a
    // label selector that matches nothing lists nothing), not a 404 the applied request would contradict.
    return { set, environments };
  });
}
