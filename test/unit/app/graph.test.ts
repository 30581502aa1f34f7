// The graph's formats quote and escape every label, whatever it holds.
import { describe, expect, it } from "vitest";
import { graphText } from "../../../src/app/graph.js";

const g = {
  nodes: [
    { name: "api", status: "deployed-ok", template: "consumer@1.0.0" },
    { name: "db-main", status: "drifted", template: "pg@2.0.0" },
  ],
  edges: [{ from: "api", to: "db-main", reason: 'parameter "up" \\ x' }],
};

describe("graph formats", () => {
  it("DOT: quoted, escaped, lines joined by DOT's \\n", () => {
    const dot = graphText(g, "dot");
    expect(dot).toContain('"api" [label="api\\nconsumer@1.0.0\\ndeployed-ok"];');
    expect(dot).toContain('"api" -> "db-main" [label="parameter \\"up\\" \\\\ x"];');
    expect(dot.split("\n").every((l) => !l.includes("\r"))).toBe(true);
  });
  it("Mermaid: ids without '-', labels quoted with quotes as entities", () => {
    const m = graphText(g, "mermaid");
    expect(m).toContain('env_db_main["db-main<br/>pg@2.0.0<br/>drifted"]');
    expect(m).toContain('env_api -->|"parameter #quot;up#quot; \\ x"| env_db_main');
  });
  it("JSON: the graph as it is", () => {
    expect(JSON.parse(graphText(g, "json"))).toEqual(g);
  });
});
