// The registry's contract: what every implementation (SQLite embedded,
// PostgreSQL shared) must do, run against each by its own test file. The
// rules themselves (lock staleness, redaction, transitions) live above the
// storage, in src/registry/rules.ts and src/core/status.ts.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, LockedError, NotFoundError } from "../../../src/core/errors.js";
import { processStart } from "../../../src/core/process.js";
import { currentNode, selfIdentity } from "../../../src/registry/rules.js";
import type { ListQuery, NewEnvironment, Registry, RegistryFixtures } from "../../../src/registry/types.js";

export interface Harness {
  /** A handle on the store under test; called again for a second handle on the same store. */
  open(): (Registry & RegistryFixtures) | Promise<Registry & RegistryFixtures>;
  /** Every byte the store holds, when it can tell (to look for secrets). */
  rawBytes?(): string | Promise<string>;
  /** Drops the store. */
  dispose?(): void | Promise<void>;
}

const tpl = { id: "web", version: "1.0.0", source: "builtin" };
export const env = (name: string, extra: Partial<NewEnvironment> = {}): NewEnvironment => ({
  name,
  description: "",
  template: tpl,
  location: "sandbox",
  params: {},
  tags: {},
  ...extra,
});

export function registryContract(label: string, make: () => Harness | Promise<Harness>): void {
  describe(`${label}: the registry contract`, () => {
    let h: Harness;
    let reg: Registry & RegistryFixtures;
    beforeEach(async () => {
      h = await make();
      reg = await h.open();
    });
    afterEach(async () => {
      await reg.close();
      await h.dispose?.();
    });

    describe("environments", () => {
      it("keeps an environment with its history, and never forgets a destroyed one", async () => {
        await reg.create(env("dev", { tags: { team: "core" }, description: "the dev box" }), "op1");
        await reg.transition("dev", "deployed-ok", { operationId: "op1" });
        await reg.transition("dev", "destroying", { operationId: "op2" });
        await reg.transition("dev", "destroyed", { operationId: "op2" });
        const got = await reg.get("dev");
        expect(got?.status).toBe("destroyed");
        expect(got?.destroyedAt).toBeTruthy();
        expect(got?.tags).toEqual({ team: "core" });
        expect((await reg.history("dev")).map((t) => `${t.from}>${t.to}`)).toEqual([
          "new>deploying",
          "deploying>deployed-ok",
          "deployed-ok>destroying",
          "destroying>destroyed",
        ]);
        // created again: same row, history goes on
        await reg.create(env("dev"), "op3");
        expect((await reg.history("dev")).at(-1)).toMatchObject({ from: "destroyed", to: "deploying", operationId: "op3" });
      });

      it("refuses a second environment of the same name, and illegal transitions", async () => {
        await reg.create(env("dev"), "op1");
        await expect(reg.create(env("dev"), "op2")).rejects.toThrow(ConflictError);
        await expect(reg.transition("dev", "destroyed", {})).rejects.toThrow(/deploying: it cannot go to destroyed/);
        await expect(reg.transition("nope", "destroyed", {})).rejects.toThrow(NotFoundError);
      });

      it("never stores a secret output's value", async () => {
        await reg.create(env("dev"), "op1");
        await reg.setOutputs("dev", { url: { value: "http://x", secret: false }, password: { value: "hunter2", secret: true } });
        expect((await reg.get("dev"))?.outputs).toEqual({ url: { value: "http://x", secret: false }, password: { secret: true } });
        if (h.rawBytes) {
          await reg.close();
          expect(await h.rawBytes()).not.toContain("hunter2");
          reg = await h.open();
        }
      });

      it("lists by status, by tags, and by full-text search over names, descriptions and tags", async () => {
        await reg.create(env("pr-101", { description: "checkout redesign", tags: { team: "shop", kind: "ephemeral" } }), "a");
        await reg.create(env("pr-102", { description: "search speedup", tags: { team: "search", kind: "ephemeral" } }), "b");
        await reg.create(env("stage", { description: "staging for shop", tags: { team: "shop" } }), "c");
        await reg.transition("stage", "deployed-ok", {});
        const names = async (q: ListQuery) => (await reg.list(q)).items.map((e) => e.name).sort();
        expect(await names({ status: "deployed-ok" })).toEqual(["stage"]);
        expect(await names({ tags: { team: "shop" } })).toEqual(["pr-101", "stage"]);
        expect(await names({ tags: { team: "shop", kind: "ephemeral" } })).toEqual(["pr-101"]);
        // The total of a page counts every match, however it is counted.
        expect((await reg.list({ tags: { team: "shop" }, limit: 1 })).total).toBe(2);
        expect((await reg.list({ tags: { team: "shop", kind: "ephemeral" }, limit: 1 })).total).toBe(1);
        expect((await reg.list({ tags: { team: "nobody" } })).total).toBe(0);
        expect((await reg.list({ tags: { team: "shop" }, status: "deployed-ok" })).total).toBe(1);
        expect(await names({ search: "checkout" })).toEqual(["pr-101"]);
        expect(await names({ search: "shop" })).toEqual(["pr-101", "stage"]); // tag value and description
        expect(await names({ search: "pr" })).toEqual(["pr-101", "pr-102"]); // prefix of a name part
        expect(await names({ search: '"speed*) (' })).toEqual(["pr-102"]); // no FTS syntax gets through
        expect(await names({ search: "speed OR checkout" })).toEqual([]); // OR is a word, not an operator
        const page = await reg.list({ limit: 2 });
        expect(page.items).toHaveLength(2);
        expect(page.total).toBe(3);
        const next = await reg.list({ limit: 2, offset: 2 });
        expect(next.items.map((e) => e.name)).toEqual([(await reg.list({ limit: 0 })).items[2]!.name]);
        expect(page.items[0]?.tags).toBeTypeOf("object");
      });

      it("sets and clears an environment's planned destruction", async () => {
        await reg.create(env("pr-1", { expiresAt: "2026-01-01T00:00:00.000Z" }), "a");
        await reg.setExpiry("pr-1", "2026-02-01T00:00:00.000Z", "me@here");
        expect((await reg.get("pr-1"))?.expiresAt).toBe("2026-02-01T00:00:00.000Z");
        expect((await reg.list({})).items.find((e) => e.name === "pr-1")?.expiresAt).toBe("2026-02-01T00:00:00.000Z");
        await reg.setExpiry("pr-1", undefined, "me@here");
        expect((await reg.get("pr-1"))?.expiresAt).toBeUndefined();
        await expect(reg.setExpiry("nope", undefined, "me")).rejects.toThrow(NotFoundError);
      });

      it("keeps tokens by their hash only, and forgets a revoked one", async () => {
        await reg.createToken({ name: "ci", hash: "h1", role: "write" }, "ann@box");
        await expect(reg.createToken({ name: "ci", hash: "h2", role: "read" }, "ann@box")).rejects.toThrow(ConflictError);
        expect(await reg.tokenByHash("h1")).toMatchObject({ name: "ci", role: "write", createdBy: "ann@box" });
        expect(await reg.tokenByHash("nope")).toBeUndefined();
        await reg.revokeToken("ci", "ann@box");
        expect(await reg.tokenByHash("h1")).toBeUndefined();
        expect((await reg.tokens())[0]).toMatchObject({ name: "ci", revokedAt: expect.any(String) });
        await expect(reg.revokeToken("nope", "ann@box")).rejects.toThrow(NotFoundError);
      });

      it("remembers the operation an idempotency key started, first writer wins", async () => {
        expect(await reg.idempotent("ci", "k1")).toBeUndefined();
        expect(await reg.rememberIdempotent("ci", "k1", "op-a", "fp-a")).toEqual({ operationId: "op-a", fingerprint: "fp-a" });
        expect(await reg.rememberIdempotent("ci", "k1", "op-b", "fp-b")).toEqual({ operationId: "op-a", fingerprint: "fp-a" });
        expect(await reg.idempotent("ci", "k1")).toEqual({ operationId: "op-a", fingerprint: "fp-a" });
        expect(await reg.idempotent("other", "k1")).toBeUndefined();
      });

      it("knows who depends on whom, ignoring destroyed dependents", async () => {
        for (const n of ["db", "api", "web"]) await reg.create(env(n), n);
        await reg.addDependency("api", "db", "reads db.url");
        await reg.addDependency("web", "db", "reads db.url");
        expect(await reg.dependents("db")).toEqual(["api", "web"]);
        expect(await reg.dependencies("api")).toEqual(["db"]);
        await reg.transition("web", "interrupted", {});
        await reg.transition("web", "destroying", {});
        await reg.transition("web", "destroyed", {});
        expect(await reg.dependents("db")).toEqual(["api"]);
        await expect(reg.addDependency("db", "db", "x")).rejects.toThrow(/cannot depend on itself/);
      });

      it("keeps resources with their dependencies, and operations with their summaries", async () => {
        await reg.create(env("dev"), "x");
        await reg.setResources("dev", [
          { urn: "u:a", type: "random:index/randomPet:RandomPet", name: "a", status: "ok", dependsOn: [] },
          { urn: "u:b", type: "command:local:Command", name: "b", status: "ok", providerId: "b-1", parent: "u:s", dependsOn: ["u:a"] },
        ]);
        expect((await reg.resources("dev"))[1]).toMatchObject({ name: "b", providerId: "b-1", dependsOn: ["u:a"] });
        const op = await reg.startOperation("dev", "create", "me@here", "/tmp/e.jsonl");
        await reg.finishOperation(op.id, { result: "succeeded", summary: { create: 2 } });
        expect(await reg.operation(op.id)).toMatchObject({ environment: "dev", result: "succeeded", summary: { create: 2 }, who: "me@here" });
        expect((await reg.operations("dev")).map((o) => o.id)).toEqual([op.id]);
      });
    });

    describe("the operation lock", () => {
      it("lets exactly one of two registries on one file take it, and names the holder", async () => {
        const other = await h.open();
        await reg.lock("dev", { operationId: "op1", owner: "ann@box", host: hostname(), pid: process.pid });
        const err = await other.lock("dev", { operationId: "op2", owner: "bob@box", host: hostname(), pid: process.pid }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LockedError);
        expect((err as LockedError).kind).toBe("locked");
        expect((err as Error).message).toMatch(/locked by ann@box \(pid \d+ on .*operation op1/);
        await reg.unlock("dev", "op1");
        await other.lock("dev", { operationId: "op2", owner: "bob@box", host: hostname(), pid: process.pid });
        expect((await reg.lockHolder("dev"))?.operationId).toBe("op2");
        await other.close();
      });

      it("breaks a lock whose process is gone, and only then", async () => {
        const dead = spawnSync("true").pid!; // a pid that has exited
        await reg.lock("dev", { operationId: "old", owner: "ann@box", host: hostname(), pid: dead });
        await reg.lock("dev", { operationId: "new", owner: "bob@box", host: hostname(), pid: process.pid });
        expect((await reg.lockHolder("dev"))?.operationId).toBe("new");
        await expect(reg.lock("dev", { operationId: "third", owner: "c", host: hostname(), pid: process.pid })).rejects.toThrow(LockedError);
      });

      it("marks the dead run's operation and environment interrupted when it takes over its lock", async () => {
        await reg.create(env("dev"), "op1");
        await reg.startOperation("dev", "create", "ann@box", undefined, "op1");
        await reg.lock("dev", { operationId: "op1", owner: "ann@box", host: hostname(), pid: spawnSync("true").pid! });
        await reg.lock("dev", { operationId: "op2", owner: "bob@box", host: hostname(), pid: process.pid });
        expect((await reg.get("dev"))?.status).toBe("interrupted");
        expect((await reg.operation("op1"))?.result).toBe("interrupted");
      });

      it("does not break a fresh lock held on another host", async () => {
        await reg.lock("dev", { operationId: "far", owner: "ann@far", host: "another-host", pid: 1 });
        await expect(reg.lock("dev", { operationId: "near", owner: "bob", host: hostname(), pid: process.pid })).rejects.toThrow(/another-host/);
      });

      it("takes over a lock whose pid now belongs to another process (pid reuse)", async () => {
        // The holder's pid is alive, but started at another time than the holder did.
        await reg.lock("dev", { operationId: "gone", owner: "ann@box", ...selfIdentity(), started: "1" });
        await reg.lock("dev", { operationId: "new", owner: "bob@box", ...selfIdentity() });
        expect((await reg.lockHolder("dev"))?.operationId).toBe("new");
        expect(processStart(process.pid)).toMatch(/^\d+$/);
      });

      it("judges a lock from another pid namespace of this host by its heartbeat, not by a pid", async () => {
        // Same hostname, another node (a container): its pid 1 means nothing here.
        await reg.lock("dev", { operationId: "boxed", owner: "ann@box", host: hostname(), node: `${currentNode()}-other`, pid: 999_999 });
        await expect(reg.lock("dev", { operationId: "near", owner: "bob", ...selfIdentity() })).rejects.toThrow(LockedError);
      });

      it("tells a holder that lost its lock, on its next heartbeat", async () => {
        await reg.lock("dev", { operationId: "mine", owner: "ann@box", ...selfIdentity() });
        expect(await reg.heartbeat("dev", "mine")).toBe(true);
        const removed = await reg.forceUnlock("dev", "ops@box", "runner lost");
        expect(removed).toMatchObject({ operationId: "mine", owner: "ann@box" });
        expect(await reg.heartbeat("dev", "mine")).toBe(false);
        expect(await reg.lockHolder("dev")).toBeUndefined();
        expect(await reg.forceUnlock("dev", "ops@box", "again")).toBeUndefined();
      });
    });

    describe("reapStale", () => {
      it("turns a killed run's lock into an interrupted environment and operation, keeping everything else", async () => {
        await reg.create(env("dev"), "op1");
        await reg.setOutputs("dev", { url: { value: "u", secret: false } });
        const op = await reg.startOperation("dev", "create", "ann@box", undefined, "op1");
        const dead = spawnSync("true").pid!;
        await reg.lock("dev", { operationId: op.id, owner: "ann@box", host: hostname(), pid: dead });
        await reg.lock("live", { operationId: "x", owner: "bob", host: hostname(), pid: process.pid });
        expect(await reg.reapStale()).toEqual([{ environment: "dev", operationId: "op1" }]);
        const got = await reg.get("dev");
        expect(got?.status).toBe("interrupted");
        expect(got?.outputs).toEqual({ url: { value: "u", secret: false } });
        expect((await reg.operation("op1"))?.result).toBe("interrupted");
        expect((await reg.history("dev")).at(-1)).toMatchObject({ from: "deploying", to: "interrupted" });
        expect(await reg.lockHolder("dev")).toBeUndefined();
        expect((await reg.lockHolder("live"))?.owner).toBe("bob");
        expect(await reg.reapStale()).toEqual([]);
      });
    });

    describe("an operation's start and end", () => {
      it("begin records a create, its dependencies and its operation at once", async () => {
        await reg.create(env("db"), "a");
        const op = await reg.begin("api", {
          operation: { id: "op1", kind: "create", who: "ann@box", params: { image: "x" } },
          create: env("api"),
          dependsOn: [{ name: "db", reason: "parameter upstream" }],
        });
        expect(op).toMatchObject({ id: "op1", result: "running", params: { image: "x" } });
        expect((await reg.get("api"))?.status).toBe("deploying");
        expect(await reg.dependencies("api")).toEqual(["db"]);
      });

      it("commit writes status, parameters, template, outputs, resources, dependencies and the result together", async () => {
        await reg.create(env("db"), "a");
        await reg.create(env("b2"), "b");
        await reg.begin("api", { operation: { id: "op1", kind: "create", who: "ann@box" }, create: env("api"), dependsOn: [{ name: "db", reason: "p" }] });
        await reg.commit("api", "op1", {
          result: "succeeded",
          status: "deployed-ok",
          params: { image: "y" },
          template: { id: "web", version: "1.1.0", source: "builtin" },
          outputs: { url: { value: "u", secret: false }, key: { value: "k-SECRET", secret: true } },
          resources: [{ urn: "urn:a", type: "t", name: "a", status: "ok", dependsOn: [] }],
          dependsOn: [{ name: "b2", reason: "p" }],
          summary: { create: 1 },
          audit: { who: "ann@box", action: "create", detail: {} },
        });
        const e = (await reg.get("api"))!;
        expect(e).toMatchObject({ status: "deployed-ok", params: { image: "y" }, template: { version: "1.1.0" } });
        expect(e.outputs).toEqual({ url: { value: "u", secret: false }, key: { secret: true } });
        expect((await reg.resources("api")).map((r) => r.urn)).toEqual(["urn:a"]);
        expect(await reg.dependencies("api")).toEqual(["b2"]);
        expect(await reg.operation("op1")).toMatchObject({ result: "succeeded", summary: { create: 1 } });
      });

      it("keeps what a set's run applied until another operation records parameters without it", async () => {
        const run = async (id: string, c: Partial<Parameters<typeof reg.commit>[2]>, kind: "create" | "update" = "update") => {
          await reg.begin("api", { operation: { id, kind, who: "ann@box" }, ...(kind === "create" && { create: env("api") }) });
          await reg.commit("api", id, { result: "succeeded", status: "deployed-ok", audit: { who: "a", action: kind, detail: {} }, ...c });
        };
        await run("op1", { params: { image: "x" }, inputs: "digest-1" }, "create");
        expect(await reg.appliedInputs("api")).toBe("digest-1");
        // A drift check or a health check records no parameters: the digest stays.
        await run("op2", {});
        expect(await reg.appliedInputs("api")).toBe("digest-1");
        // An update made outside the set records parameters: what the set applied is no longer what runs.
        await run("op3", { params: { image: "y" } });
        expect(await reg.appliedInputs("api")).toBeUndefined();
        await run("op4", { params: { image: "x" }, inputs: "digest-2" });
        expect(await reg.appliedInputs("api")).toBe("digest-2");
      });

      it("a commit that is refused (an illegal transition) writes nothing at all, its notifications included", async () => {
        await reg.begin("api", { operation: { id: "op1", kind: "create", who: "ann@box" }, create: env("api") });
        const err = await reg
          .commit("api", "op1", {
            result: "succeeded",
            status: "destroyed",
            params: { image: "z" },
            audit: { who: "a", action: "x", detail: {} },
            notify: [{ id: "op1:succeeded", key: "environment.api.succeeded", body: {} }],
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConflictError);
        expect(await reg.get("api")).toMatchObject({ status: "deploying", params: {} });
        expect((await reg.operation("op1"))?.result).toBe("running");
        expect(await reg.unsent(10)).toEqual([]);
      });

      it("keeps an operation's notifications with its start and end, in order, until they are marked sent", async () => {
        await reg.begin("api", {
          operation: { id: "op1", kind: "create", who: "ann@box" },
          create: env("api"),
          notify: [{ id: "op1:started", key: "environment.api.started", body: { kind: "create" } }],
        });
        await reg.commit("api", "op1", {
          result: "succeeded",
          status: "deployed-ok",
          audit: { who: "a", action: "create", detail: {} },
          notify: [{ id: "op1:succeeded", key: "environment.api.succeeded", body: { changes: { create: 2 } } }],
        });
        await reg.enqueue([{ id: "kept:db", key: "environment.db.kept", body: {} }]);
        // The same id again (a retried enqueue) is kept once.
        await reg.enqueue([{ id: "kept:db", key: "environment.db.kept", body: {} }]);
        const unsent = await reg.unsent(10);
        expect(unsent.map((n) => n.id)).toEqual(["op1:started", "op1:succeeded", "kept:db"]);
        expect(unsent[1]).toMatchObject({ key: "environment.api.succeeded", body: { changes: { create: 2 } } });
        await reg.markSent(["op1:started"]);
        expect((await reg.unsent(10)).map((n) => n.id)).toEqual(["op1:succeeded", "kept:db"]);
        expect((await reg.unsent(1)).map((n) => n.id)).toEqual(["op1:succeeded"]);
      });

      it("keeps a notification's headers (its trace context) for the publish, and none where it had none", async () => {
        const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await reg.enqueue([
          { id: "a", key: "environment.api.started", body: {}, headers: { traceparent } },
          { id: "b", key: "environment.api.kept", body: {} },
        ]);
        const [a, b] = await reg.unsent(10);
        expect(a).toMatchObject({ id: "a", headers: { traceparent } });
        expect(b).not.toHaveProperty("headers");
      });
    });
  });
}
