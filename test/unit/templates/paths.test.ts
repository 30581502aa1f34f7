// Field paths of drift ignore rules: read as drift writes them.
import { describe, expect, it } from "vitest";
import { parsePath, pathCovers } from "../../../src/templates/paths.js";

describe("parsePath", () => {
  it("reads keys, indexes, any-index and quoted keys", () => {
    expect(parsePath("spec.replicas")).toEqual([{ key: "spec" }, { key: "replicas" }]);
    expect(parsePath("spec.containers[0].image")).toEqual([{ key: "spec" }, { key: "containers" }, { index: 0 }, { key: "image" }]);
    expect(parsePath("spec.containers[*]")).toEqual([{ key: "spec" }, { key: "containers" }, { index: "*" }]);
    expect(parsePath('metadata.annotations["a/b.c"]')).toEqual([{ key: "metadata" }, { key: "annotations" }, { key: "a/b.c" }]);
  });

  it("refuses what is not a path", () => {
    for (const bad of ["", ".a", "a.", "a..b", "a[", "a[x]", "a[-1]", 'a[""]', "a b", "a.[0]", "a$b", "a]b", "x".repeat(301), 'a["b]']) {
      expect(parsePath(bad), bad).toBeUndefined();
    }
  });
});

describe("pathCovers", () => {
  const p = (t: string) => parsePath(t)!;
  it("covers the field itself and every field under it, * any index", () => {
    expect(pathCovers(p("spec.replicas"), p("spec.replicas"))).toBe(true);
    expect(pathCovers(p("metadata.annotations"), p('metadata.annotations["x/y"]'))).toBe(true);
    expect(pathCovers(p("spec.containers[*].image"), p("spec.containers[3].image"))).toBe(true);
    expect(pathCovers(p("spec.containers[0].image"), p("spec.containers[1].image"))).toBe(false);
    expect(pathCovers(p("spec.replicas"), p("spec"))).toBe(false);
    expect(pathCovers(p("spec.rep"), p("spec.replicas"))).toBe(false);
  });
});
