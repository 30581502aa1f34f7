// A component's inputs are declared once: the catalogue's words and the code's
// defaults come from the same value, so they cannot disagree.
import { describe, expect, it } from "vitest";
import { defineArgs, describeInputs, withDefaults } from "../../../programs/components/args.js";
import { catalogue } from "../../../programs/components/catalogue.js";
import { namespaceArgs } from "../../../programs/components/kubernetes.args.js";

describe("component inputs", () => {
  const spec = defineArgs({
    size: { kind: "number", description: "how many", default: 3 },
    name: { kind: "string", description: "its name", required: true },
    note: { kind: "string", description: "a note", defaultText: "none" },
    env: { kind: "map", description: "variables" },
  });

  it("the catalogue prints the default the code uses, and the kind of input", () => {
    expect(describeInputs(spec)).toEqual({
      size: { required: false, description: "how many (default 3)" },
      name: { required: true, description: "its name" },
      note: { required: false, description: "a note (default: none)" },
      env: { required: false, description: "variables", map: true },
    });
  });

  it("the implementation gets the default where the template gives nothing, and the template's value otherwise", () => {
    expect(withDefaults(spec, { name: "x" })).toEqual({ size: 3, name: "x", note: undefined, env: undefined });
    expect(withDefaults(spec, { name: "x", size: 5, other: "dropped" })).toEqual({ size: 5, name: "x", note: undefined, env: undefined });
  });

  it("a default of the wrong kind does not compile, and is refused at run time", () => {
    // @ts-expect-error a number input's default is a number (npm run typecheck fails if this compiles)
    expect(() => defineArgs({ n: { kind: "number", description: "n", default: "3" } })).toThrow('input n: its default "3" is not a number');
    expect(() => defineArgs({ l: { kind: "list", description: "l", default: "a" as never } })).toThrow("is not a list");
    expect(() => defineArgs({ m: { kind: "map", description: "m", default: [] as never } })).toThrow("is not a map");
  });

  it("every catalogue input says its default in one way only: from the value", () => {
    for (const [id, c] of Object.entries(catalogue)) {
      for (const [k, input] of Object.entries(c.inputs)) {
        // One "(default …)" at most, and at the end: written by describeInputs, not by hand.
        const said = input.description.split("(default").length - 1;
        expect(said, `${id} ${k}: ${input.description}`).toBeLessThanOrEqual(1);
        if (said === 1) expect(input.description.endsWith(")"), `${id} ${k}`).toBe(true);
      }
    }
    expect(catalogue["kubernetes/namespace"]!.inputs.pods!.description).toBe(`pod quota (default ${namespaceArgs.pods.default})`);
  });
});
