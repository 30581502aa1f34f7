// A component's `when` is read by the one expression parser, never by a regex of its own.
import { describe, expect, it } from "vitest";
import { whenParameter } from "../../../src/templates/expr.js";
import { componentSchema } from "../../../src/templates/schema.js";

describe("when", () => {
  it("names one boolean parameter", () => {
    expect(whenParameter("${params.withCache}")).toBe("withCache");
    expect(whenParameter("${ params.on }")).toBe("on");
  });
  it("is nothing else: text around it, two references, another kind, a broken one", () => {
    for (const w of ["x${params.a}", "${params.a}${params.b}", "${components.db.url}", "${environment.name}", "${params.a", "${params.}", "true", ""]) {
      expect(whenParameter(w), w).toBeUndefined();
      expect(componentSchema.safeParse({ name: "c", use: "random/pet", when: w }).success, w).toBe(false);
    }
    expect(componentSchema.safeParse({ name: "c", use: "random/pet", when: "${params.on}" }).success).toBe(true);
  });
});
