// infra graph: the environments and their dependencies as DOT, Mermaid and
// JSON, whole or around one; bad input in one line.
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { makeHome } from "../../helpers/cli.js";

type Graph = { nodes: { name: string; status: string; template: string }[]; edges: { from: string; to: string; reason: string }[] };

describe("infra graph", () => {
  const home = makeHome("infra-graph-");
  beforeAll(() => {
    // db <- api <- web; lone stands apart.
    for (const [name, args] of [
      ["db", ["-t", "slow", "-p", "seconds=0"]],
      ["api", ["-t", "consumer", "-p", "upstream=db"]],
      ["web", ["-t", "consumer", "-p", "upstream=api"]],
      ["lone", ["-t", "slow", "-p", "seconds=0"]],
    ] as const) {
      const r = home.run(["env", "create", name, ...args, "--location", "local"]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 240_000);

  it("JSON: every living environment, each dependency as an edge", () => {
    const g = home.json<Graph>(["graph"]);
    expect(g.nodes.map((n) => n.name)).toEqual(["api", "db", "lone", "web"]);
    expect(g.nodes.find((n) => n.name === "db")).toMatchObject({ status: "deployed-ok", template: "slow@1.0.0" });
    expect(g.edges.map((e) => `${e.from}->${e.to}`)).toEqual(["api->db", "web->api"]);
  });

  it("around one environment, depth steps out both ways", () => {
    expect(home.json<Graph>(["graph", "api", "--depth", "1"]).nodes.map((n) => n.name)).toEqual(["api", "db", "web"]);
    expect(home.json<Graph>(["graph", "db", "--depth", "1"]).nodes.map((n) => n.name)).toEqual(["api", "db"]);
    expect(home.json<Graph>(["graph", "db"]).nodes.map((n) => n.name)).toEqual(["api", "db", "web"]);
  });

  it("DOT that Graphviz reads, and Mermaid", () => {
    const dot = home.run(["graph"]).stdout;
    expect(dot).toMatch(/^digraph environments \{/);
    expect(dot).toContain('"web" -> "api"');
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
    expect(names(["--depends-on", "db"])).toEqual(["api", "web"]);
    expect(names(["--depends-on", "api"])).toEqual(["web"]);
    expect(names(["--needed-by", "web"])).toEqual(["api", "db"]);
    expect(names(["--needed-by", "lone"])).toEqual([]);
    expect(names(["--depends-on", "db", "--needed-by", "web"])).toEqual(["api"]);
    expect(home.run(["env", "list", "--depends-on", "ghost"]).stderr.trim()).toBe("infra: --depends-on: no environment named ghost");
  });

  it("bad input: an unknown format or environment, --depth without a name", () => {
    const f = home.run(["graph", "--format", "png"]);
    expect(f.code).toBe(2);
    expect(f.stderr.trim()).toBe("infra: invalid --format 'png': one of json, dot, mermaid");
    expect(home.run(["graph", "ghost"]).stderr.trim()).toMatch(/^infra: no environment named ghost/);
    expect(home.run(["graph", "--depth", "1"]).code).toBe(2);
  });
});
