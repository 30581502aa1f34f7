// `infra graph [name]`: the environments and their dependencies (or, logged
// in, the server's), or one environment's resources, as DOT, Mermaid, JSON or
// SVG.
import type { EnvironmentGraph, ResourceGraph } from "../../app/graph.js";
import { InfraError, kindOf, UsageError } from "../../core/errors.js";
import { withRegistry } from "../app-context.js";
import type { GlobalOptions } from "../context.js";
import { out } from "../output.js";
import { remoteSession } from "../remote.js";

type Options = GlobalOptions & { format?: string; focus?: string; depth?: string; all?: boolean; resources?: boolean };

export async function graph(name: string | undefined, opts: Options): Promise<void> {
  const { graphFormat, renderGraph } = await import("../../app/graph-text.js");
  const format = opts.json ? "json" : graphFormat(opts.format);
  if (name !== undefined && opts.focus !== undefined && name !== opts.focus)
    throw new UsageError(`name the environment once: infra graph ${name} or infra graph --focus ${opts.focus}`);
  const focus = name ?? opts.focus;
  if (opts.depth !== undefined && !/^[0-9]{1,3}$/.test(opts.depth))
    throw new UsageError(`--depth ${opts.depth.slice(0, 20)}: use a whole number from 1 to 100`);
  if (opts.depth !== undefined && focus === undefined) throw new UsageError("--depth goes with an environment's name: infra graph <name> --depth 1");
  if (opts.resources && focus === undefined) throw new UsageError("--resources draws one environment: infra graph <name> --resources");
  if (opts.resources && (opts.depth !== undefined || opts.all))
    throw new UsageError("--resources draws all of one environment's resources: leave out --depth and --all");
  const q = { ...(focus !== undefined && { focus }), ...(opts.depth !== undefined && { depth: Number(opts.depth) }), all: !!opts.all };
  const remote = remoteSession();
  let g: EnvironmentGraph | ResourceGraph;
  try {
    if (remote) {
      // The server's graph as JSON, written out here: the same text either way.
      const { get } = await import("../client.js");
      const params = new URLSearchParams(
        opts.resources
          ? { resources: focus! }
          : { ...(q.focus && { focus: q.focus }), ...(q.depth && { depth: String(q.depth) }), ...(q.all && { all: "true" }) },
      );
      g = await get<EnvironmentGraph | ResourceGraph>(remote, `/api/v1/graph${params.size ? `?${params}` : ""}`);
    } else {
      const { environmentGraph, resourceGraph } = await import("../../app/graph.js");
      g = await withRegistry<EnvironmentGraph | ResourceGraph>((registry) =>
        opts.resources ? resourceGraph(registry, focus!) : environmentGraph(registry, q),
      );
    }
  } catch (err) {
    // A name typed on the command line that names nothing is a usage error here (exit 2).
    if (kindOf(err) === "not-found" && err instanceof InfraError) throw new UsageError(err.detail, err.hint);
    throw err;
  }
  out(await renderGraph(g, format));
}
