// A run's changes: the engine's summary when it sends one, else the steps it
// finished (a cancelled destroy that let its steps in flight finish must not
// say "no changes").
import { describe, expect, it } from "vitest";
import type { OperationEvent } from "../../../src/app/events.js";
import { StepCounter } from "../../../src/engine/events.js";

const done = (op: string, resourceType = "random:index/randomPet:RandomPet"): OperationEvent => ({
  type: "step",
  state: "done",
  op,
  resourceType,
  urn: `urn:${op}`,
  name: "x",
});

describe("StepCounter", () => {
  it("counts finished steps as the summary would when no summary came", () => {
    const c = new StepCounter();
    for (const e of [
      done("delete"),
      done("delete"),
      done("delete", "pulumi:providers:random"),
      done("same"),
      { type: "step", state: "started", op: "delete", resourceType: "t", urn: "u", name: "n" } as OperationEvent,
    ])
      c.see(e);
    expect(c.changes()).toEqual({ delete: 2, same: 1 });
  });

  it("counts a replacement once", () => {
    const c = new StepCounter();
    for (const e of [done("create-replacement"), done("replace"), done("delete-replaced")]) c.see(e);
    expect(c.changes()).toEqual({ replace: 1 });
  });

  it("takes the engine's own summary when there is one", () => {
    const c = new StepCounter();
    c.see(done("delete"));
    c.see({ type: "summary", changes: { delete: 5 } });
    expect(c.changes()).toEqual({ delete: 5 });
  });
});
