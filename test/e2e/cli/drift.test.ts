// Drift away from Kubernetes, on the basic fixture with its note (a local
// file, a dynamic resource whose Read looks at the file): an edit made behind
// infra's back is named with its field, declared and actual; a deleted file is
// missing; reconcile writes it back; refresh accepts an edit into the state.
// Runs the dynamic provider host through the engine rig's launcher.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

type Report = { inSync: boolean; resources: { state: string; type: string; name: string; fields: { path: string; declared?: unknown; actual?: unknown }[] }[] };

let home: Home;
let note: string;
let declared: string;

beforeAll(() => {
  home = makeHome("infra-drift-local-");
  const r = home.run(["env", "create", "dev", "-t", "basic@1.1.0", "-p", "apiToken=t", "-p", "note=true", "-p", "greeting=hi"]);
  expect(r.code, r.stderr).toBe(0);
  note = join(home.env.INFRA_HOME!, "files", "dev", "note");
  declared = readFileSync(note, "utf8");
});
afterAll(() => rmSync(home.dir, { recursive: true, force: true }));

describe("drift of a local resource", () => {
  it("in sync right after the create", () => {
    expect(declared).toMatch(/^hi from [a-z]+-[a-z]+$/);
    const r = home.run(["env", "drift", "dev"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("dev: in sync (nothing changed outside infra)");
  });

  it("names the field changed behind infra's back, with both values; exit 4; the status says drifted", () => {
    writeFileSync(note, "edited by hand");
    const r = home.run(["env", "drift", "dev", "--json"]);
    expect(r.code, r.stderr).toBe(4);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.inSync).toBe(false);
    expect(report.resources).toEqual([
      expect.objectContaining({
        state: "changed",
        name: "note",
        type: "pulumi-nodejs:dynamic/infra:LocalFile",
        fields: [{ path: "content", declared, actual: "edited by hand" }],
      }),
    ]);
    expect(home.json<{ status: string }>(["env", "show", "dev"]).status).toBe("drifted");
    expect(home.run(["env", "drift", "dev", "--last"]).stdout).toContain(`content: ${JSON.stringify(declared)} → "edited by hand"`);
  });

  it("a deleted file is missing; reconcile writes it back, and a new check is in sync", () => {
    rmSync(note);
    const r = home.run(["env", "drift", "dev", "--json"]);
    expect(r.code).toBe(4);
    expect((JSON.parse(r.stdout) as Report).resources).toEqual([expect.objectContaining({ state: "missing", name: "note" })]);
    const fix = home.run(["env", "reconcile", "dev", "--yes"]);
    expect(fix.code, fix.stderr).toBe(0);
    expect(readFileSync(note, "utf8")).toBe(declared);
    expect(home.run(["env", "drift", "dev"]).code).toBe(0);
    expect(home.json<{ status: string }>(["env", "show", "dev"]).status).toBe("deployed-ok");
  });

  it("refresh accepts an edit into the state: the file keeps it and a check is in sync", () => {
    writeFileSync(note, "kept on purpose");
    const r = home.run(["env", "refresh", "dev", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(note, "utf8")).toBe("kept on purpose");
    expect(home.run(["env", "drift", "dev"]).code).toBe(0);
  });
});
