import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registryContract } from "./contract.js";
import { InfraError } from "../../../src/core/errors.js";
import { selfIdentity } from "../../../src/registry/rules.js";
import { ftsQuery, SqliteRegistry } from "../../../src/registry/sqlite.js";

let dir: string;
let reg: SqliteRegistry;

registryContract("SqliteRegistry", () => {
  const d = mkdtempSync(join(tmpdir(), "infra-reg-contract-"));
  const file = join(d, "home", "registry.db");
  return {
    open: () => new SqliteRegistry(file),
    rawBytes: () => ["", "-wal"].map((x) => (existsSync(file + x) ? readFileSync(file + x).toString("latin1") : "")).join(""),
    dispose: () => rmSync(d, { recursive: true, force: true }),
  };
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "infra-reg-"));
  reg = new SqliteRegistry(join(dir, "home", "registry.db"));
});
afterEach(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteRegistry", () => {
  it("creates its file 0600 in a 0700 folder", () => {
    expect(statSync(join(dir, "home", "registry.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "home")).mode & 0o777).toBe(0o700);
  });
});

describe("a registry file that is not a database", () => {
  it("says so in one line with what to do", () => {
    const bad = join(dir, "corrupt.db");
    writeFileSync(bad, "this is not sqlite, not even close".repeat(200));
    expect(() => new SqliteRegistry(bad)).toThrow(InfraError);
    expect(() => new SqliteRegistry(bad)).toThrow(/not a readable SQLite database.*restore it from a backup/);
  });
});

describe("ftsQuery", () => {
  it("quotes every word as a prefix term", () => {
    expect(ftsQuery('pr-1 "x" OR y*')).toBe('"pr"* "1"* "x"* "OR"* "y"*');
    expect(ftsQuery("!!")).toBe("");
  });
});

describe("reapStale with live locks only", () => {
  it("reads, and does not wait for another process's write transaction", async () => {
    await reg.lock("dev", { operationId: "live", owner: "ann@box", ...selfIdentity() });
    const writer = new Database(reg.location);
    writer.exec("BEGIN IMMEDIATE");
    try {
      expect(await reg.reapStale()).toEqual([]);
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
    }
  });
});

describe("a new registry opened by several processes at once", () => {
  it("is migrated exactly once, and every process can use it", async () => {
    const file = join(dir, "fresh", "registry.db");
    const { spawn } = await import("node:child_process");
    // Separate processes, as two first commands would be: they run tsc's output (npm test builds it).
    const mod = join(process.cwd(), "dist", "src", "registry", "sqlite.js");
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<number>((resolve) => {
          const p = spawn(
            process.execPath,
            [
              "--input-type=module",
              "-e",
              `const { SqliteRegistry } = await import(${JSON.stringify(mod)}); const r = new SqliteRegistry(${JSON.stringify(file)}); await r.list(); await r.close();`,
            ],
            { stdio: "ignore" },
          );
          p.on("exit", (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0, 0, 0]);
    const r = new SqliteRegistry(file);
    expect((await r.list()).total).toBe(0);
    await r.close();
  });
});

describe("several processes writing one registry at once", () => {
  it("never fail with 'database is locked' (each read-then-write transaction takes the write lock first)", async () => {
    const file = join(dir, "busy", "registry.db");
    const { spawn } = await import("node:child_process");
    const mod = join(process.cwd(), "dist", "src", "registry", "sqlite.js");
    const script = (i: number) => `
      const { SqliteRegistry } = await import(${JSON.stringify(mod)});
      const r = new SqliteRegistry(${JSON.stringify(file)});
      const t = { id: "t", version: "1.0.0", source: "x" };
      for (let k = 0; k < 15; k++) {
        const name = "p${i}-" + k;
        await r.create({ name, description: "", template: t, location: "l", params: {}, tags: { k: String(k) } }, "op");
        await r.transition(name, "deployed-ok", {});
        await r.setResources(name, [{ urn: "u" + k, type: "t", name: "n", status: "ok", dependsOn: [] }]);
      }
      await r.close();`;
    const codes = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) =>
          new Promise<string>((resolve) => {
            let err = "";
            const p = spawn(process.execPath, ["--input-type=module", "-e", script(i)], { stdio: ["ignore", "ignore", "pipe"] });
            p.stderr.on("data", (d: Buffer) => (err += d.toString()));
            p.on("exit", (code) => resolve(code === 0 ? "ok" : (err.split("\n").find((l) => /Error|locked/.test(l)) ?? `exit ${code}`)));
          }),
      ),
    );
    expect(codes).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
    const r = new SqliteRegistry(file);
    expect((await r.list({ status: "deployed-ok" })).total).toBe(90);
    await r.close();
  });
});
