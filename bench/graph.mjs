#!/usr/bin/env node
// Figures for `infra graph` (printed, not asserted). Needs `npm run build`.
// A registry of 1,000 environments in layers (each reads one to three of the
// layer above, as services read databases and queues), then:
//
//   infra graph --format svg (laid out by Graphviz in WebAssembly) and its size,
//   against the same graph as DOT (no layout) and against `infra env list` (start-up
//   and a registry read, the floor of any command)
//   infra graph NAME --depth 2 --format svg, the picture a user asks for most
//
// usage: node bench/graph.mjs [--runs 5]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(join(root, "dist", p)).href;
const i = process.argv.indexOf("--runs");
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), "infra-bench-graph-"));
const env = { ...process.env, INFRA_HOME: join(dir, "home"), NO_COLOR: "1" };

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`infra ${args.join(" ")} failed: ${r.stderr}`);
  return { ms, bytes: Buffer.byteLength(r.stdout) };
}
const measure = (args) => {
  const all = Array.from({ length: RUNS }, () => run(args));
  return { ms: median(all.map((r) => r.ms)), bytes: all[0].bytes };
};

try {
  const { SqliteRegistry } = await import(dist("src/registry/sqlite.js"));
  const reg = new SqliteRegistry(join(env.INFRA_HOME, "registry.db"));
  const N = 1000;
  const LAYERS = 10;
  const per = N / LAYERS;
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let edges = 0;
  for (let n = 0; n < N; n++) {
    const name = `env-${n}`;
    await reg.create(
      { name, description: "", template: { id: "basic", version: "1.0.0", source: "builtin" }, location: "local", params: {}, tags: {} },
      `op-${n}`,
    );
    await reg.transition(name, "deployed-ok", {});
    const layer = Math.floor(n / per);
    if (layer === 0) continue;
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
      const up = (layer - 1) * per + Math.floor(rand() * per);
      await reg.addDependency(name, `env-${up}`, "parameter upstream").then(
        () => edges++,
        () => {},
      );
    }
  }
  await reg.close();
  const floor = measure(["env", "list", "--limit", "1"]);
  const dot = measure(["graph", "--format", "dot"]);
  const svg = measure(["graph", "--format", "svg"]);
  const focus = measure(["graph", "env-550", "--depth", "2", "--format", "svg"]);
  const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(`graph of ${N} environments, ${edges} edges, median of ${RUNS}:`);
  console.log(`  env list (floor)        ${floor.ms.toFixed(0)} ms`);
  console.log(`  graph --format dot      ${dot.ms.toFixed(0)} ms (${(dot.ms / floor.ms).toFixed(1)}x the floor), ${kib(dot.bytes)}`);
  console.log(`  graph --format svg      ${(svg.ms / 1000).toFixed(2)} s (${(svg.ms / dot.ms).toFixed(1)}x dot), ${kib(svg.bytes)}`);
  console.log(`  graph env-550 --depth 2 --format svg  ${focus.ms.toFixed(0)} ms, ${kib(focus.bytes)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
