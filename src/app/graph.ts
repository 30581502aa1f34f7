// The environments as a graph: each one with its status and template, and an
// edge where one reads another's outputs; focused on one environment (what it
// needs and what needs it, `depth` steps out) or whole. Or one environment's
// resources, with their parent and dependency edges. graph-text.ts writes
// either out.
import { NotFoundError, shown, UsageError } from "../core/errors.js";
import type { EnvironmentSummary, ListQuery, Registry } from "../registry/types.js";

export interface EnvironmentGraph {
  nodes: { name: string; status: string; template: string }[];
  /** `from` depends on `to` (reads its outputs). */
  edges: { from: string; to: string; reason: string }[];
}

/** One environment's resources: `from` is a child of `to` (parent) or needs it (dependency). */
export interface ResourceGraph {
  environment: string;
  nodes: { urn: string; type: string; name: string; status: string; parent?: string }[];
  edges: { from: string; to: string; kind: "parent" | "dependency" }[];
}

export interface GraphQuery {
  focus?: string;
  depth?: number;
  /** Destroyed environments too (left out by default). */
  all?: boolean;
}

export async function environmentGraph(registry: Registry, q: GraphQuery = {}): Promise<EnvironmentGraph> {
  if (q.depth !== undefined && (!Number.isInteger(q.depth) || q.depth < 1 || q.depth > 100))
    throw new UsageError("a whole number from 1 to 100", { field: "depth", value: shown(String(q.depth), 20) });
  const { items } = await registry.list({ limit: 0 });
  const byName = new Map(items.filter((e) => q.all || e.status !== "destroyed").map((e) => [e.name, e]));
  let edges = (await registry.dependencyEdges()).filter((e) => byName.has(e.from) && byName.has(e.to));
  let keep = new Set(byName.keys());
  if (q.focus !== undefined) {
    if (!byName.has(q.focus)) {
      if (items.some((e) => e.name === q.focus))
        throw new NotFoundError(`environment ${q.focus} is destroyed: it is in no graph (pass all to include destroyed environments)`);
      throw new NotFoundError(`no environment named ${q.focus}`);
    }
    // Both ways from the focus, `depth` steps: what it needs and what needs it.
    keep = new Set([q.focus]);
    let frontier = [q.focus];
    for (let step = 0; step < (q.depth ?? 100) && frontier.length; step++) {
      const next: string[] = [];
      for (const e of edges) {
        for (const [here, there] of [
          [e.from, e.to],
          [e.to, e.from],
        ] as const) {
          if (frontier.includes(here) && !keep.has(there)) {
            keep.add(there);
            next.push(there);
          }
        }
      }
      frontier = next;
    }
    edges = edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  }
  const nodes = [...keep]
    .sort()
    .map((n) => byName.get(n)!)
    .map((e) => ({ name: e.name, status: e.status, template: `${e.template.id}@${e.template.version}` }));
  return { nodes, edges };
}

/** The resources the registry holds for an environment (providers left out: every resource would point at one). */
export async function resourceGraph(registry: Registry, name: string): Promise<ResourceGraph> {
  const env = await registry.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}`);
  const all = (await registry.resources(name)).filter((r) => !r.type.startsWith("pulumi:providers:"));
  const known = new Set(all.map((r) => r.urn));
  const nodes = all.map((r) => ({ urn: r.urn, type: r.type, name: r.name, status: r.status, ...(r.parent && known.has(r.parent) && { parent: r.parent }) }));
  const edges: ResourceGraph["edges"] = [];
  for (const r of all) {
    if (r.parent && known.has(r.parent)) edges.push({ from: r.urn, to: r.parent, kind: "parent" });
    for (const d of new Set(r.dependsOn)) if (known.has(d) && d !== r.parent) edges.push({ from: r.urn, to: d, kind: "dependency" });
  }
  return { environment: name, nodes, edges };
}

/** Who relates to whom, transitively: what depends on an environment, or what it needs. */
export interface Relation {
  /** Environments that depend on this one, directly or through others. */
  dependsOn?: string;
  /** Environments this one needs, directly or through others. */
  neededBy?: string;
}

export async function related(registry: Registry, r: Relation): Promise<Set<string>> {
  const edges = await registry.dependencyEdges();
  const walk = (start: string, step: (e: { from: string; to: string }) => [string, string]) => {
    const seen = new Set<string>();
    let frontier = [start];
    while (frontier.length) {
      const next: string[] = [];
      for (const e of edges) {
        const [here, there] = step(e);
        if (frontier.includes(here) && !seen.has(there) && there !== start) {
          seen.add(there);
          next.push(there);
        }
      }
      frontier = next;
    }
    return seen;
  };
  let names: Set<string> | undefined;
  const meet = (s: Set<string>) => (names = names ? new Set([...names].filter((n) => s.has(n))) : s);
  for (const [name, field] of [
    [r.dependsOn, "dependsOn"],
    [r.neededBy, "neededBy"],
  ] as const) {
    if (name === undefined) continue;
    if (!(await registry.get(name))) throw new NotFoundError(`no environment named ${name}`, { field });
    meet(field === "dependsOn" ? walk(name, (e) => [e.to, e.from]) : walk(name, (e) => [e.from, e.to]));
  }
  return names ?? new Set();
}

/** A registry list narrowed to the environments related to one (transitively), then paged. */
export async function listRelated(registry: Registry, q: ListQuery, r: Relation): Promise<{ items: EnvironmentSummary[]; total: number }> {
  if (r.dependsOn === undefined && r.neededBy === undefined) return registry.list(q);
  const names = await related(registry, r);
  const { items } = await registry.list({ ...q, limit: 0, offset: 0 });
  const matching = items.filter((e) => names.has(e.name));
  const offset = q.offset ?? 0;
  return { items: q.limit ? matching.slice(offset, offset + q.limit) : matching.slice(offset), total: matching.length };
}
