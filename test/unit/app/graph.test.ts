// The graph's formats quote and escape every label, whatever it holds; the
// diamond's files are golden (vitest -u rewrites them after a change on purpose).
import { describe, expect, it } from "vitest";
import type { EnvironmentGraph, ResourceGraph } from "../../../src/app/graph.js";
import { graphText, renderGraph } from "../../../src/app/graph-text.js";

const g: EnvironmentGraph = {
  nodes: [
    { name: "api", status: "deployed-ok", template: "consumer@1.0.0" },
    { name: "db-main", status: "drifted", template: "pg@2.0.0" },
  ],
  edges: [{ from: "api", to: "db-main", reason: 'parameter "up" \\ x' }],
};

/** web and worker read api and queue's outputs; both read db's: a diamond. */
const diamond: EnvironmentGraph = {
  nodes: [
    { name: "api", status: "deployed-ok", template: "consumer@1.0.0" },
    { name: "db", status: "drifted", template: "postgres@2.1.0" },
    { name: "queue", status: "deployed-fail", template: "consumer@1.0.0" },
    { name: "web", status: "deploying", template: "consumer@1.0.0" },
  ],
  edges: [
    { from: "api", to: "db", reason: "parameter upstream" },
    { from: "queue", to: "db", reason: "parameter upstream" },
    { from: "web", to: "api", reason: "parameter upstream" },
    { from: "web", to: "queue", reason: "parameter queue" },
  ],
};

const resources: ResourceGraph = {
  environment: "api",
  nodes: [
    { urn: "urn:pulumi:api::p::infra:app", type: "infra:app", name: "app", status: "ok" },
    {
      urn: "urn:pulumi:api::p::infra:app$random:index/randomPassword:RandomPassword::pw",
      type: "random:index/randomPassword:RandomPassword",
      name: "pw",
      status: "ok",
      parent: "urn:pulumi:api::p::infra:app",
    },
    { urn: 'urn:pulumi:api::p::command:local:Command::say "<hi>" #1', type: "command:local:Command", name: 'say "<hi>" #1', status: "pending" },
  ],
  edges: [
    { from: "urn:pulumi:api::p::infra:app$random:index/randomPassword:RandomPassword::pw", to: "urn:pulumi:api::p::infra:app", kind: "parent" },
    {
      from: 'urn:pulumi:api::p::command:local:Command::say "<hi>" #1',
      to: "urn:pulumi:api::p::infra:app$random:index/randomPassword:RandomPassword::pw",
      kind: "dependency",
    },
  ],
};

describe("graph formats", () => {
  it("DOT: quoted, escaped, lines joined by DOT's \\n, coloured by status", () => {
    const dot = graphText(g, "dot");
    expect(dot).toContain('"api" [label="api\\nconsumer@1.0.0\\ndeployed-ok", fillcolor="#d1e7dd"];');
    expect(dot).toContain('"api" -> "db-main" [label="parameter \\"up\\" \\\\ x"];');
    expect(graphText({ ...g, edges: [{ from: "api", to: "db-main", reason: "a\nb\r" }] }, "dot")).toContain('[label="a b "]');
  });
  it("Mermaid: ids without '-', labels quoted with markup characters as entities", () => {
    const m = graphText(g, "mermaid");
    expect(m).toContain('env_db_main["db-main<br/>pg@2.0.0<br/>drifted"]');
    expect(m).toContain('env_api -->|"parameter #quot;up#quot; \\ x"| env_db_main');
    expect(graphText(resources, "mermaid")).toContain('r2["say #quot;#lt;hi#gt;#quot; #35;1<br/>command:local:Command"]');
  });
  it("JSON: the graph as it is", () => {
    expect(JSON.parse(graphText(g, "json"))).toEqual(g);
  });
  it("resources: children point at their parent dashed, dependencies solid", () => {
    const dot = graphText(resources, "dot");
    expect(dot).toMatch(/^digraph resources \{/);
    expect(dot).toContain('-> "urn:pulumi:api::p::infra:app" [style=dashed];');
    expect(dot).toContain(
      '"urn:pulumi:api::p::command:local:Command::say \\"<hi>\\" #1" -> "urn:pulumi:api::p::infra:app$random:index/randomPassword:RandomPassword::pw";',
    );
    const m = graphText(resources, "mermaid");
    expect(m).toContain("r1 -.-> r0");
    expect(m).toContain("r2 --> r1");
  });
  it("the diamond, golden in every text format", async () => {
    await expect(graphText(diamond, "dot")).toMatchFileSnapshot("../../fixtures/graph/diamond.dot");
    await expect(graphText(diamond, "mermaid")).toMatchFileSnapshot("../../fixtures/graph/diamond.mmd");
    await expect(graphText(diamond, "json")).toMatchFileSnapshot("../../fixtures/graph/diamond.json");
  });
  it("SVG, laid out in process: every name is text in it, and a label's markup stays text", async () => {
    const svg = await renderGraph(diamond, "svg");
    expect(svg).toMatch(/<svg[\s>]/);
    for (const n of diamond.nodes) expect(svg).toContain(`>${n.name}</text>`);
    const hostile = await renderGraph(resources, "svg");
    expect(hostile).toContain("say &quot;&lt;hi&gt;&quot; #1</text>");
    expect(hostile).not.toContain("<hi>");
  });
});
