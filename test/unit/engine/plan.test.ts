import { describe, expect, it } from "vitest";
import { pathParts, plannedChange } from "../../../src/engine/plan.js";

describe("a preview's step as a planned change", () => {
  it("reads field paths without a regular expression that could backtrack", () => {
    expect(pathParts("a.b[0].c")).toEqual(["a", "b", 0, "c"]);
    expect(pathParts('tags["team.name"]')).toEqual(["tags", "team.name"]);
    expect(pathParts("x[")).toEqual(["x", "["]);
  });

  it("takes each field's old and new value, and marks what forces a replacement", () => {
    const c = plannedChange({
      op: "replace" as never,
      urn: "urn:pulumi:dev::p::command:local:Command::hello",
      type: "command:local:Command",
      provider: "p",
      keys: ["triggers"],
      detailedDiff: {
        "triggers[0]": { diffKind: "update-replace" as never, inputDiff: true },
        "environment.GREETING": { diffKind: "update" as never, inputDiff: true },
        token: { diffKind: "add" as never, inputDiff: true },
      },
      old: { type: "t", urn: "u", id: "1", parent: "", provider: "", inputs: { triggers: ["hello"], environment: { GREETING: "hello" } }, outputs: {} },
      new: {
        type: "t",
        urn: "u",
        id: "1",
        parent: "",
        provider: "",
        inputs: { triggers: ["bonjour"], environment: { GREETING: "bonjour" }, token: "[secret]" },
        outputs: {},
      },
    });
    expect(c).toEqual({
      op: "replace",
      type: "command:local:Command",
      name: "hello",
      fields: [
        { path: "environment.GREETING", old: "hello", new: "bonjour", replaces: false },
        { path: "token", new: "[secret]", replaces: false },
        { path: "triggers[0]", old: "hello", new: "bonjour", replaces: true },
      ],
    });
  });

  it("leaves out what does not change, providers, components and the stack", () => {
    const base = { urn: "urn:a::b::t::n", provider: "p" };
    expect(plannedChange({ ...base, op: "same" as never, type: "random:index/randomPet:RandomPet" })).toBeUndefined();
    expect(plannedChange({ ...base, op: "create" as never, type: "pulumi:providers:random" })).toBeUndefined();
    expect(plannedChange({ ...base, op: "create" as never, type: "infra:random:Pet" })).toBeUndefined();
    expect(plannedChange({ ...base, op: "create" as never, type: "pulumi:pulumi:Stack" })).toBeUndefined();
  });
});
