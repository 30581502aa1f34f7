#!/usr/bin/env node
// Figures for the sandbox (printed, not asserted). Needs `npm run build` and
// the sandbox rig. Baselines in the same run: the same start cold (new data)
// and warm (after stop); kubectl's own round trip for the rollout timings.
//
//   start:     infra sandbox start to Ready, cold and warm (median of --runs)
//   memory:    resident memory of the five processes, idle and with 200 pods
//   rollout:   100 Deployments of 3 replicas created at once, until all are Ready
//
// With --real-node (as root): start to Ready with the real node, cold and warm,
// against the same start without it; a pod of the test image Ready on the real
// node after apply, against a kwok pod; memory idle with the node's processes;
// the node rig's build times from its log.
//
// usage: node bench/sandbox.mjs [--runs 3] [--real-node]
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

/** Seconds from apply to Ready of one pod (a Deployment of 1), on the real node or on kwok's. */
function podReady(name, real) {
  const spec = {
    containers: [
      {
        name: "c",
        image: real ? "infra.sandbox/httpd:1" : "nginx:1.27",
        readinessProbe: real ? { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 } : undefined,
      },
    ],
    ...(real && {
      nodeSelector: { "infra.sandbox/real-node": "true" },
      tolerations: [{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }],
    }),
  };
  const doc = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
  const t0 = Date.now();
  kubectl(["apply", "-f", "-"], JSON.stringify(doc));
  kubectl(["rollout", "status", `deployment/${name}`, "--timeout=120s"]);
  const s = (Date.now() - t0) / 1000;
  kubectl(["delete", "deployment", name, "--wait=true"]);
  return s;
}

if (process.argv.includes("--real-node")) {
  try {
    const runs = { plain: { cold: [], warm: [] }, real: { cold: [], warm: [] } };
    for (let r = 0; r < RUNS; r++) {
      for (const [kind, flag] of [
        ["plain", "--no-real-node"],
        ["real", "--real-node"],
      ]) {
        infra("sandbox", "delete", "--yes", "--force");
        runs[kind].cold.push(infra("sandbox", "start", flag).ms);
        infra("sandbox", "stop");
        runs[kind].warm.push(infra("sandbox", "start").ms);
      }
    }
    const f = (xs) => (median(xs) / 1000).toFixed(1);
    console.log(
      `start to Ready with the real node: cold ${f(runs.real.cold)} s, warm ${f(runs.real.warm)} s; without it cold ${f(runs.plain.cold)} s, warm ${f(runs.plain.warm)} s (ratio warm ${(median(runs.real.warm) / median(runs.plain.warm)).toFixed(2)}x; median of ${RUNS}; goal warm <= 15 s)`,
    );
    const real = [];
    const kwok = [];
    for (let r = 0; r < 5; r++) {
      real.push(podReady(`real-${r}`, true));
      kwok.push(podReady(`kwok-${r}`, false));
    }
    console.log(
      `a pod Ready after apply: on the real node ${median(real).toFixed(2)} s, on kwok ${median(kwok).toFixed(2)} s (median of 5; ratio ${(median(real) / median(kwok)).toFixed(2)}x)`,
    );
    await new Promise((r) => setTimeout(r, 10_000));
    const procs = JSON.parse(infra("sandbox", "status", "--json").out).processes;
    const node = procs.filter((p) => ["containerd", "kubelet", "kube-proxy", "coredns"].includes(p.program));
    const sum = (ps) => ps.reduce((t, p) => t + (p.memoryBytes ?? 0), 0) / 1048576;
    console.log(
      `memory idle: ${sum(procs).toFixed(0)} MiB in all, of which the real node ${sum(node).toFixed(0)} MiB (${node.map((p) => `${p.program} ${((p.memoryBytes ?? 0) / 1048576).toFixed(0)}`).join(", ")})`,
    );
    const rig = spawnSync("bash", [join(root, "scripts", "node-rig.sh"), "--print"], { encoding: "utf8" }).stdout.trim();
    const log = spawnSync("grep", ["-h", "done in", join(rig, "build.log")], { encoding: "utf8" }).stdout;
    console.log(`node rig build log: ${log.trim() ? log.trim().split("\n").join("; ") : "(no step timings: see the setup output)"}`);
  } finally {
    spawnSync(process.execPath, [join(root, "bin", "infra"), "sandbox", "delete", "--yes", "--force"], { env });
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

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
