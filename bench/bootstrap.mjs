#!/usr/bin/env node
// Figures for `infra bootstrap` on the sandbox (printed, not asserted), with
// the charts of test/fixtures/charts as the mirror, or `--charts DIR` (the
// real upstream charts: --charts ../shared/charts). Needs `npm run build` and
// both rigs. Baseline in the same run: `infra sandbox start` from cold, the
// part of a cold bootstrap that is not the meta environment.
//
//   cold (control plane not running), re-run with no changes, warm (control
//   plane running, meta destroyed first); objects created; the infra
//   process's peak memory (VmHWM).
//
// usage: node bench/bootstrap.mjs [--charts DIR]
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const at = process.argv.indexOf("--charts");
const charts = at > 0 ? resolve(process.argv[at + 1]) : join(root, "test", "fixtures", "charts");
const dir = mkdtempSync(join(tmpdir(), "infra-bench-bootstrap-"));
const org = join(dir, "git", "acme", "infra-templates");
mkdirSync(org, { recursive: true });
execFileSync("git", ["init", "--quiet", "-b", "main", org]);
execFileSync("git", ["-C", org, "-c", "user.email=b@example.com", "-c", "user.name=b", "commit", "--quiet", "--allow-empty", "-m", "empty"]);
const env = {
  ...process.env,
  INFRA_HOME: join(dir, "home"),
  INFRA_PASSPHRASE: "bench",
  INFRA_GIT_BASE: pathToFileURL(join(dir, "git")).href,
  INFRA_CHARTS: charts,
  NO_COLOR: "1",
};

/** Runs infra, timing it and sampling its peak resident memory. */
function infra(...args) {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const child = spawn(process.execPath, [join(root, "bin", "infra"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let peak = 0;
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.resume();
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {}
    }, 100);
    child.on("close", (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`infra ${args.join(" ")} exited ${code}: ${stderr.trim().split("\n").pop()}`));
      else resolve({ seconds: (Date.now() - t) / 1000, peakMiB: peak });
    });
  });
}

const bootstrap = () => infra("bootstrap", "--github-organisation", "acme", "--location", "sandbox", "--yes");
try {
  const sandbox = await infra("sandbox", "start");
  await infra("sandbox", "stop");
  const cold = await bootstrap();
  const rerun = await bootstrap();
  const kubeconfig = join(dir, "home", "sandbox", "kubeconfig");
  const objects = JSON.parse(spawnSync(process.execPath, [join(root, "bin", "infra"), "env", "show", "meta", "--json"], { env, encoding: "utf8" }).stdout)
    .resources.length;
  const live = spawnSync("kubectl", ["get", "all", "-A", "--no-headers"], { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: "utf8" })
    .stdout.trim()
    .split("\n").length;
  await infra("env", "destroy", "meta", "--yes");
  const warm = await bootstrap();
  const f = (n) => n.toFixed(1);
  console.log(`charts from ${charts}`);
  console.log(`sandbox start, cold (baseline)   ${f(sandbox.seconds)} s`);
  console.log(`bootstrap, cold                  ${f(cold.seconds)} s  (${f(cold.seconds / sandbox.seconds)}x the baseline)`);
  console.log(`bootstrap, warm                  ${f(warm.seconds)} s`);
  console.log(`bootstrap again, no changes      ${f(rerun.seconds)} s`);
  console.log(`resources in meta                ${objects}  (objects in the cluster after: ${live})`);
  console.log(`infra process peak memory        ${f(Math.max(cold.peakMiB, warm.peakMiB, rerun.peakMiB))} MiB`);
} finally {
  // --force: meta may still be there (a run that failed halfway); without it the folder below goes under running processes.
  spawnSync(process.execPath, [join(root, "bin", "infra"), "sandbox", "delete", "--yes", "--force"], { env });
  rmSync(dir, { recursive: true, force: true });
}
