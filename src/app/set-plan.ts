// infra apply, the plan: a declared set of environments against the registry.
// What each needs (create, update, upgrade, nothing, or when pruning destroy),
// in which order (dependencies through environment parameters), refused whole
// before anything runs: cycles with their path, unknown templates, bad
// parameters, a name another set or a person already uses.
import { canonicalJson } from "../core/canonical.js";
import { MID_FLIGHT } from "../core/status.js";
import { ConflictError, describe, InfraError, NEUTRAL, UsageError } from "../core/errors.js";
import { parseLocation } from "../core/location.js";
import type { Environment } from "../registry/types.js";
import type { LoadedTemplate } from "../templates/load.js";
import { findCycle } from "../templates/order.js";
import { redactParams, resolveParams, SECRET, type ParamValue } from "../templates/params.js";
import { SET_TAG, type Command, type SetEntry } from "./commands.js";
import type { AppContext } from "./ports.js";
import { updateEnvironment, upgradeEnvironment } from "./update.js";

export type ApplyCommand = Extract<Command, { kind: "apply" }>;
export type SetAction = "create" | "update" | "upgrade" | "recover" | "unchanged" | "destroy";
export type StepResult = "succeeded" | "failed" | "skipped" | "unchanged" | "interrupted";

export interface SetStep {
  environment: string;
  action: SetAction;
  /** id@version it runs (a destroy: what it ran). */
  template: string;
  /** The set's environments it waits for: those it reads outputs from; a destroy's, those reading its outputs. */
  after: string[];
  /** Why this action, in words. */
  reason: string;
  /** The engine's preview counts (an update or upgrade, when the plan was shown before it ran). */
  changes?: Record<string, number>;
  /** Unchanged now; checked again once what it reads from has run (their outputs may change). */
  recheck?: boolean;
  /** What the run did. */
  result?: StepResult;
  operationId?: string;
  message?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface SetPlan {
  set: string;
  /** Environments by level: each level's can run at once, once the levels before it are done. */
  levels: string[][];
  steps: SetStep[];
  /** The set's environments the file no longer lists, kept (when not pruning). */
  unlisted: string[];
  /** Over: every step has a result (false while a server runs it). */
  done: boolean;
  /** Declined when asked: nothing ran. */
  declined?: boolean;
}

/** What running a step needs beyond the plan. */
export interface Work {
  entry?: SetEntry;
  template: LoadedTemplate;
  params: Record<string, ParamValue>;
  location: string;
}

export interface MadePlan {
  plan: SetPlan;
  work: Map<string, Work>;
}

/**
 * Whatever an entry's checks throw, said about that environment, its input in plain words (a
 * set's parameters come from a file or a body, not from flags); its remedy kept for the edge.
 */
function about(name: string, err: unknown): unknown {
  if (!(err instanceof InfraError) || err.detail.startsWith(`${name}: `)) return err;
  const { remedy, allowed } = err.hint;
  const detail = `${name}: ${describe(err.detail, { ...err.hint, remedy: undefined }, NEUTRAL)}`;
  return new InfraError(detail, err.kind, { ...(remedy && { remedy }), ...(allowed && { allowed }) });
}

/** Another run has the environment now: an engine run, or its status checks after one. */
const LIVE_STATUSES: readonly string[] = [...MID_FLIGHT, "deployed-validating"];

export async function planSet(ctx: AppContext, c: ApplyCommand, opts: { preview: boolean }): Promise<MadePlan> {
  const listed = new Map(c.environments.map((e) => [e.name, e]));
  const work = new Map<string, Work>();
  const live = new Map<string, Environment>();
  const upstreamsOf = new Map<string, string[]>();
  /** Environments outside the file the set reads from, and who reads each. */
  const external = new Map<string, string[]>();

  for (const e of c.environments) {
    try {
      const env = await ctx.registry.get(e.name);
      const here = env && env.status !== "destroyed" ? env : undefined;
      if (here) {
        const owner = here.tags[SET_TAG];
        if (owner !== c.set) {
          throw new ConflictError(
            `environment ${e.name} exists outside set ${c.set}${owner ? ` (set ${owner} has it)` : ""}: give this one another name, or destroy that one first`,
          );
        }
        if (LIVE_STATUSES.includes(here.status)) throw new ConflictError(`environment ${e.name} is ${here.status} (another run): apply again once it ends`);
        live.set(e.name, here);
      }
      // An id alone: what an existing environment runs (no upgrade nobody asked for), the newest for a new one.
      const ref = here && !e.template.includes("@") ? `${e.template}@${here.template.version}` : e.template;
      const same = here && ref === `${here.template.id}@${here.template.version}`;
      const template = same ? await ctx.templates.recorded(here.template) : await ctx.templates.find(ref);
      if (here && template.spec.id !== here.template.id) {
        throw new ConflictError(
          `environment ${e.name} runs template ${here.template.id}, not ${template.spec.id}: destroy it first, or name the new one otherwise`,
        );
      }
      const location = e.location ?? here?.location ?? c.defaultLocation;
      if (here && location !== here.location) {
        throw new ConflictError(`environment ${e.name} runs in ${here.location}, not ${location}: moving it is a destroy and a create`);
      }
      const kind = parseLocation(location).kind;
      if (template.spec.locations && !template.spec.locations.includes(kind as never)) {
        throw new UsageError(`template ${template.spec.id} runs in ${template.spec.locations.join(", ")}, not in ${kind}`, {
          field: "location",
          allowed: [...template.spec.locations],
        });
      }
      // The file says every parameter: one left out takes its default; a secret left out keeps its value.
      const kept = here ? Object.fromEntries(Object.entries(here.params).filter(([, v]) => v === SECRET)) : {};
      const params = resolveParams(template.spec, e.params, kept as Record<string, ParamValue>);
      const ups: string[] = [];
      for (const [k, p] of Object.entries(template.spec.parameters)) {
        if (p.type !== "environment") continue;
        const up = String(params[k]);
        if (up === e.name) throw new UsageError(`environment ${e.name} cannot read its own outputs`, { field: `params.${k}` });
        if (listed.has(up)) ups.push(up);
        else external.set(up, [...(external.get(up) ?? []), e.name]);
      }
      upstreamsOf.set(e.name, ups);
      work.set(e.name, { entry: e, template, params, location });
    } catch (err) {
      throw about(e.name, err);
    }
  }

  const cycle = findCycle(new Map([...listed.keys()].map((n) => [n, new Set(upstreamsOf.get(n) ?? [])])));
  if (cycle) {
    throw new UsageError(`the set's environments read each other's outputs in a circle: ${cycle.join(" -> ")}: one of them must not read the next`);
  }

  // What the set prunes, and who still reads it.
  const members = (await ctx.registry.list({ tags: { [SET_TAG]: c.set }, limit: 0 })).items.filter((e) => e.status !== "destroyed");
  const unlisted = members.map((m) => m.name).filter((n) => !listed.has(n));
  const pruned = new Set(c.prune ? unlisted : []);
  for (const [up, readers] of external) {
    const dep = await ctx.registry.get(up);
    const who = readers.join(", ");
    if (pruned.has(up)) throw new UsageError(`${who} read${readers.length > 1 ? "" : "s"} outputs of ${up}, which pruning would destroy: list ${up} too`);
    if (!dep || dep.status === "destroyed")
      throw new UsageError(`${who}: there is no environment ${up} to read outputs from: list it in the set, or create it first`);
    if (dep.status !== "deployed-ok" && dep.status !== "drifted")
      throw new ConflictError(`${who}: environment ${up} is ${dep.status}; it must be deployed first`);
  }

  const steps = new Map<string, SetStep>();
  const order = topological([...listed.keys()], (n) => upstreamsOf.get(n) ?? []);
  for (const name of order) {
    const w = work.get(name)!;
    const here = live.get(name);
    const after = upstreamsOf.get(name) ?? [];
    const template = `${w.template.spec.id}@${w.template.spec.version}`;
    const step: SetStep = { environment: name, action: "unchanged", template, after, reason: "" };
    if (!here) {
      step.action = "create";
      step.reason = "new";
    } else if (here.status === "interrupted") {
      // One command gets it moving again: the recovery, then what the file says.
      step.action = "recover";
      step.reason = "interrupted: recovered, then applied as declared";
    } else if (here.template.version !== w.template.spec.version) {
      step.action = "upgrade";
      step.reason = `${here.template.id} ${here.template.version} -> ${w.template.spec.version}`;
    } else if (here.status === "deployed-fail") {
      step.action = "update";
      step.reason = "its last run failed";
    } else {
      const applied = await ctx.registry.appliedInputs(name);
      const now = await inputsDigest(ctx, w);
      if (applied === now) {
        step.reason = "template, parameters and upstream outputs as last applied";
        step.recheck = after.some((u) => steps.get(u)!.action !== "unchanged" || steps.get(u)!.recheck);
        if (step.recheck) step.reason += `; checked again after ${after.join(", ")}`;
      } else {
        step.action = "update";
        step.reason = updateReason(here, redactParams(w.template.spec, w.params), applied);
      }
    }
    steps.set(name, step);
  }
  for (const name of unlisted.filter((n) => pruned.has(n))) {
    const env = (await ctx.registry.get(name))!;
    const readers = await ctx.registry.dependents(name);
    const outside = readers.filter((r) => !pruned.has(r) && !listed.has(r));
    if (outside.length)
      throw new ConflictError(`${name} (pruned) is used by ${outside.join(", ")}, outside the set: destroy ${outside.length > 1 ? "them" : "it"} first`);
    steps.set(name, {
      environment: name,
      action: "destroy",
      template: `${env.template.id}@${env.template.version}`,
      after: readers.filter((r) => pruned.has(r)),
      reason: "no longer listed (pruned)",
    });
    work.set(name, { template: await ctx.templates.recorded(env.template), params: {}, location: env.location });
  }

  const plan: SetPlan = { set: c.set, levels: levelsOf([...steps.values()]), steps: [], unlisted: unlisted.filter((n) => !pruned.has(n)), done: false };
  plan.steps = plan.levels.flat().map((n) => steps.get(n)!);
  if (opts.preview) await previewAll(ctx, plan, work, c.parallel ?? 2);
  return { plan, work };
}

function updateReason(env: Environment, params: Record<string, unknown>, applied: string | undefined): string {
  const keys = new Set([...Object.keys(env.params), ...Object.keys(params)]);
  const changed = [...keys].filter((k) => params[k] !== SECRET && canonicalJson(params[k]) !== canonicalJson(env.params[k])).sort();
  if (changed.length) return `parameters changed: ${changed.join(", ")}`;
  if (applied === undefined) return "changed outside the set since it was last applied";
  return "a secret parameter or an upstream's outputs changed";
}

/**
 * What a run of this environment applies, as a keyed digest: the template, the location, every
 * parameter (secrets included, hence keyed) and what it reads from each upstream (its outputs;
 * for one with secret outputs, whose values the registry never holds, its last run that changed it).
 */
export async function inputsDigest(ctx: AppContext, w: Work): Promise<string> {
  const upstreams: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(w.template.spec.parameters)) {
    if (p.type !== "environment") continue;
    const up = await ctx.registry.get(String(w.params[k]));
    if (!up) {
      upstreams[k] = null;
      continue;
    }
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([o, v]) => [o, v.secret ? SECRET : v.value]));
    const secret = Object.values(up.outputs).some((v) => v.secret);
    upstreams[k] = { name: up.name, outputs, ...(secret && { run: await lastChange(ctx, up.name) }) };
  }
  const t = w.template.spec;
  return ctx.engine.seal(canonicalJson({ template: `${t.id}@${t.version}`, location: w.location, params: w.params, upstreams }));
}

