// The sandbox's ports come from below the ephemeral range, where no outgoing
// connection can take one between the choice and the process's bind.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ephemeralRange, freePort, portIsFree } from "../../../src/sandbox/ports.js";

describe("the sandbox's ports", () => {
  it("are free on loopback and below the ephemeral range", async () => {
    const [low] = ephemeralRange();
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
      expect(await portIsFree(port)).toBe(true);
    }
  });

  it("skip a port another program listens on", async () => {
    const taken = await freePort();
    const s = createServer();
    await new Promise<void>((r) => s.listen(taken, "127.0.0.1", r));
    let calls = 0;
    // The first pick lands on the taken port, the next elsewhere.
    const [low] = ephemeralRange();
    const port = await freePort(() => (calls++ === 0 ? (taken - 10_000 + 0.5) / (low - 10_000) : 0.5));
    expect(calls).toBe(2);
    expect(port).not.toBe(taken);
    s.close();
  });

  it("read the kernel's range, or Linux's default", () => {
    expect(ephemeralRange("32768\t60999\n")).toEqual([32768, 60999]);
    expect(ephemeralRange("garbage")).toEqual([32768, 60999]);
  });
});
