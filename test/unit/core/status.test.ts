import { describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/core/errors.js";
import { assertMove, canMove, outcome, STATUSES } from "../../../src/core/status.js";

describe("the status machine", () => {
  it("walks create, update and destroy", () => {
    const path = ["new", "deploying", "deployed-ok", "deploying", "deployed-ok", "destroying", "destroyed"] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1]!, path[i] as never)).toBe(true);
  });
  it("keeps an interrupted environment until it is recovered or destroyed", () => {
    expect(canMove("deploying", "interrupted")).toBe(true);
    expect(canMove("interrupted", "drifted")).toBe(false);
    expect(() => assertMove("dev", "interrupted", "drifted")).toThrow(/environment dev is interrupted: it cannot go to drifted: recover dev$/);
  });
  it("never leaves destroyed except by a new create, and never skips deploying", () => {
    for (const s of STATUSES) if (s !== "deploying") expect(canMove("destroyed", s)).toBe(false);
    expect(canMove("new", "deployed-ok")).toBe(false);
    expect(() => assertMove("dev", "destroyed", "destroying")).toThrow(ConflictError);
  });
  it("maps an operation's result to a status", () => {
    expect(outcome("create", true)).toBe("deployed-ok");
    expect(outcome("update", false)).toBe("deployed-fail");
    expect(outcome("destroy", true)).toBe("destroyed");
    expect(outcome("destroy", false)).toBe("deployed-fail");
  });
});
