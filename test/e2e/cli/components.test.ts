// infra template components: the catalogue a template author writes against,
// with each default as the code uses it.
import { describe, expect, it } from "vitest";
import { catalogue } from "../../../programs/components/catalogue.js";
import { webAppArgs } from "../../../programs/components/kubernetes.args.js";
import { makeHome } from "../../helpers/cli.js";

describe("infra template components", () => {
  const home = makeHome("infra-components-");

  it("lists every component, and shows one's inputs with the defaults the code applies", () => {
    const list = home.run(["template", "components"]);
    expect(list.code).toBe(0);
    for (const id of Object.keys(catalogue)) expect(list.stdout).toContain(id);
    const one = home.run(["template", "components", "kubernetes/web-app"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`  port: the container port (default ${webAppArgs.port.default})`);
    expect(one.stdout).toContain("  namespace (required): where it runs");
    expect(one.stdout).toMatch(/^outputs$/m);
  });

  it("--json carries the catalogue's inputs; an unknown id is one line and exit 2", () => {
    const j = home.json<{ id: string; inputs: Record<string, { description: string }> }>(["template", "components", "command/local"]);
    expect(j.inputs).toEqual(catalogue["command/local"]!.inputs);
    const bad = home.run(["template", "components", "nope/nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("infra: no component nope/nope: infra template components lists them");
  });
});
