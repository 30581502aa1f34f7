#!/usr/bin/env node
// Figures for issue 3, printed, not asserted. Needs `npm run build` and the
// engine rig. Baselines run in the same script, on the same machine:
//
//   start-up:  infra --help, infra env list and infra env show against a
//              registry of 10,000 environments, each against `node -e 0`;
//              infra env list logged in to a server, against curl of the same GET
//   registry:  full-text search and list over those 10,000, in process
//   engine:    `infra env create` of the basic fixture against a minimal
//              Automation API script running the same inline program
//
// usage: node bench/cli.mjs [--runs 21] [--engine-runs 3]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(join(root, "dist", p)).href;
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const RUNS = arg("--runs", 21);
const ENGINE_RUNS = arg("--engine-runs", 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

function wall(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), "infra-bench-"));
const env = {
  ...process.env,
  INFRA_HOME: join(dir, "home"),
  INFRA_TEMPLATE_PATH: join(root, "test", "fixtures", "templates"),
  INFRA_PASSPHRASE: "bench",
  NO_COLOR: "1",
};

try {
  // A registry of 10,000 environments, with tags and history.
  const { SqliteRegistry } = await import(dist("src/registry/sqlite.js"));
  const reg = new SqliteRegistry(join(env.INFRA_HOME, "registry.db"));
  const teams = ["shop", "search", "payments", "core", "data"];
  const t0 = performance.now();
  for (let i = 0; i < 10_000; i++) {
    const name = `env-${i}`;
    await reg.create(
      {
        name,
        description: `environment ${i} for the ${teams[i % 5]} team, ${i % 7 === 0 ? "checkout redesign" : "routine work"}`,
        template: { id: "basic", version: "1.0.0", source: "builtin" },
        location: "sandbox",
        params: { greeting: "hello" },
        tags: { team: teams[i % 5], kind: i % 3 ? "ephemeral" : "long-lived" },
      },
      `op-${i}`,
    );
    await reg.transition(name, "deployed-ok", { operationId: `op-${i}` });
  }
  console.log(`registry: 10,000 environments written in ${fmt(performance.now() - t0)}`);

  const search = [];
  for (const q of ["checkout", "payments", "env-42", "routine shop"]) {
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await reg.list({ search: q, limit: 50 });
      xs.push(performance.now() - s);
    }
    search.push(median(xs));
  }
  const list = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await reg.list({ limit: 0 });
    list.push(performance.now() - s);
  }
  const page = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await reg.list({ tags: { team: "shop" } });
    page.push(performance.now() - s);
  }
  console.log(`registry search over 10,000 (median, worst of 4 queries): ${fmt(Math.max(...search))} (goal < 20 ms)`);
  console.log(`registry list of all 10,000 (median): ${fmt(median(list))}; first page by tag: ${fmt(median(page))} (goal < 100 ms)`);
  await reg.close();

  // Start-up, interleaved so drift in the machine's load hits all alike.
  const node = [];
  const help = [];
  const ls = [];
  const show = [];
  const bin = join(root, "bin", "infra");
  for (let i = 0; i < RUNS; i++) {
    node.push(wall(process.execPath, ["-e", "0"], env));
    help.push(wall(process.execPath, [bin, "--help"], env));
    ls.push(wall(process.execPath, [bin, "env", "list"], env));
    show.push(wall(process.execPath, [bin, "env", "show", "env-4242"], env));
  }
  const base = median(node);
  for (const [name, xs] of [
    ["infra --help", help],
    ["infra env list (10,000 in the registry)", ls],
    ["infra env show", show],
  ]) {
    console.log(`${name}: ${fmt(median(xs))} vs node -e 0 ${fmt(base)}: ${(median(xs) / base).toFixed(2)}x (goal <= 1.5x)`);
  }

  // Logged in: infra env list through a running server against curl of the same GET.
  {
    const port = 20_000 + (process.pid % 20_000);
    const tok = JSON.parse(
      spawnSync(process.execPath, [bin, "server", "token", "create", "--name", "bench", "--json"], { env, encoding: "utf8" }).stdout,
    ).token;
    const server = spawn(process.execPath, [bin, "server", "--listen", `127.0.0.1:${port}`, "--reap-every", "off"], { env, stdio: "ignore" });
    try {
      const url = `http://127.0.0.1:${port}`;
      for (
        let i = 0;
        i < 100 &&
        !(await fetch(`${url}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const header = join(dir, "auth-header");
      writeFileSync(header, `authorization: Bearer ${tok}\n`, { mode: 0o600 });
      const client = { ...env, INFRA_HOME: join(dir, "client"), INFRA_SERVER: url, INFRA_TOKEN: tok };
      const curl = [];
      const remote = [];
      for (let i = 0; i < RUNS; i++) {
        curl.push(wall("curl", ["-sf", "-H", `@${header}`, `${url}/api/v1/environments`], env));
        remote.push(wall(process.execPath, [bin, "env", "list"], client));
      }
      console.log(
        `infra env list logged in (10,000 on the server): ${fmt(median(remote))} vs curl of the same GET ${fmt(median(curl))}: ${(median(remote) / median(curl)).toFixed(2)}x (goal <= 1.5x)`,
      );
    } finally {
      server.kill("SIGKILL");
    }
  }

  // Engine overhead: the CLI against a minimal Automation API script.
  const minimal = join(dir, "minimal.mjs");
  writeFileSync(
    minimal,
    `import { LocalWorkspace } from "${pathToFileURL(join(root, "node_modules/@pulumi/pulumi/automation/index.js")).href}";
import { locateEngine } from "${dist("src/engine/locate.js")}";
import { findTemplate } from "${dist("src/templates/load.js")}";
import { templateProgram, PROJECT } from "${dist("src/templates/program.js")}";
import { PulumiCommand } from "${pathToFileURL(join(root, "node_modules/@pulumi/pulumi/automation/index.js")).href}";
const [name, state, work] = process.argv.slice(2);
const engine = await locateEngine();
const t = findTemplate("basic");
const stack = await LocalWorkspace.createOrSelectStack(
  { projectName: PROJECT, stackName: name, program: templateProgram(t.spec, name) },
  { workDir: work, pulumiCommand: await PulumiCommand.get({ root: engine.root }), projectSettings: { name: PROJECT, runtime: "nodejs" },
    envVars: { PULUMI_BACKEND_URL: state, PULUMI_CONFIG_PASSPHRASE: "bench", PULUMI_HOME: engine.pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" } });
await stack.setAllConfig({ [PROJECT + ":greeting"]: { value: "hello" }, [PROJECT + ":passwordLength"]: { value: "20" }, [PROJECT + ":apiToken"]: { value: "t", secret: true } });
if (process.argv[5] === "destroy") await stack.destroy(); else await stack.up();
`,
  );
  const cli = [];
  const script = [];
  for (let i = 0; i < ENGINE_RUNS; i++) {
    const name = `eng-${i}`;
    cli.push(wall(process.execPath, [bin, "env", "create", name, "-t", "basic", "-p", "apiToken=t"], env));
    wall(process.execPath, [bin, "env", "destroy", name, "--yes"], env);
    const state = pathToFileURL(join(dir, "mstate")).href;
    spawnSync("mkdir", ["-p", join(dir, "mstate")]);
    const work = join(dir, "mwork", name);
    spawnSync("mkdir", ["-p", work]);
    script.push(wall(process.execPath, [minimal, name, state, work], env));
    wall(process.execPath, [minimal, name, state, work, "destroy"], env);
  }
  if (ENGINE_RUNS)
    console.log(
      `engine overhead: infra env create ${fmt(median(cli))} vs minimal Automation API script ${fmt(median(script))}: ${(median(cli) / median(script)).toFixed(2)}x (goal <= 1.15x; median of ${ENGINE_RUNS})`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
