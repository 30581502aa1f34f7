// An engine run that fails says every reason, one line each naming the
// resource; the environment is marked failed, and a fixed run brings it back.
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
    const lines = r.stderr.trim().split("\n").filter((l) => l.startsWith("infra:"));
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
