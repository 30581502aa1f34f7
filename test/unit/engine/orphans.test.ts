import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/core/errors.js";
import { liveEngines, waitForOrphanEngine } from "../../../src/engine/orphans.js";

const dir = mkdtempSync(join(tmpdir(), "infra-orphans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const backend = pathToFileURL(dir).href;
const locks = join(dir, ".pulumi", "locks", "organization", "infra-env", "dev");
mkdirSync(locks, { recursive: true });
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
    const err = await waitForOrphanEngine(backend, "infra-env", "dev", 600, (t) => said.push(t)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(`the engine of the interrupted run (pid ${process.pid}) is still running on dev: wait for it to finish or stop it (kill ${process.pid}), then run infra env recover dev again`);
    expect(said).toEqual([`waiting for the engine of the interrupted run (pid ${process.pid}) to finish its steps in flight`]);
    rmSync(join(locks, "c.json"));
    await expect(waitForOrphanEngine(backend, "infra-env", "dev", 600)).resolves.toBeUndefined();
  });
});
