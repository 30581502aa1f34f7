// Shell completion, generated from the command tree, exercised in a real bash.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { makeHome } from "../../helpers/cli.js";

function complete(script: string, words: string[]): string[] {
  const line = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _infra; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", line], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("infra completion", () => {
  const script = makeHome().run(["completion"]).stdout;

  it("completes commands, subcommands and flags", () => {
    expect(complete(script, ["infra", ""])).toEqual(expect.arrayContaining(["env", "template", "init", "--json"]));
    expect(complete(script, ["infra", "env", "cr"])).toEqual(["create"]);
    expect(complete(script, ["infra", "env", "create", "dev", "--t"])).toEqual(["--tag", "--template", "--ttl"]);
    expect(complete(script, ["infra", "template", ""])).toEqual(["components", "list", "show", "sync", "validate"]);
  });

  it("prints a zsh variant", () => {
    const zsh = makeHome().run(["completion", "--shell", "zsh"]);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain("bashcompinit");
    expect(makeHome().run(["completion", "--shell", "fish"]).code).toBe(2);
  });
});
