// infra env upgrade: a new template version, previewed before it is applied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
beforeAll(() => {
  home = makeHome();
  const r = home.run(["env", "create", "u1", "-t", "basic@1.0.0", "-p", "apiToken=s3cr3t-upgrade"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  home.run(["env", "destroy", "u1", "--yes"]);
});

describe("infra env upgrade", () => {
  it("refuses an unknown version or the one it runs, in one line", () => {
    const none = home.run(["env", "upgrade", "u1", "--to", "9.9.9", "--yes"]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("infra: template basic has no version 9.9.9: it has 1.0.0, 1.1.0");
    const same = home.run(["env", "upgrade", "u1", "--to", "1.0.0", "--yes"]);
    expect(same.code).toBe(3);
    expect(same.stderr.trim()).toBe("infra: environment u1 already runs basic@1.0.0");
    expect(home.run(["env", "upgrade", "u1", "--to", "1.1.0"]).stderr).toMatch(/pass --yes/);
  });

  it("shows the preview, applies it, and records the new version", () => {
    const before = home.json<Record<string, any>>(["env", "show", "u1"]);
    const r = home.run(["env", "upgrade", "u1", "--to", "1.1.0", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/preview of u1: basic 1\.0\.0 -> 1\.1\.0: 2 created, 10 unchanged/);
    const after = home.json<Record<string, any>>(["env", "show", "u1"]);
    expect(after.template).toMatchObject({ id: "basic", version: "1.1.0" });
    expect(after.outputs.buddy.value).toMatch(/^[a-z]+-[a-z]+-[a-z]+$/);
    expect(after.outputs.petName).toEqual(before.outputs.petName); // nothing else was touched
    expect(after.outputs.token).toEqual({ secret: true }); // the secret parameter came along
    expect(after.lastOperation).toMatchObject({ kind: "upgrade", result: "succeeded", summary: { create: 2, same: 10 } });
    expect(after.history.at(-1)).toMatchObject({ from: "deploying", to: "deployed-ok", reason: "upgrade succeeded" });
  });
});
