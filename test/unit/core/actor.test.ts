// Who runs infra, where the uid has no passwd entry (many containers): os.userInfo() throws there.
import { describe, expect, it, vi } from "vitest";

vi.mock("node:os", async (original) => ({
  ...(await original<typeof import("node:os")>()),
  userInfo: () => {
    throw Object.assign(new Error("uv_os_get_passwd returned ENOENT"), { code: "ENOENT" });
  },
}));

describe("currentUser without a passwd entry", () => {
  it("falls back to $USER, $LOGNAME, then the uid", async () => {
    const { currentUser } = await import("../../../src/core/actor.js");
    expect(currentUser({ USER: "ci" })).toBe("ci");
    expect(currentUser({ LOGNAME: "runner" })).toBe("runner");
    expect(currentUser({})).toBe(`uid-${process.getuid!()}`);
  });
});
