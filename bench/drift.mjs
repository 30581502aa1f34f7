#!/usr/bin/env node
// Figures for drift checks (printed, not asserted). Needs `npm run build`, the
// engine rig and the sandbox rig. Baselines in the same run, on the same
// stack: `pulumi refresh --preview-only` run by hand (the rig's CLI, in the
// stack's workspace), and the same refresh preview from a warm Automation API
// process (what `infra server` pays, its imports done); against `infra env
// drift` (the whole CLI: start-up, registry, lock, events, audit, and the
// listing of objects nobody declared).
//
//   one k8s-namespace-app on the sandbox: infra env drift / pulumi refresh --preview-only / warm preview (median of 3)
//   the same check through infra server (POST …/drift until its operation ends): what a scheduled check costs
//   infra env drift --all over --count environments of the probed fixture (local): wall time, cores used
//
// usage: node bench/drift.mjs [--count 50]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--count");
const COUNT = i > 0 ? Number(process.argv[i + 1]) : 50;
const dir = mkdtempSync(join(tmpdir(), "infra-bench-drift-"));
const backendUrl = pathToFileURL(join(dir, "state")).href;
const env = {
  ...process.env,
  INFRA_HOME: join(dir, "home"),
  INFRA_PASSPHRASE: "bench",
  INFRA_TEMPLATE_PATH: join(root, "test", "fixtures", "templates"),
  NO_COLOR: "1",
};
const infra = (...args) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 4) throw new Error(`infra ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
  return r;
};
/** Wall seconds, and CPU seconds of the process and its children (bash's `times`). */
function measured(...args) {
  const script = `"$@" >/dev/null 2>&1; times`;
  const t = Date.now();
  const r = spawnSync("bash", ["-c", script, "bench", process.execPath, join(root, "bin", "infra"), ...args], { env, encoding: "utf8" });
  const wall = (Date.now() - t) / 1000;
  // times: the shell's user/sys, then its children's, as 0m1.234s 0m0.567s.
  const lines = r.stdout.trim().split("\n");
  const secs = (s) => {
    const m = /(\d+)m([\d.]+)s/.exec(s);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  const [u, s] = (lines.at(-1) ?? "").split(/\s+/);
  return { wall, cpu: secs(u) + secs(s) };
}
/** A free loopback port. */
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

/** infra server on this home; resolves when it answers. */
async function startServer() {
  const url = `http://127.0.0.1:${await freePort()}`;
  const proc = spawn(process.execPath, [join(root, "bin", "infra"), "server", "--listen", url.slice(7), "--reap-every", "off"], {
    env: { ...env, INFRA_LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  for (let n = 0; n < 400; n++) {
    if (
      await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, proc };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill();
  throw new Error("infra server did not start");
}

/** Seconds from POST …/drift to its operation's end, polled every 10 ms. */
async function serverDrift(url, token, name) {
  const auth = { authorization: `Bearer ${token}` };
  const t = Date.now();
  const r = await fetch(`${url}/api/v1/environments/${name}/drift`, { method: "POST", headers: auth });
  if (r.status !== 202) throw new Error(`POST drift answered ${r.status}: ${await r.text()}`);
  const { operationId } = await r.json();
  for (;;) {
    const op = await (await fetch(`${url}/api/v1/operations/${operationId}`, { headers: auth })).json();
    if (op.endedAt) {
      if (op.result !== "succeeded") throw new Error(`drift operation ended ${op.result}`);
      return (Date.now() - t) / 1000;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  infra("init", "--non-interactive", "--backend", backendUrl);
  infra("env", "create", "shop", "-t", "k8s-namespace-app", "-p", "image=nginx:1.27", "--location", "sandbox");

  const { locateEngine } = await import(pathToFileURL(join(root, "dist", "src", "engine", "locate.js")).href);
  const { openStack } = await import(pathToFileURL(join(root, "dist", "src", "engine", "automation.js")).href);
  const { stack } = await openStack({
    project: "infra-env",
    stack: "shop",
    workDir: join(dir, "home", "workspaces", "shop"),
    program: async () => {},
    engine: await locateEngine(),
    settings: { backendUrl, passphrase: "bench" },
  });
  const { engineEnv } = await import(pathToFileURL(join(root, "dist", "src", "engine", "settings.js")).href);
  const engine = await locateEngine();
  const byHand = () =>
    spawnSync(engine.command, ["refresh", "--preview-only", "--stack", "shop", "--non-interactive"], {
      cwd: join(dir, "home", "workspaces", "shop"),
      env: { ...process.env, ...engineEnv(engine, { backendUrl, passphrase: "bench" }) },
      encoding: "utf8",
    });
  const hand = [];
  const warm = [];
  const ours = [];
  for (let n = 0; n < 3; n++) {
    let t = Date.now();
    const h = byHand();
    if (h.status !== 0) throw new Error(`pulumi refresh --preview-only exited ${h.status}: ${h.stderr.trim().split("\n").pop()}`);
    hand.push((Date.now() - t) / 1000);
    t = Date.now();
    await stack.previewRefresh();
    warm.push((Date.now() - t) / 1000);
    t = Date.now();
    infra("env", "drift", "shop");
    ours.push((Date.now() - t) / 1000);
  }
  const o = median(ours);
  const h = median(hand);
  const w = median(warm);
  console.log(
    `one k8s-namespace-app (12 resources) on the sandbox: infra env drift ${o.toFixed(2)} s; pulumi refresh --preview-only by hand ${h.toFixed(2)} s: ${(o / h).toFixed(2)}x (goal <= 1.15x); a warm Automation API refresh preview ${w.toFixed(2)} s (median of 3)`,
  );

  const token = infra("server", "token", "create", "--name", "bench", "--role", "write").stdout.trim();
  const srv = await startServer();
  const served = [];
  const hand2 = [];
  try {
    await serverDrift(srv.url, token, "shop"); // the server's first engine run pays its imports
    // Interleaved with runs by hand: the engine's own time wanders by a tenth of a second.
    for (let n = 0; n < 5; n++) {
      const t = Date.now();
      byHand();
      hand2.push((Date.now() - t) / 1000);
      served.push(await serverDrift(srv.url, token, "shop"));
    }
  } finally {
    srv.proc.kill("SIGTERM");
    await new Promise((r) => srv.proc.once("exit", r));
  }
  const s = median(served);
  const h2 = median(hand2);
  console.log(
    `the same check through infra server (POST …/drift to the operation's end): ${s.toFixed(2)} s against ${h2.toFixed(2)} s by hand: ${(s / h2).toFixed(2)}x (goal <= 1.15x; medians of 5 interleaved, after one warm-up)`,
  );
  infra("env", "destroy", "shop", "--yes");

  for (let n = 0; n < COUNT; n++) infra("env", "create", `e${n}`, "-t", "probed", "-p", "statusUrl=", "--location", "local");
  const all = measured("env", "drift", "--all");
  console.log(
    `infra env drift --all over ${COUNT} environments (${COUNT * 3} resources, local): ${all.wall.toFixed(1)} s wall, ${(all.wall / COUNT).toFixed(2)} s each, ${(all.cpu / all.wall).toFixed(2)} cores used`,
  );
} finally {
  spawnSync(process.execPath, [join(root, "bin", "infra"), "sandbox", "delete", "--yes", "--force"], { env });
  rmSync(dir, { recursive: true, force: true });
}
