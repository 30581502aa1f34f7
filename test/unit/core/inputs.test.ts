import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { checkName, parsePairs, parseTtl } from "../../../src/core/inputs.js";

describe("checkName", () => {
  it("accepts DNS-label names", () => {
    for (const n of ["dev", "pr-123", "a", "stage2", "x".repeat(40)]) expect(checkName(n)).toBe(n);
  });
  it("refuses anything else with a usage error that shows a good name", () => {
    for (const n of ["Dev", "dev_1", "-dev", "dev-", "1dev", "", "x".repeat(41), "dev/../x", "dév"]) {
      expect(() => checkName(n)).toThrow(UsageError);
    }
    expect(() => checkName("Dev")).toThrow(/invalid environment name 'Dev'.*for example dev/);
  });
});

describe("parsePairs", () => {
  it("splits on the first '=' and keeps empty values", () => {
    expect(parsePairs(["a=1", "b=x=y", "c="], "--param")).toEqual({ a: "1", b: "x=y", c: "" });
  });
  it("refuses a pair without a value, a bad key, or a key given twice", () => {
    expect(() => parsePairs(["greeting"], "--param")).toThrow(/--param 'greeting' has no value: write --param key=value/);
    expect(() => parsePairs(["=1"], "--tag")).toThrow(UsageError);
    expect(() => parsePairs(["a b=1"], "--tag")).toThrow(/the key must start/);
    // A malformed pair never echoes its value (it may be a secret).
    for (const raw of ["to ken=hunter2-SECRET", "=hunter2-SECRET", "hunter2-SECRET!", "tok\u0000en=hunter2-SECRET"]) {
      expect(() => parsePairs([raw], "--param")).toThrow(UsageError);
      try {
        parsePairs([raw], "--param");
      } catch (err) {
        expect((err as Error).message).not.toContain("hunter2");
      }
    }
    expect(() => parsePairs(["a=1", "a=2"], "--tag")).toThrow(/given twice/);
  });
});

describe("parseTtl", () => {
  it("reads minutes, hours, days, weeks and sums", () => {
    expect(parseTtl("30m")).toBe(30 * 60_000);
    expect(parseTtl("72h")).toBe(72 * 3_600_000);
    expect(parseTtl("1d12h")).toBe(36 * 3_600_000);
    expect(parseTtl("2w")).toBe(14 * 86_400_000);
  });
  it("refuses garbage, zero, and more than a year", () => {
    for (const t of ["", "72", "h", "3x", "-1h", "0m", "1.5h", "366d", "72h "]) {
      expect(() => parseTtl(t)).toThrow(/invalid ttl/);
    }
  });
});
