// The rigs' own Go tests (our Kubernetes provider's), run where Go is, so a
// change there is held to them as the TypeScript is to its tests.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";

const rig = join(packageRoot(), "rig");
/** Go modules under rig/ with tests: each module's folder and the packages in it that have tests. */
function modulesWithTests(): { module: string; packages: string[] }[] {
  const out: { module: string; packages: string[] }[] = [];
  for (const m of readdirSync(rig)) {
    const dir = join(rig, m);
    if (!statSync(dir).isDirectory()) continue;
    const packages = new Set<string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith("_test.go")) packages.add(`./${relative(dir, d) || "."}`);
      }
    };
    walk(dir);
    if (packages.size) out.push({ module: dir, packages: [...packages] });
  }
  return out;
}

const go = spawnSync("go", ["version"], { encoding: "utf8" });
const why = go.status === 0 ? undefined : "Go is not installed";
describe.skipIf(!!why)(`the rigs' Go tests${why ? ` (skipped: ${why})` : ""}`, () => {
  for (const { module, packages } of modulesWithTests()) {
    it(`pass in ${relative(packageRoot(), module)}`, () => {
      const r = spawnSync("go", ["test", ...packages], { cwd: module, encoding: "utf8", timeout: 600_000 });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    }, 600_000);
  }
});
