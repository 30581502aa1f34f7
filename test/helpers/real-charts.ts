// Where the real upstream charts at infra's pinned versions are, for the tests
// that check claims about them: INFRA_REAL_CHARTS; else shared/charts beside
// this checkout; else beside the checkout it was cloned from (a clean clone
// for CI lives elsewhere, its origin a local path). Undefined when none is.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { packageRoot } from "../../src/core/package-root.js";

function origin(): string | undefined {
  try {
    const url = execFileSync("git", ["-C", packageRoot(), "remote", "get-url", "origin"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const path = url.startsWith("file://") ? new URL(url).pathname : url;
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function realCharts(env: NodeJS.ProcessEnv = process.env): { dir?: string; why?: string } {
  if (env.INFRA_REAL_CHARTS) {
    return existsSync(env.INFRA_REAL_CHARTS) ? { dir: env.INFRA_REAL_CHARTS } : { why: `INFRA_REAL_CHARTS=${env.INFRA_REAL_CHARTS} does not exist` };
  }
  const tried = [join(dirname(packageRoot()), "shared", "charts")];
  const from = origin();
  if (from) tried.push(join(dirname(from), "shared", "charts"));
  const dir = tried.find((d) => existsSync(d));
  return dir ? { dir } : { why: `no real charts at ${tried.join(" or ")} (set INFRA_REAL_CHARTS)` };
}
