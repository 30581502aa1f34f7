#!/usr/bin/env node
// Cold and warm build times of our Kubernetes plugin (rig/kubernetes: client-go
// and Helm's SDK), printed, not asserted. Baseline in the same run: the
// command plugin (rig/command), built the same way. "Cold" is an empty Go
// build cache (the modules already downloaded: the proxy's speed is not ours
// to measure); "warm" is a second build with that cache after a change to our
// own code (a new value in the provider's package, so it compiles and links
// again). Each build runs in a copy of the helper module: nothing in the
// checkout is touched.
//
// usage: node bench/plugin-build.mjs
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function build(src, pkg, cache, out) {
  const t = Date.now();
  const r = spawnSync("go", ["build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg], {
    cwd: src,
    env: { ...process.env, GOCACHE: cache, CGO_ENABLED: "0" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`go build in ${src} failed: ${r.stderr}`);
  return (Date.now() - t) / 1000;
}

function measure(helper, pkg, touchFile) {
  const work = mkdtempSync(join(tmpdir(), "infra-bench-build-"));
  const src = join(work, helper);
  const cache = join(work, "gocache");
  const out = join(work, "plugin");
  try {
    cpSync(join(root, "rig", helper), src, { recursive: true });
    const cold = build(src, pkg, cache, out);
    // A change to our own code that changes the compiled package, as a developer's rebuild.
    appendFileSync(join(src, touchFile), `\nvar benchStamp = "${Date.now()}"\n\nfunc init() { _ = benchStamp }\n`);
    const warm = build(src, pkg, cache, out);
    return { cold, warm };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const k8s = measure("kubernetes", "./cmd/pulumi-resource-kubernetes", "provider/provider.go");
const cmd = measure("command", "./cmd/pulumi-resource-command", "cmd/pulumi-resource-command/main.go");
const f = (n) => n.toFixed(1).padStart(6);
console.log("build (s)                      cold    warm");
console.log(`kubernetes plugin (ours)     ${f(k8s.cold)}  ${f(k8s.warm)}`);
console.log(`command plugin (baseline)    ${f(cmd.cold)}  ${f(cmd.warm)}`);
console.log(`ratio                        ${f(k8s.cold / cmd.cold)}× ${f(k8s.warm / cmd.warm)}×`);
