// Who opts in to remediation by the server's sweep: the environment's tag, else its template.
import { describe, expect, it } from "vitest";
import { remediates } from "../../../src/app/sweep.js";

describe("remediates", () => {
  it("the tag decides first, then the template; none by default", () => {
    const template = (remediate?: "none" | "reconcile") => ({ drift: remediate ? { ignore: [], remediate } : undefined });
    expect(remediates({ tags: {} }, template())).toBe(false);
    expect(remediates({ tags: {} }, template("reconcile"))).toBe(true);
    expect(remediates({ tags: { "infra.remediate": "none" } }, template("reconcile"))).toBe(false);
    expect(remediates({ tags: { "infra.remediate": "reconcile" } }, template())).toBe(true);
    expect(remediates({ tags: { "infra.remediate": "maybe" } }, template())).toBe(false);
  });
});
