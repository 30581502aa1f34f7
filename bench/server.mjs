#!/usr/bin/env node
// Figures for `infra server` (printed, not asserted). Needs `npm run build`,
// the engine rig, and RabbitMQ and PostgreSQL from scripts/services.sh (the
// script starts and stops them). Baselines in the same run: the same create
// through the CLI; the same 8 creates one after the other.
//
//   GET list and get at 200 requests/s over 10,000 environments: p50, p99
//   the same GET with OpenTelemetry tracing on (to an OTLP sink on loopback) against off
//   an AMQP command to its "succeeded" notification, against `infra env create`
//   8 environments created at once (--concurrency 8) against one at a time
//   the server's memory, idle and under load
//
// usage: node bench/server.mjs
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(join(root, "dist", p)).href;
const dir = mkdtempSync(join(tmpdir(), "infra-bench-server-"));
// Services of its own (not a test run's), in a folder of its own.
// (Under the temporary folder itself: PostgreSQL runs as its own user, who cannot enter a 0700 folder of ours.)
const servicesEnv = { ...process.env, INFRA_TEST_SERVICES: join(tmpdir(), `infra-bench-services-${process.pid}`) };
const services = execFileSync("bash", [join(root, "scripts", "services.sh"), "start"], { encoding: "utf8", env: servicesEnv });
const amqpUrl = /INFRA_TEST_AMQP_URL=(\S+)/.exec(services)[1];
const env = {
  ...process.env,
  INFRA_HOME: join(dir, "home"),
  INFRA_TEMPLATE_PATH: join(root, "test", "fixtures", "templates"),
  INFRA_PASSPHRASE: "bench",
  NO_COLOR: "1",
};
const infra = (...args) => spawnSync(process.execPath, [join(root, "bin", "infra"), ...args], { env, encoding: "utf8" });
const port = () =>
  new Promise((r) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function server(extra = [], extraEnv = {}) {
  const p = await port();
  const proc = spawn(process.execPath, [join(root, "bin", "infra"), "server", "--listen", `127.0.0.1:${p}`, "--reap-every", "off", ...extra], {
    env: { ...env, ...extraEnv, INFRA_LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${p}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, proc };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the server did not start");
}

/** Requests at a fixed rate for `seconds`; latencies in ms. */
async function load(rate, seconds, request) {
  const lat = [];
  const all = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    all.push(
      request(i)
        .then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.arrayBuffer();
        })
        .then(() => lat.push(performance.now() - t)),
    );
  }
  await Promise.all(all);
  return lat;
}

