// An engine run that fails says every reason, one line each naming the
// resource; the environment is marked failed, and a fixed run brings it back.
import { appendFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
beforeAll(() => {
  home = makeHome();
});

describe("a create where two resources fail", () => {
  it("names both resources and their reasons, with no stack trace", () => {
    const r = home.run(["env", "create", "broken", "-t", "failing"]);
    expect(r.code).toBe(1);
    // After the progress lines: the error, then one line per reason.
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("infra:"));
    expect(lines[0]).toMatch(/^infra: create of broken failed: 2 errors \(events: infra env logs broken --operation [0-9a-f-]+\)$/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^infra: {3}- first \(command:local:Command\): .*disk quota exceeded/),
      expect.stringMatching(/^infra: {3}- second \(command:local:Command\): .*connection refused/),
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const env = home.json<Record<string, any>>(["env", "show", "broken"]);
    expect(env.status).toBe("deployed-fail");
    expect(env.lastOperation).toMatchObject({ kind: "create", result: "failed" });
    expect(env.lastOperation.message).toContain("disk quota exceeded");
  });
});

describe("an events file cut short by a killed run", () => {
  it("still reads: the torn line is named, the rest shown", () => {
    const op = home.json<Record<string, any>>(["env", "show", "broken"]).lastOperation;
    appendFileSync(op.eventsFile, '{"resOutputsEvent": {"metadata": {"op": "crea');
    const r = home.run(["env", "logs", "broken"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("(a line that could not be read: cut short when its run was killed?)");
    expect(r.stdout).toMatch(/failed\s+command:local:Command first/);
  });
});
