#!/usr/bin/env node
// Figures for our Kubernetes provider (printed, not asserted). Needs
// `npm run build`, the engine rig and the sandbox rig. Baseline in the same
// run: the same number of random resources (the engine's own cost per resource).
//
//   200 ConfigMaps on the sandbox: create and refresh, against 200 RandomPets
//
// usage: node bench/kubernetes.mjs [--count 200]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--count");
const COUNT = i > 0 ? Number(process.argv[i + 1]) : 200;
const dir = mkdtempSync(join(tmpdir(), "infra-bench-k8s-"));
const env = { ...process.env, INFRA_HOME: join(dir, "home") };
const infra = (...args) => spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env, encoding: "utf8" });
const { locateEngine } = await import(pathToFileURL(join(root, "dist", "src", "engine", "locate.js")).href);
const { openStack } = await import(pathToFileURL(join(root, "dist", "src", "engine", "automation.js")).href);

async function timed(name, program) {
  const engine = await locateEngine();
  const { stack } = await openStack({
    project: "bench-k8s",
    stack: name,
    workDir: join(dir, name),
    program,
    engine,
    settings: { backendUrl: pathToFileURL(join(dir, "state")).href, passphrase: "bench" },
  });
  let t = Date.now();
  await stack.up();
  const create = (Date.now() - t) / 1000;
  t = Date.now();
  await stack.refresh();
  const refresh = (Date.now() - t) / 1000;
  await stack.destroy();
  return { create, refresh };
}

try {
  if (infra("sandbox", "start").status !== 0) throw new Error("the sandbox did not start");
  const kubeconfig = readFileSync(join(dir, "home", "sandbox", "kubeconfig"), "utf8");
  const maps = await timed("configmaps", async () => {
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("sandbox", { kubeconfig });
    for (let n = 0; n < COUNT; n++) new k8s.core.v1.ConfigMap(`cm-${n}`, { data: { n: String(n) } }, { provider });
  });
  const pets = await timed("pets", async () => {
    const random = await import("@pulumi/random");
    for (let n = 0; n < COUNT; n++) new random.RandomPet(`pet-${n}`, {});
  });
  const r = (a, b) => (a / b).toFixed(2);
  console.log(`${COUNT} ConfigMaps: create ${maps.create.toFixed(1)} s, refresh ${maps.refresh.toFixed(1)} s`);
  console.log(`${COUNT} RandomPets: create ${pets.create.toFixed(1)} s, refresh ${pets.refresh.toFixed(1)} s`);
  console.log(`ratio ConfigMaps / RandomPets: create ${r(maps.create, pets.create)}x, refresh ${r(maps.refresh, pets.refresh)}x (goal <= 2x)`);
} finally {
  infra("sandbox", "delete", "--yes");
  rmSync(dir, { recursive: true, force: true });
}
