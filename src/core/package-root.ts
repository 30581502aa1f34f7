// The folder that holds infra's own package.json (works from src/ and dist/).
// In the core because templates, programs, the engine and the CLI all need it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "infra") return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find infra's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
