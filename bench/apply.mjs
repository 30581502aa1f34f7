#!/usr/bin/env node
// Figures for infra apply (printed, not asserted). Needs `npm run build` and
// the engine rig. Baselines in the same run, on this machine:
//
//   the diamond a -> {b, c} -> d (basic, gate, gate, joiner): `infra apply` of
//   the set, against a + max(b, c) + d, each made alone by `infra env create`
//   (what the set would cost if b and c ran at once and nothing else did);
//   a set of --count environments (one basic, the others consumers of it):
//   `infra apply --parallel <cores>` against `--parallel 1`, and a rerun with
//   nothing changed (no engine).
//
// usage: node bench/apply.mjs [--runs 3] [--count 20]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const RUNS = arg("--runs", 3);
const COUNT = arg("--count", 20);
const CORES = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), "infra-bench-apply-"));
let homes = 0;

function home() {
  const h = join(dir, `home-${homes++}`);
  return {
    INFRA_HOME: h,
    INFRA_PASSPHRASE: "bench",
    INFRA_TEMPLATE_PATH: join(root, "test", "fixtures", "templates"),
    INFRA_LOCATION: "local",
    NO_COLOR: "1",
  };
}
function timed(env, ...args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`infra ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
  return s;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (s) => `${s.toFixed(1)} s`;

const DIAMOND = `set: bench
environments:
  a: { template: basic@1.0.0, params: { apiToken: t } }
  b: { template: gate@1.0.0, params: { upstream: a } }
  c: { template: gate@1.0.0, params: { upstream: a } }
  d: { template: joiner@1.0.0, params: { left: b, right: c } }
`;
const diamondFile = join(dir, "diamond.yaml");
writeFileSync(diamondFile, DIAMOND);
const wideFile = join(dir, "wide.yaml");
writeFileSync(
  wideFile,
  `set: wide\nenvironments:\n  root: { template: basic@1.0.0, params: { apiToken: t } }\n${Array.from(
    { length: COUNT - 1 },
    (_, i) => `  leaf-${i}: { template: consumer@1.0.0, params: { upstream: root } }\n`,
  ).join("")}`,
);

try {
  const alone = [];
  const together = [];
  for (let r = 0; r < RUNS; r++) {
    const e = home();
    const a = timed(e, "env", "create", "a", "-t", "basic@1.0.0", "-p", "apiToken=t");
    const b = timed(e, "env", "create", "b", "-t", "gate@1.0.0", "-p", "upstream=a");
    const c = timed(e, "env", "create", "c", "-t", "gate@1.0.0", "-p", "upstream=a");
    const d = timed(e, "env", "create", "d", "-t", "joiner@1.0.0", "-p", "left=b", "-p", "right=c");
    alone.push(a + Math.max(b, c) + d);
    together.push(timed(home(), "apply", "-f", diamondFile, "--yes", "--parallel", "2"));
  }
  const base = median(alone);
  const set = median(together);
  console.log(`diamond a -> {b, c} -> d, median of ${RUNS}, ${CORES} cores`);
  console.log(`  a + max(b, c) + d, each by infra env create  ${f(base)}`);
  console.log(`  infra apply --parallel 2                    ${f(set)}  (${(set / base).toFixed(2)}x; goal <= 1.3x)`);

  const wide = home();
  const parallel = timed(wide, "apply", "-f", wideFile, "--yes", "--parallel", String(CORES));
  const rerun = timed(wide, "apply", "-f", wideFile, "--yes");
  const serial = timed(home(), "apply", "-f", wideFile, "--yes", "--parallel", "1");
  console.log(`a set of ${COUNT} (one basic, ${COUNT - 1} consumers of it)`);
  console.log(`  infra apply --parallel 1                    ${f(serial)}`);
  console.log(`  infra apply --parallel ${CORES}                    ${f(parallel)}  (${(parallel / serial).toFixed(2)}x of --parallel 1)`);
  console.log(`  again, nothing changed (no engine)          ${f(rerun)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
