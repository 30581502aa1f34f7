// The environment lifecycle through the CLI on the real engine, with the
// registry checked at each step.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { allBytes, makeHome, type Home } from "../../helpers/cli.js";

const TOKEN = "tok-Zq8-SECRET-e2e-4412";
let home: Home;
const outputs: string[] = [];

/** Runs infra, keeps what it printed (to search for secrets), expects success. */
function ok(args: string[]) {
  const r = home.run(args);
  outputs.push(r.stdout, r.stderr);
  expect(r.stderr + r.stdout, `infra ${args.join(" ")}`).not.toMatch(/^\s+at /m);
  expect(r.code, `infra ${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

async function registry<T>(fn: (r: SqliteRegistry) => Promise<T>): Promise<T> {
  const r = new SqliteRegistry(join(home.env.INFRA_HOME!, "registry.db"));
  try {
    return await fn(r);
  } finally {
    await r.close();
  }
}

beforeAll(() => {
  home = makeHome();
});
afterAll(() => {
  // left on disk on failure would help debugging, but temp dirs pile up in CI
});

describe("infra env, create to destroy", () => {
  it("creates an environment and records it whole", async () => {
    const r = ok([
      "env",
      "create",
      "dev",
      "-t",
      "basic@1.0.0",
      "-p",
      `apiToken=${TOKEN}`,
      "-p",
      "greeting=hello",
      "--tag",
      "team=core",
      "--ttl",
      "72h",
      "-d",
      "the dev box",
    ]);
    expect(r.stdout).toMatch(/^dev: deployed-ok \(basic@1\.0\.0\)/);
    expect(r.stdout).toContain("token = [secret]");
    await registry(async (reg) => {
      const env = (await reg.get("dev"))!;
      expect(env.status).toBe("deployed-ok");
      expect(env.template).toMatchObject({ id: "basic", version: "1.0.0" });
      expect(env.params).toEqual({ greeting: "hello", passwordLength: 20, apiToken: "[secret]" });
      expect(env.tags).toEqual({ kind: "fixture", team: "core" });
      expect(Date.parse(env.expiresAt!) - Date.parse(env.createdAt)).toBeGreaterThan(71 * 3600_000);
      expect(env.outputs.url).toEqual({ value: "https://dev.infra.test", secret: false, kind: "entrypoint" });
      expect(env.outputs.health).toEqual({ value: "https://dev.infra.test/healthz", secret: false });
      expect(env.outputs.token).toEqual({ secret: true });
      expect(env.outputs.password).toEqual({ secret: true });
      const resources = await reg.resources("dev");
      expect(resources.filter((x) => x.type === "command:local:Command")).toHaveLength(1);
      expect(resources.find((x) => x.type === "random:index/randomPet:RandomPet")?.component).toBe("pet");
      const hello = resources.find((x) => x.type === "command:local:Command")!;
      expect(hello.dependsOn.length).toBeGreaterThan(0); // on the pet, through its create text
      expect((await reg.history("dev")).map((h) => h.to)).toEqual(["deploying", "deployed-ok"]);
      expect((await reg.operations("dev"))[0]).toMatchObject({ kind: "create", result: "succeeded", summary: { create: 10 } });
    });
  });

  it("shows it, with secrets as [secret]", () => {
    const show = home.json<Record<string, any>>(["env", "show", "dev"]);
    expect(show.status).toBe("deployed-ok");
    expect(show.outputs.greeting.value).toMatch(/^hello from [a-z]+-[a-z]+$/);
    expect(show.resources.length).toBe(12);
    expect(show.lastOperation.kind).toBe("create");
    const text = ok(["env", "show", "dev"]).stdout;
    expect(text).toMatch(/status\s+deployed-ok/);
    expect(text).toMatch(/token = \[secret\]/);
    expect(text).toMatch(/certPem = -----BEGIN CERTIFICATE----- … \(\d+ lines/);
    expect(ok(["env", "list", "--tag", "team=core"]).stdout).toMatch(/^dev\s+deployed-ok\s+basic@1\.0\.0/m);
  });

  it("updates a parameter, replacing exactly the one resource it feeds", async () => {
    const before = home.json<Record<string, any>>(["env", "show", "dev"]);
    const r = ok(["env", "update", "dev", "-p", "greeting=bonjour", "--yes"]);
    expect(r.stderr).toContain("preview of dev: 1 replaced, 9 unchanged");
    await registry(async (reg) => {
      const env = (await reg.get("dev"))!;
      expect(env.params.greeting).toBe("bonjour");
      expect(env.params.apiToken).toBe("[secret]");
      expect(env.outputs.greeting!.value).toBe(`bonjour from ${before.outputs.petName.value}`);
      const op = (await reg.operations("dev")).at(-1)!;
      expect(op).toMatchObject({ kind: "update", result: "succeeded", summary: { replace: 1, same: 9 } });
      // the events kept for the update say which resource was replaced
      const replaced = readFileSync(op.eventsFile!, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((e) => e.resOutputsEvent && e.resOutputsEvent.metadata.op === "replace")
        .map((e) => e.resOutputsEvent.metadata.urn.split("::").pop());
      expect([...new Set(replaced)]).toEqual(["hello"]);
    });
    // the secret parameter survived without being given again
    expect(home.json<Record<string, any>>(["env", "show", "dev"]).outputs.token).toEqual({ secret: true });
  });

  it("tracks a dependency and refuses to destroy what is used", async () => {
    ok(["env", "create", "app", "-t", "consumer", "-p", "upstream=dev"]);
    const app = home.json<Record<string, any>>(["env", "show", "app"]);
    expect(app.outputs.upstreamUrl.value).toBe("https://dev.infra.test");
    expect(app.dependsOn).toEqual(["dev"]);
    const refused = home.run(["env", "destroy", "dev", "--yes"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim()).toBe("infra: environment dev is used by app: destroy it first, or pass --cascade to destroy it too");
    expect((await registry((reg) => reg.get("dev")))!.status).toBe("deployed-ok");
    ok(["env", "destroy", "app", "--yes"]);
  });

  it("destroys it, and keeps it in the registry as destroyed", async () => {
    ok(["env", "destroy", "dev", "--yes"]);
    await registry(async (reg) => {
      const env = (await reg.get("dev"))!;
      expect(env.status).toBe("destroyed");
      expect(env.destroyedAt).toBeTruthy();
      expect(env.outputs).toEqual({});
      expect(await reg.resources("dev")).toEqual([]);
      expect((await reg.history("dev")).map((h) => h.to)).toEqual(["deploying", "deployed-ok", "deploying", "deployed-ok", "destroying", "destroyed"]);
    });
    expect(ok(["env", "list", "--status", "destroyed"]).stdout).toMatch(/^app\s.*\n^dev\s|^dev\s.*\n^app\s/m);
    expect(ok(["env", "history", "dev"]).stdout).toMatch(/destroy\s+succeeded/);
    expect(ok(["env", "logs", "dev"]).stdout).toMatch(/delete\s+command:local:Command hello/);
  });

  it("never lets the secret out: not in output, logs, events, workspaces or the registry", () => {
    ok(["env", "logs", "dev", "--json"]);
    ok(["env", "history", "dev", "--json"]);
    const everything = outputs.join("\n") + allBytes(home.env.INFRA_HOME!);
    expect(everything).toContain("bonjour"); // the search does see plain values
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(Buffer.from(TOKEN).toString("base64"));
  });
});
