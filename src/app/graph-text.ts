// A graph written out: JSON as it is, Graphviz DOT, Mermaid (which GitHub
// renders) or SVG (DOT laid out by Graphviz compiled to WebAssembly, in this
// process: no system package). Environments and resources are both drawn as
// boxes of a few lines coloured by status, with labelled or dashed edges.
// Every label is quoted and escaped for its format, whatever it holds: names
// are checked, but resource names and types come from templates.
import { shown, UsageError } from "../core/errors.js";
import type { EnvironmentGraph, ResourceGraph } from "./graph.js";

export const GRAPH_FORMATS = ["json", "dot", "mermaid", "svg"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function graphFormat(text: string | undefined): GraphFormat {
  const f = text ?? "dot";
  if (!(GRAPH_FORMATS as readonly string[]).includes(f))
    throw new UsageError(`one of ${GRAPH_FORMATS.join(", ")}`, { field: "format", value: shown(f, 20), allowed: [...GRAPH_FORMATS] });
  return f as GraphFormat;
}

/** What any graph becomes before it is written: boxes and arrows. */
interface Drawing {
  name: string;
  nodes: { id: string; lines: string[]; status: string }[];
  edges: { from: string; to: string; label?: string; dashed?: boolean }[];
}

const isResources = (g: EnvironmentGraph | ResourceGraph): g is ResourceGraph => "environment" in g;

function drawing(g: EnvironmentGraph | ResourceGraph): Drawing {
  if (!isResources(g))
    return {
      name: "environments",
      nodes: g.nodes.map((n) => ({ id: n.name, lines: [n.name, n.template, n.status], status: n.status })),
      edges: g.edges.map((e) => ({ from: e.from, to: e.to, label: e.reason })),
    };
  return {
    name: "resources",
    nodes: g.nodes.map((n) => ({ id: n.urn, lines: [n.name, n.type], status: n.status })),
    // A child points at its parent, dashed; a dependency is a solid arrow.
    edges: g.edges.map((e) => ({ from: e.from, to: e.to, ...(e.kind === "parent" && { dashed: true }) })),
  };
}

/** Fill colours by status (environments' and the engine's resource states). */
const FILL: Record<string, string> = {
  "deployed-ok": "#d1e7dd",
  ok: "#d1e7dd",
  pending: "#cfe2ff",
  "pending-delete": "#f8d7da",
  "deployed-validating": "#cfe2ff",
  deploying: "#cfe2ff",
  destroying: "#cfe2ff",
  drifted: "#fff3cd",
  "deployed-fail": "#f8d7da",
  failed: "#f8d7da",
  interrupted: "#e2d9f3",
  destroyed: "#e9ecef",
};
const fill = (status: string) => FILL[status] ?? "#ffffff";

/** DOT's quoted string: backslashes and quotes escaped; a line break never reaches the file as one. */
const dotEscape = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/[\r\n]/g, " ");
const dotQuote = (s: string) => `"${dotEscape(s)}"`;
/** A multi-line DOT label: each line escaped, joined by DOT's own \n. */
const dotLines = (lines: string[]) => `"${lines.map(dotEscape).join("\\n")}"`;

function dot(d: Drawing): string {
  const lines = [
    `digraph ${d.name} {`,
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fillcolor="#ffffff"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of d.nodes) lines.push(`  ${dotQuote(n.id)} [label=${dotLines(n.lines)}, fillcolor="${fill(n.status)}"];`);
  for (const e of d.edges) {
    const attrs = [...(e.label !== undefined ? [`label=${dotQuote(e.label)}`] : []), ...(e.dashed ? ["style=dashed"] : [])];
    lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return lines.join("\n");
}

/** Mermaid text in quotes: its own entities for what would end or open markup. */
const mermaidText = (s: string) =>
  s
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/[\r\n]/g, " ");

function mermaid(d: Drawing): string {
  // Ids Mermaid takes as they are: environments by name (letters, digits, '_'), resources by position.
  const ids = new Map(d.nodes.map((n, i) => [n.id, d.name === "environments" ? `env_${n.id.replace(/-/g, "_")}` : `r${i}`]));
  const lines = ["flowchart LR"];
  for (const n of d.nodes) lines.push(`  ${ids.get(n.id)}["${n.lines.map(mermaidText).join("<br/>")}"]`);
  for (const e of d.edges) {
    const arrow = e.dashed ? "-.->" : "-->";
    lines.push(`  ${ids.get(e.from)} ${arrow}${e.label !== undefined ? `|"${mermaidText(e.label)}"|` : ""} ${ids.get(e.to)}`);
  }
  // Colours by status, one class each (GitHub renders classDef).
  const used = [...new Set(d.nodes.map((n) => n.status))].filter((s) => FILL[s]).sort();
  for (const s of used) {
    lines.push(`  classDef st_${s.replace(/-/g, "_")} fill:${fill(s)},stroke:#555`);
    lines.push(
      `  class ${d.nodes
        .filter((n) => n.status === s)
        .map((n) => ids.get(n.id))
        .join(",")} st_${s.replace(/-/g, "_")}`,
    );
  }
  return lines.join("\n");
}

/** The graph in a text format (not SVG: that is renderGraph's). */
export function graphText(g: EnvironmentGraph | ResourceGraph, format: Exclude<GraphFormat, "svg">): string {
  if (format === "json") return JSON.stringify(g, null, 2);
  return format === "dot" ? dot(drawing(g)) : mermaid(drawing(g));
}

/** The graph in any format; SVG loads Graphviz (WebAssembly, ~50 ms) only when asked for. */
export async function renderGraph(g: EnvironmentGraph | ResourceGraph, format: GraphFormat): Promise<string> {
  if (format !== "svg") return graphText(g, format);
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(graphText(g, "dot"), { format: "svg", engine: "dot" });
}

export const GRAPH_CONTENT_TYPES: Record<GraphFormat, string> = {
  json: "application/json; charset=utf-8",
  dot: "text/vnd.graphviz; charset=utf-8",
  mermaid: "text/vnd.mermaid; charset=utf-8",
  svg: "image/svg+xml; charset=utf-8",
};
