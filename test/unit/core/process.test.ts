import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAlive, processStart } from "../../../src/core/process.js";

const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2)[0];
};

describe.skipIf(process.platform !== "linux")("processes on this host", () => {
  it("a running process is alive and has a start time", () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(processStart(process.pid)).toMatch(/^\d+$/);
  });

  it("an exited process its parent has not reaped is not alive, though it answers signal 0", async () => {
    // sh leaves `true` behind and becomes sleep, which never waits: `true` stays a zombie.
    const parent = spawn("sh", ["-c", "true & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(await new Promise<string>((res) => parent.stdout!.once("data", (d) => res(String(d)))));
      for (let i = 0; i < 100 && state(pid) !== "Z"; i++) await new Promise((res) => setTimeout(res, 20));
      expect(state(pid)).toBe("Z");
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(isAlive(pid)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("a pid no process has is not alive", async () => {
    const child = spawn("true");
    await new Promise((res) => child.once("exit", res));
    expect(isAlive(child.pid!)).toBe(false);
  });
});
