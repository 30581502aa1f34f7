import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/core/errors.js";
import { liveEngines, repairFileBackendAttrs, waitForOrphanEngine } from "../../../src/engine/orphans.js";

const dir = mkdtempSync(join(tmpdir(), "infra-orphans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const backend = pathToFileURL(dir).href;
const locks = join(dir, ".pulumi", "locks", "organization", "infra-env", "dev");
mkdirSync(locks, { recursive: true });
const idle = mkdtempSync(join(tmpdir(), "infra-idle-ws-"));
const lock = (file: string, pid: number, host = hostname()) => writeFileSync(join(locks, file), JSON.stringify({ pid, hostname: host, username: "u" }));

describe("engines a killed run left behind", () => {
  it("are the live processes on this host holding the stack's lock", () => {
    const dead = spawnSync("true").pid!;
    lock("a.json", dead);
    lock("b.json", process.pid, "another-host");
    expect(liveEngines(backend, "infra-env", "dev")).toEqual([]);
    lock("c.json", process.pid);
    writeFileSync(join(locks, "c.json.attrs"), "{}");
    expect(liveEngines(backend, "infra-env", "dev")).toEqual([process.pid]);
    expect(liveEngines("s3://bucket", "infra-env", "dev")).toEqual([]);
  });

  it("are waited for, and named in the refusal when they do not end", async () => {
    const said: string[] = [];
    const err = await waitForOrphanEngine(backend, "infra-env", "dev", idle, 600, (t: string) => said.push(t)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(
      `the engine of the interrupted run (pid ${process.pid}) is still running on dev: wait for it to finish or stop it (kill ${process.pid}), then run infra env recover dev again`,
    );
    expect(said).toEqual([`waiting for the engine of the interrupted run (pid ${process.pid}) to finish its steps in flight`]);
    rmSync(join(locks, "c.json"));
    await expect(waitForOrphanEngine(backend, "infra-env", "dev", idle, 600)).resolves.toBeUndefined();
  });
});

describe("an engine in the stack's workspace, on any backend", () => {
  it("is found by its working folder, and waited for until it ends", async () => {
    const ws = mkdtempSync(join(tmpdir(), "infra-ws-"));
    // Named like the engine; a plugin's name (or anything else) working there does not count.
    const fake = join(ws, "pulumi");
    copyFileSync("/bin/sleep", fake);
    const plugin = join(ws, "pulumi-resource-random");
    copyFileSync("/bin/sleep", plugin);
    const engine = spawn(fake, ["30"], { cwd: ws, stdio: "ignore" });
    const idlePlugin = spawn(plugin, ["30"], { cwd: ws, stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(liveEngines("s3://bucket", "infra-env", "dev", ws)).toEqual([engine.pid]);
      expect(liveEngines("s3://bucket", "infra-env", "dev", idle)).toEqual([]);
      const waiting = waitForOrphanEngine("s3://bucket", "infra-env", "dev", ws, 10_000);
      setTimeout(() => engine.kill("SIGKILL"), 300);
      await expect(waiting).resolves.toBeUndefined();
    } finally {
      engine.kill("SIGKILL");
      idlePlugin.kill("SIGKILL");
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe("a blob's attributes file a killed run left half-written", () => {
  it("is dropped when it is not JSON (empty, cut short), kept when it is; other stacks and backends are not touched", () => {
    const stacks = join(dir, ".pulumi", "stacks", "infra-env");
    mkdirSync(stacks, { recursive: true });
    const good = '{"user.content_type":"text/plain; charset=utf-8","md5":"svq+Z72udaAaXMwhbu2ZLg=="}';
    writeFileSync(join(stacks, "dev.json"), "{}");
    writeFileSync(join(stacks, "dev.json.attrs"), ""); // created, killed before it was filled
    writeFileSync(join(stacks, "dev.json.bak.attrs"), good.slice(0, 20)); // cut short
    writeFileSync(join(dir, ".pulumi", "meta.yaml.attrs"), good);
    writeFileSync(join(stacks, "other.json.attrs"), "");
    expect(repairFileBackendAttrs(backend, "infra-env", "dev")).toEqual(["dev.json.attrs", "dev.json.bak.attrs"]);
    expect(existsSync(join(stacks, "dev.json.attrs"))).toBe(false);
    expect(existsSync(join(dir, ".pulumi", "meta.yaml.attrs"))).toBe(true);
    expect(existsSync(join(stacks, "other.json.attrs"))).toBe(true);
    expect(repairFileBackendAttrs(backend, "infra-env", "dev")).toEqual([]);
    expect(repairFileBackendAttrs("s3://bucket", "infra-env", "dev")).toEqual([]);
  });
});
