// infra graph: the environments and their dependencies as DOT, Mermaid, JSON
// and SVG, whole or around one, or one environment's resources; the SVG and
// the Mermaid opened in a headless Chromium as a user's browser would; bad
// input in one line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chromium } from "../../helpers/chromium.js";
import { makeHome } from "../../helpers/cli.js";

type Graph = { nodes: { name: string; status: string; template: string }[]; edges: { from: string; to: string; reason: string }[] };
type Resources = {
  environment: string;
  nodes: { urn: string; type: string; name: string; parent?: string }[];
  edges: { from: string; to: string; kind: string }[];
};

describe("infra graph", () => {
  const home = makeHome("infra-graph-");
  beforeAll(() => {
    // A diamond: web reads api and queue, both read db; lone stands apart.
    for (const [name, args] of [
      ["db", ["-t", "slow", "-p", "seconds=0"]],
      ["api", ["-t", "consumer", "-p", "upstream=db"]],
      ["queue", ["-t", "consumer", "-p", "upstream=db"]],
      ["web", ["-t", "joiner", "-p", "left=api", "-p", "right=queue"]],
      ["lone", ["-t", "slow", "-p", "seconds=0"]],
    ] as const) {
      const r = home.run(["env", "create", name, ...args, "--location", "local"]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 240_000);

  it("JSON: every living environment, each dependency as an edge", () => {
    const g = home.json<Graph>(["graph"]);
    expect(g.nodes.map((n) => n.name)).toEqual(["api", "db", "lone", "queue", "web"]);
    expect(g.nodes.find((n) => n.name === "db")).toMatchObject({ status: "deployed-ok", template: "slow@1.0.0" });
    expect(g.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(["api->db", "queue->db", "web->api", "web->queue"]);
  });

  it("around one environment, depth steps out both ways", () => {
    expect(home.json<Graph>(["graph", "api", "--depth", "1"]).nodes.map((n) => n.name)).toEqual(["api", "db", "web"]);
    expect(home.json<Graph>(["graph", "db", "--depth", "1"]).nodes.map((n) => n.name)).toEqual(["api", "db", "queue"]);
    // --focus is the name argument's other spelling; with no depth, everything reachable either way.
    expect(home.json<Graph>(["graph", "--focus", "db"]).nodes.map((n) => n.name)).toEqual(["api", "db", "queue", "web"]);
    expect(home.json<Graph>(["graph", "--focus", "lone"]).nodes.map((n) => n.name)).toEqual(["lone"]);
  });

  it("DOT that Graphviz reads, and Mermaid", () => {
    const dot = home.run(["graph"]).stdout;
    expect(dot).toMatch(/^digraph environments \{/);
    expect(dot).toContain('"web" -> "api"');
    expect(dot).toContain('"web" -> "queue"');
    // Graphviz reads it, where Graphviz is installed (it is not a dependency of infra's).
    const dotTool = spawnSync("dot", ["-Tsvg"], { input: dot, encoding: "utf8" });
    if (dotTool.error === undefined) expect(dotTool.status, dotTool.stderr).toBe(0);
    const mermaid = home.run(["graph", "--format", "mermaid"]).stdout;
    expect(mermaid.split("\n")[0]).toBe("flowchart LR");
    expect(mermaid).toMatch(/env_web -->\|"[^"]+"\| env_api/);
  });

  it("env list --depends-on and --needed-by follow the tree both ways, transitively", () => {
    const names = (args: string[]) =>
      home
        .json<{ items: { name: string }[] }>(["env", "list", ...args])
        .items.map((e) => e.name)
        .sort();
    expect(names(["--depends-on", "db"])).toEqual(["api", "queue", "web"]);
    expect(names(["--depends-on", "api"])).toEqual(["web"]);
    expect(names(["--needed-by", "web"])).toEqual(["api", "db", "queue"]);
    expect(names(["--needed-by", "lone"])).toEqual([]);
    expect(names(["--depends-on", "db", "--needed-by", "web"])).toEqual(["api", "queue"]);
    expect(home.run(["env", "list", "--depends-on", "ghost"]).stderr.trim()).toBe("infra: --depends-on: no environment named ghost");
  });

  it("one environment's resources: each with its parent (dashed) and what it needs", () => {
    const r = home.json<Resources>(["graph", "api", "--resources"]);
    expect(r.environment).toBe("api");
    const command = r.nodes.find((n) => n.type === "command:local:Command")!;
    expect(command.parent).toMatch(/^urn:pulumi:api::/);
    expect(r.edges).toContainEqual({ from: command.urn, to: command.parent, kind: "parent" });
    expect(r.nodes.some((n) => n.type.startsWith("pulumi:providers:"))).toBe(false);
    expect(home.run(["graph", "api", "--resources", "--format", "dot"]).stdout).toContain("style=dashed");
  });

  it("SVG and Mermaid, opened in a headless Chromium: the four names of the diamond drawn and visible", () => {
    if (!CHROMIUM) throw new Error("chromium is not installed: run the tests with npm test (scripts/services.sh installs it as root)");
    const svg = home.run(["graph", "--focus", "db", "--format", "svg"]);
    expect(svg.code, svg.stderr).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml|^<!DOCTYPE svg|^<svg/);
    const diamond = ["api", "db", "queue", "web"];
    for (const n of diamond) expect(svg.stdout).toContain(`>${n}</text>`);
    const mermaid = home.run(["graph", "--focus", "db", "--format", "mermaid"]).stdout;
    const dir = mkdtempSync(join(tmpdir(), "infra-graph-page-"));
    const mermaidJs = resolve("node_modules/mermaid/dist/mermaid.min.js");
    expect(existsSync(mermaidJs)).toBe(true);
    const page = join(dir, "graph.html");
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"><script src="file://${mermaidJs}"></script></head>
<body style="margin:0">
<div id="svg">${svg.stdout.slice(svg.stdout.indexOf("<svg"))}</div>
<div id="mermaid"></div>
<pre id="result">pending</pre>
<script>
const NAMES = ${JSON.stringify(diamond)};
// Drawn and on screen: some element holding the name whose box has a size and lies in the window.
const shown = (root, selector, name) => [...root.querySelectorAll(selector)].some((el) => {
  if (!el.textContent.trim().startsWith(name)) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth;
});
(async () => {
  const svgShown = NAMES.filter((n) => shown(document.getElementById("svg"), "text", n));
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  const { svg } = await mermaid.render("g", ${JSON.stringify(mermaid)});
  document.getElementById("mermaid").innerHTML = svg;
  const mermaidShown = NAMES.filter((n) => shown(document.getElementById("mermaid"), "g.node", n));
  document.getElementById("result").textContent = JSON.stringify({ svgShown, mermaidShown });
})().catch((e) => (document.getElementById("result").textContent = JSON.stringify({ error: String(e) })));
</script></body></html>`,
    );
    const dom = chromium(page, { dump: true });
    const result = JSON.parse(dom.slice(dom.indexOf('<pre id="result">') + 17, dom.indexOf("</pre>")).replace(/&quot;/g, '"'));
    expect(result).toEqual({ svgShown: diamond, mermaidShown: diamond });
    // The picture itself, kept beside the page; a blank page's is a fraction of its size.
    const png = join(dir, "graph.png");
    chromium(page, { screenshot: png, width: 1000, height: 700 });
    const blank = join(dir, "blank.html");
    writeFileSync(blank, "<!doctype html><html><body></body></html>");
    chromium(blank, { screenshot: join(dir, "blank.png"), width: 1000, height: 700 });
    expect(statSync(png).size).toBeGreaterThan(4 * statSync(join(dir, "blank.png")).size);
  }, 240_000);

  it("bad input: an unknown format or environment, --depth without a name or below 1, --resources alone", () => {
    const f = home.run(["graph", "--format", "png"]);
    expect(f.code).toBe(2);
    expect(f.stderr.trim()).toBe("infra: invalid --format 'png': one of json, dot, mermaid, svg");
    const ghost = home.run(["graph", "ghost"]);
    expect(ghost.stderr.trim()).toBe("infra: no environment named ghost");
    expect(ghost.code).toBe(2);
    expect(home.run(["graph", "--focus", "ghost", "--resources"]).code).toBe(2);
    expect(home.run(["graph", "--depth", "1"]).code).toBe(2);
    for (const depth of ["-1", "0", "x"]) {
      const r = home.run(["graph", "db", "--depth", depth]);
      expect(r.code, depth).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(home.run(["graph", "--resources"]).stderr.trim()).toBe("infra: --resources draws one environment: infra graph <name> --resources");
    expect(home.run(["graph", "api", "--focus", "db"]).code).toBe(2);
  });
});
