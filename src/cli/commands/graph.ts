// `infra graph [name]`: the environments and their dependencies (or, logged
// in, the server's), as DOT, Mermaid or JSON.
import type { EnvironmentGraph } from "../../app/graph.js";
import { UsageError } from "../../core/errors.js";
import { withRegistry } from "../app-context.js";
import type { GlobalOptions } from "../context.js";
import { out } from "../output.js";
import { remoteSession } from "../remote.js";

export async function graph(name: string | undefined, opts: GlobalOptions & { format?: string; depth?: string; all?: boolean }): Promise<void> {
  const { graphFormat, graphText, environmentGraph } = await import("../../app/graph.js");
  const format = opts.json ? "json" : graphFormat(opts.format);
  if (opts.depth !== undefined && !/^[0-9]{1,3}$/.test(opts.depth))
    throw new UsageError(`--depth ${opts.depth.slice(0, 20)}: use a whole number from 1 to 100`);
  if (opts.depth !== undefined && name === undefined) throw new UsageError("--depth goes with an environment's name: infra graph <name> --depth 1");
  const q = { ...(name !== undefined && { focus: name }), ...(opts.depth !== undefined && { depth: Number(opts.depth) }), all: !!opts.all };
  const remote = remoteSession();
  let g: EnvironmentGraph;
  if (remote) {
    const { get } = await import("../client.js");
    const params = new URLSearchParams({ ...(q.focus && { focus: q.focus }), ...(q.depth && { depth: String(q.depth) }), ...(q.all && { all: "true" }) });
    g = await get<EnvironmentGraph>(remote, `/api/v1/graph${params.size ? `?${params}` : ""}`);
  } else {
    g = await withRegistry((registry) => environmentGraph(registry, q));
  }
  out(graphText(g, format));
}