const CHANGING = new Set(["create", "update", "upgrade", "reconcile", "refresh", "recover"]);

async function lastChange(ctx: AppContext, name: string): Promise<string | null> {
  const ops = await ctx.registry.operations(name);
  return [...ops].reverse().find((o) => CHANGING.has(o.kind) && o.result === "succeeded")?.id ?? null;
}

/** The engine's preview of each update and upgrade whose upstreams stay as they are, a few at once. */
async function previewAll(ctx: AppContext, plan: SetPlan, work: Map<string, Work>, parallel: number): Promise<void> {
  const byName = new Map(plan.steps.map((s) => [s.environment, s]));
  const todo = plan.steps.filter(
    (s) => (s.action === "update" || s.action === "upgrade") && s.after.every((u) => byName.get(u)!.action === "unchanged" && !byName.get(u)!.recheck),
  );
  for (const s of plan.steps) {
    if ((s.action === "update" || s.action === "upgrade") && !todo.includes(s)) s.reason += `; previewed as it runs, after ${s.after.join(", ")}`;
  }
  const quiet: AppContext = { ...ctx, confirm: undefined, listen: undefined, planned: undefined };
  const next = async (): Promise<void> => {
    const s = todo.shift();
    if (!s) return;
    const w = work.get(s.environment)!;
    const given = w.entry!.params;
    const r =
      s.action === "upgrade"
        ? await upgradeEnvironment(quiet, { name: s.environment, to: w.template.spec.version, params: given, replace: true, previewOnly: true })
        : await updateEnvironment(quiet, { name: s.environment, params: given, replace: true, previewOnly: true });
    s.changes = r.changes;
    return next();
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, next));
}

/** Upstreams before the environments reading them (the input has no cycle). */
function topological(nodes: string[], ups: (n: string) => string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const u of ups(n)) visit(u);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}

/**
 * Steps by level: an apply one level below the deepest it reads from; destroys after every apply,
 * each one level below the deepest of its readers. Within a level, by name.
 */
export function levelsOf(steps: SetStep[]): string[][] {
  const byName = new Map(steps.map((s) => [s.environment, s]));
  const level = new Map<string, number>();
  const applies = steps.filter((s) => s.action !== "destroy");
  const levelOf = (s: SetStep): number => {
    const known = level.get(s.environment);
    if (known !== undefined) return known;
    const base = s.action === "destroy" ? Math.max(-1, ...applies.map(levelOf)) + 1 : 0;
    const l = Math.max(base, ...s.after.map((a) => levelOf(byName.get(a)!) + 1));
    level.set(s.environment, l);
    return l;
  };
  const levels: string[][] = [];
  for (const s of steps) (levels[levelOf(s)] ??= []).push(s.environment);
  return levels.filter(Boolean).map((l) => l.sort());
}
