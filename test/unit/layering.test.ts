// The shape the code must keep: the engine adapter and the use cases know
// nothing of terminals or process signals; templates and programs never
// reach into the engine.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/core/package-root.js";

const root = packageRoot();
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("layering", () => {
  it.each(["src/engine", "src/app"])("%s touches no terminal, exit code or signal", (dir) => {
    for (const f of files(join(root, dir))) {
      const text = readFileSync(f, "utf8");
      expect(text, relative(root, f)).not.toMatch(/process\.(exit|stderr|stdout|on|once|off)\b/);
      expect(text, relative(root, f)).not.toMatch(/from "(ora|@inquirer\/prompts|commander)"/);
    }
  });

  it.each(["src/templates", "programs"])("%s imports nothing from src/engine", (dir) => {
    for (const f of files(join(root, dir))) {
      expect(readFileSync(f, "utf8"), relative(root, f)).not.toMatch(/from "[./]*\/(src\/)?engine\//);
    }
  });

  // The use cases, the domain, the registry and templates are reached through
  // every door (CLI, REST, AMQP): a hint names the input, each edge its words.
  it.each(["src/app", "src/core", "src/registry", "src/templates"])("%s names no CLI flag or command in what it says", (dir) => {
    for (const f of files(join(root, dir))) {
      if (f.endsWith(join("templates", "git.ts"))) continue; // runs git with its own flags
      const code = readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
        .join("\n");
      expect(code, relative(root, f)).not.toMatch(/["'`(\s]--[a-z][a-z-]+/);
      expect(code, relative(root, f)).not.toMatch(/infra (env|template show|template list) /);
    }
  });

  it("src/core imports nothing of ours outside src/core", () => {
    for (const f of files(join(root, "src", "core"))) {
      expect(readFileSync(f, "utf8"), relative(root, f)).not.toMatch(/from "\.\.\//);
    }
  });
});
