#!/usr/bin/env node
// Figures for the sandbox (printed, not asserted). Needs `npm run build` and
// the sandbox rig. Baselines in the same run: the same start cold (new data)
// and warm (after stop); kubectl's own round trip for the rollout timings.
//
//   start:     infra sandbox start to Ready, cold and warm (median of --runs)
//   memory:    resident memory of the five processes, idle and with 200 pods
//   rollout:   100 Deployments of 3 replicas created at once, until all are Ready
//
// usage: node bench/sandbox.mjs [--runs 3]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--runs");
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 3;
const dir = mkdtempSync(join(tmpdir(), "infra-bench-sandbox-"));
const env = { ...process.env, INFRA_HOME: join(dir, "home") };
const kubeconfig = join(dir, "home", "sandbox", "kubeconfig");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function infra(...args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`infra ${args.join(" ")}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out: r.stdout };
}
const kubectl = (args, input) => execFileSync("kubectl", args, { env: { ...env, KUBECONFIG: kubeconfig }, encoding: "utf8", input, maxBuffer: 64 << 20 });
const memory = () => JSON.parse(infra("sandbox", "status", "--json").out).processes.reduce((s, p) => s + (p.memoryBytes ?? 0), 0) / 1048576;

try {
  const cold = [];
  const warm = [];
  for (let r = 0; r < RUNS; r++) {
    infra("sandbox", "delete", "--yes");
    cold.push(infra("sandbox", "start").ms);
    infra("sandbox", "stop");
    warm.push(infra("sandbox", "start").ms);
  }
  console.log(`start to Ready: cold ${(median(cold) / 1000).toFixed(1)} s, warm ${(median(warm) / 1000).toFixed(1)} s (median of ${RUNS}; goal warm <= 15 s)`);
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = memory();
  const deployments = (n, replicas, prefix) =>
    Array.from({ length: n }, (_, k) =>
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `${prefix}-${k}` },
        spec: {
          replicas,
          selector: { matchLabels: { app: `${prefix}-${k}` } },
          template: { metadata: { labels: { app: `${prefix}-${k}` } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
        },
      }),
    ).join("\n");
  kubectl(["apply", "-f", "-"], deployments(20, 10, "mem"));
  kubectl(["wait", "--for=condition=Available", "deployment", "--all", "--timeout=300s"]);
  const pods = kubectl(["get", "pods", "--no-headers"]).trim().split("\n").length;
  await new Promise((r) => setTimeout(r, 5_000));
  const loaded = memory();
  console.log(`memory of the control plane: idle ${idle.toFixed(0)} MiB, with ${pods} pods ${loaded.toFixed(0)} MiB`);
  kubectl(["delete", "deployment", "--all", "--wait=true"]);
  const t0 = Date.now();
  kubectl(["apply", "-f", "-"], deployments(100, 3, "roll"));
  kubectl(["wait", "--for=condition=Available", "deployment", "--all", "--timeout=600s"]);
  const ready = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  kubectl(["get", "deployments", "--no-headers"]);
  console.log(`100 Deployments x 3 replicas: all Available in ${ready.toFixed(1)} s (a kubectl round trip: ${Date.now() - t1} ms)`);
} finally {
  spawnSync(process.execPath, [join(root, "bin", "infra"), "sandbox", "delete", "--yes"], { env });
  rmSync(dir, { recursive: true, force: true });
}