try {
  const { SqliteRegistry } = await import(dist("src/registry/sqlite.js"));
  const reg = new SqliteRegistry(join(env.INFRA_HOME, "registry.db"));
  for (let i = 0; i < 10_000; i++) {
    await reg.create(
      {
        name: `env-${i}`,
        description: `environment ${i}`,
        template: { id: "basic", version: "1.0.0", source: "builtin" },
        location: "sandbox",
        params: {},
        tags: { team: `t${i % 5}` },
      },
      `op-${i}`,
    );
    await reg.transition(`env-${i}`, "deployed-ok", {});
  }
  await reg.close();
  const token = infra("server", "token", "create", "--name", "bench", "--role", "write").stdout.trim();
  const auth = { authorization: `Bearer ${token}` };

  const s = await server(["--concurrency", "8"], { INFRA_AMQP_URL: amqpUrl });
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rss(s.proc.pid);
  const list = await load(200, 10, () => fetch(`${s.url}/api/v1/environments?limit=50&tag=team=t3`, { headers: auth }));
  const get = await load(200, 10, (i) => fetch(`${s.url}/api/v1/environments/env-${(i * 37) % 10_000}`, { headers: auth }));
  const f = (n) => n.toFixed(1);
  console.log(`GET list, 200/s for 10 s: p50 ${f(pct(list, 50))} ms, p99 ${f(pct(list, 99))} ms (goal p99 <= 20 ms)`);
  console.log(`GET one,  200/s for 10 s: p50 ${f(pct(get, 50))} ms, p99 ${f(pct(get, 99))} ms (goal p99 <= 20 ms)`);

  // Tracing on (spans exported to a sink that reads and drops them) against off, the same load,
  // in turns (off, on, three times) so a slow moment of the machine falls on both. Metrics are on in both.
  // The sink is a process of its own: in this one it would take turns with the load's own timing.
  const sinkPort = await port();
  const sink = spawn(
    process.execPath,
    [
      "-e",
      `let n = 0; require("node:http").createServer((q, s) => { q.on("data", (d) => (n += d.length)); q.on("end", () => s.writeHead(200).end("{}")); })
        .listen(${sinkPort}, "127.0.0.1"); process.on("SIGTERM", () => { console.log(n); process.exit(0); });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let sunk = "";
  sink.stdout.on("data", (d) => (sunk += d));
  await new Promise((r) => setTimeout(r, 300));
  const traced = { off: [], on: [] };
  for (const mode of ["off", "on", "off", "on", "off", "on"]) {
    const srv = await server([], mode === "on" ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}` } : {});
    await load(100, 2, (i) => fetch(`${srv.url}/api/v1/environments/env-${i}`, { headers: auth })); // warm-up
    traced[mode].push(...(await load(200, 10, (i) => fetch(`${srv.url}/api/v1/environments/env-${(i * 37) % 10_000}`, { headers: auth }))));
    srv.proc.kill("SIGTERM");
    await new Promise((r) => srv.proc.once("exit", r));
  }
  sink.kill("SIGTERM");
  await new Promise((r) => sink.once("exit", r));
  const spans = Number(sunk.trim());
  const p99 = { off: pct(traced.off, 99), on: pct(traced.on, 99) };
  console.log(
    `GET one with tracing: off p50 ${f(pct(traced.off, 50))} p99 ${f(p99.off)} ms; on p50 ${f(pct(traced.on, 50))} p99 ${f(p99.on)} ms ` +
      `(on/off p99 ${(p99.on / p99.off).toFixed(2)}x, goal <= 1.05x; ${(spans / 1024).toFixed(0)} KiB of OTLP sent)`,
  );

  // An AMQP command to its notification, against the same create through the CLI.
  const amqp = (await import("amqplib")).default;
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createConfirmChannel();
  const q = await ch.assertQueue("", { exclusive: true });
  await ch.bindQueue(q.queue, "infra.events", "environment.#");
  const done = new Map();
  await ch.consume(
    q.queue,
    (m) => {
      if (m.fields.routingKey.endsWith(".succeeded")) done.set(m.fields.routingKey.split(".")[1], performance.now());
    },
    { noAck: true },
  );
  let t = performance.now();
  ch.publish(
    "infra.commands",
    "command",
    Buffer.from(
      JSON.stringify({ version: 1, idempotencyKey: "bench-1", kind: "create", environment: "via-amqp", template: "basic", params: { apiToken: "t" } }),
    ),
    { persistent: true },
  );
  while (!done.has("via-amqp")) await new Promise((r) => setTimeout(r, 20));
  const viaAmqp = done.get("via-amqp") - t;
  t = performance.now();
  infra("env", "create", "via-cli", "-t", "basic", "-p", "apiToken=t");
  const viaCli = performance.now() - t;
  console.log(`create: AMQP command to "succeeded" ${f(viaAmqp / 1000)} s, infra env create ${f(viaCli / 1000)} s (${f(viaAmqp / viaCli)}x)`);

  // 8 creates at once against one after the other (a server with one worker).
  const eight = async (url, prefix) => {
    const t0 = performance.now();
    const ops = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${url}/api/v1/environments`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ name: `${prefix}-${i}`, template: "basic", params: { apiToken: "t" } }),
        }).then((r) => r.json()),
      ),
    );
    let peak = 0;
    for (const op of ops) {
      for (;;) {
        peak = Math.max(peak, rss(s.proc.pid));
        const o = await (await fetch(`${url}/api/v1/operations/${op.operationId}`, { headers: auth })).json();
        if (o.result !== "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return { seconds: (performance.now() - t0) / 1000, peak };
  };
  const parallel = await eight(s.url, "par");
  s.proc.kill("SIGTERM");
  const one = await server(["--concurrency", "1"]);
  // One worker takes one at a time: the POSTs beyond the first are refused (429), so they are sent in turn.
  const t1 = performance.now();
  for (let i = 0; i < 8; i++) {
    const op = await (
      await fetch(`${one.url}/api/v1/environments`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: `seq-${i}`, template: "basic", params: { apiToken: "t" } }),
      })
    ).json();
    for (;;) {
      const o = await (await fetch(`${one.url}/api/v1/operations/${op.operationId}`, { headers: auth })).json();
      if (o.result !== "running") break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const sequential = (performance.now() - t1) / 1000;
  one.proc.kill("SIGTERM");
  console.log(`8 creates: at once ${f(parallel.seconds)} s, one after the other ${f(sequential)} s (${f(sequential / parallel.seconds)}x faster; goal >= 3x)`);
  console.log(`server memory: idle ${f(idle)} MiB, 8 operations running ${f(parallel.peak)} MiB (RSS; the engines are other processes)`);
  await conn.close();
} finally {
  spawnSync("bash", [join(root, "scripts", "services.sh"), "stop"], { env: servicesEnv });
  rmSync(dir, { recursive: true, force: true });
}
