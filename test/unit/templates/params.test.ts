// Parameter values against their rules: types, bounds, and patterns that a
// hostile template writes to make matching take forever.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { checkValue, MAX_VALUE_LENGTH } from "../../../src/templates/params.js";
import type { ParameterSpec } from "../../../src/templates/schema.js";

const str = (extra: Partial<ParameterSpec> = {}): ParameterSpec => ({ type: "string", description: "", secret: false, optional: false, ...extra });

// Each passes any filter that looks for a quantified group right after a
// quantifier (the nesting hides it), and backtracks exponentially in a
// backtracking engine on an input of ~30 characters that almost matches.
const NESTED = ["((a+))+b", "(?:(?:a|a)+)+b", "((a*)(a*))+b", "(((a+)))+$x"];

describe("a pattern that backtracks without bound in a backtracking engine", () => {
  it.each(NESTED)("%s is matched against a hostile value at once", (pattern) => {
    // In a child with a deadline: a backtracking engine would block the event loop for minutes.
    const params = pathToFileURL(join(packageRoot(), "dist", "src", "templates", "params.js")).href;
    const script = `
      const { checkValue } = await import(${JSON.stringify(params)});
      const p = { type: "string", description: "", secret: false, optional: false, pattern: ${JSON.stringify(pattern)} };
      try { checkValue("x", p, "a".repeat(40) + "c"); console.log("accepted"); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(r.signal, "the match did not finish within 10 s").toBeNull();
    expect(r.stdout.trim()).toBe(`parameter x=${"a".repeat(40)}c: x is text matching ${pattern}`);
  });
});

describe("checkValue", () => {
  it("matches the whole value, not a part of it", () => {
    expect(checkValue("g", str({ pattern: "[a-z]+" }), "hello")).toBe("hello");
    expect(() => checkValue("g", str({ pattern: "[a-z]+" }), "hello!")).toThrow(/g is text matching \[a-z\]\+/);
    expect(() => checkValue("g", str({ pattern: "a|b" }), "ab")).toThrow(/matching/);
  });

  it("bounds a value's length", () => {
    expect(checkValue("g", str(), "x".repeat(MAX_VALUE_LENGTH))).toHaveLength(MAX_VALUE_LENGTH);
    expect(() => checkValue("g", str(), "x".repeat(MAX_VALUE_LENGTH + 1))).toThrow(/at most 4096 characters/);
  });

  it("never echoes a secret value", () => {
    expect(() => checkValue("t", str({ secret: true, min: 10 }), "hunter2")).toThrow(/^parameter t=\[secret\]: t is at least 10 characters long$/);
  });
});
