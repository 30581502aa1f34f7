// The README's first walk runs as written, line by line, and every example
// in --help names a template that exists.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { BIN, makeHome } from "../../helpers/cli.js";

const root = packageRoot();

describe("the README's first walk", () => {
  it("runs as written, every line exiting 0", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = /A first walk, as written[^\n]*\n\n```sh\n([^`]*)```/.exec(readme)?.[1];
    expect(block, "the walk's block").toBeTruthy();
    const home = makeHome("infra-readme-");
    delete home.env.INFRA_TEMPLATE_PATH;
    delete home.env.INFRA_PASSPHRASE;
    // In a folder of its own (secrets.yaml is written there), with bin/infra and $PWD/test as in the checkout.
    const script = block!.replaceAll("$PWD/test/", `${root}/test/`).replaceAll("bin/infra", `"${process.execPath}" "${BIN}"`);
    const lines = script.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    const r = spawnSync("bash", ["-c", ["set -e", ...lines.map((l) => `${l}\necho "ok: ${lines.indexOf(l)}"`)].join("\n")], {
      cwd: home.dir,
      env: { ...home.env, CI: "true" },
      encoding: "utf8",
      timeout: 240_000,
    });
    const done = (r.stdout.match(/^ok: \d+$/gm) ?? []).length;
    expect(r.status, `stopped at: ${lines[done]}\n${r.stderr.slice(-1500)}`).toBe(0);
    expect(done).toBe(lines.length);
    expect(r.stdout).toContain("dev: already destroyed; nothing to do");
  });
});

describe("examples in --help", () => {
  it("name templates that exist", () => {
    const home = makeHome("infra-help-");
    const templates = new Set(home.json<{ id?: string; version?: string }[]>(["template", "list"]).flatMap((t) => [t.id, `${t.id}@${t.version}`]));
    const commands = [["env", "create"], ["env", "update"], ["env", "upgrade"], ["env", "destroy"], ["template", "validate"], ["bootstrap"], ["init"]];
    for (const c of commands) {
      const help = spawnSync(process.execPath, [BIN, ...c, "--help"], { env: home.env, encoding: "utf8" }).stdout;
      for (const m of help.matchAll(/(?:--template|-t) ([a-z0-9@.-]+)/g)) expect(templates, `${c.join(" ")} --help names ${m[1]}`).toContain(m[1]);
      for (const m of help.matchAll(/validate (\S+\.yaml)/g))
        expect(spawnSync(process.execPath, [BIN, "template", "validate", join(root, m[1]!)], { env: home.env }).status).toBe(0);
    }
  });
});
