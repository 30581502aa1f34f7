// One id@version from two template folders is refused, never shadowed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTemplate } from "../../../src/templates/load.js";
import { checkGitName } from "../../../src/templates/git.js";

const body = (desc: string) => `id: twin\nversion: 1.0.0\ndescription: ${desc}\ncomponents:\n  - name: pet\n    use: random/pet\n`;

describe("the same template in two sources", () => {
  it("is refused by reference, naming both files", () => {
    const root = mkdtempSync(join(tmpdir(), "infra-twins-"));
    for (const d of ["a", "b"]) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, "twin.yaml"), body(d));
    }
    const env = { ...process.env, INFRA_TEMPLATE_PATH: `${join(root, "a")}:${join(root, "b")}`, INFRA_HOME: join(root, "home") };
    expect(() => findTemplate("twin@1.0.0", env)).toThrow(/template twin@1\.0\.0 is defined more than once \(.*a\/twin\.yaml and .*b\/twin\.yaml\)/);
    expect(() => findTemplate("twin", env)).toThrow(/defined more than once/);
  });
});

describe("names from a repository listing", () => {
  it.each(["../etc", "-upload-pack=x", ".", "a b", "x.lock", "a/b", ""])("refuses %j", (name) => {
    expect(() => checkGitName(name, "repository")).toThrow(/is not a GitHub name/);
  });
  it("accepts GitHub's own", () => {
    expect(checkGitName("infra-web_2.x", "repository")).toBe("infra-web_2.x");
  });
});

describe("a GitHub base that is not https", () => {
  it("is refused before any request: the token never goes over plain http", async () => {
    const { listRepos } = await import("../../../src/templates/git.js");
    await expect(listRepos("http://ghe.example.test", "acme", "infra-")).rejects.toThrow(/is not https:\/\/ .*only over https/);
  });
});
