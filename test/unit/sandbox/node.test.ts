// Where the real node cannot run, the sandbox says why in one line (and runs kwok alone).
import { afterEach, describe, expect, it, vi } from "vitest";
import { whyNoNode } from "../../../src/sandbox/node.js";

afterEach(() => vi.restoreAllMocks());

describe("whyNoNode", () => {
  it("not root: one line saying so", () => {
    vi.spyOn(process, "getuid").mockReturnValue(1000);
    expect(whyNoNode("/tmp/x/sandbox")).toBe("it needs root (kubelet, containerd and the bridge change the host)");
  });
  it("a missing program names its Debian package", () => {
    vi.spyOn(process, "getuid").mockReturnValue(0);
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(whyNoNode("/tmp/x/sandbox")).toBe("runc is not installed (apt-get install runc)");
    } finally {
      process.env.PATH = path;
    }
  });
});
