// Recording an environment another infra made (bootstrap sends `meta` to the
// API in the cluster): listed with its outputs and resources, no engine run,
// no secret value; a second record updates it; the engine's operations on it
// are refused with where its stack is; a name this registry manages is never
// overwritten.
import { beforeEach, describe, expect, it } from "vitest";
import { createEnvironment } from "../../../src/app/create.js";
import { execute } from "../../../src/app/execute.js";
import { normalise } from "../../../src/app/commands.js";
import type { AppContext } from "../../../src/app/ports.js";
import { RECORDED_TAG } from "../../../src/app/record.js";
import { updateEnvironment } from "../../../src/app/update.js";
import { checkDrift } from "../../../src/app/drift.js";
import { ConflictError, UsageError } from "../../../src/core/errors.js";
import type { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { appBench, type FakeEngine } from "../../helpers/app.js";

let registry: SqliteRegistry;
let engine: FakeEngine;
let ctx: AppContext;

beforeEach(() => {
  ({ registry, engine, ctx } = appBench());
});

const FROM = "infra bootstrap on alice@laptop";
const record = (over: Record<string, unknown> = {}) =>
  execute(
    ctx,
    normalise(
      {
        kind: "record",
        environment: "meta",
        template: "meta@1.0.0",
        location: "sandbox",
        from: FROM,
        description: "the meta environment (acme)",
        outputs: {
          apiUrl: { value: "http://infra-api.infra.svc:7780", secret: false, kind: "entrypoint" },
          kubeconfig: { secret: true },
          chartVault: { value: "0.29.1", secret: false },
        },
        resources: [{ urn: "urn:pulumi:meta::infra-env::kubernetes:core/v1:Namespace::infra", type: "kubernetes:core/v1:Namespace", name: "infra" }],
        ...over,
      },
      { location: "local" },
    ),
  );

describe("record", () => {
  it("lists what another infra made, its outputs (a secret without its value) and resources, with no engine run", async () => {
    await record();
    const env = (await registry.get("meta"))!;
    expect(env).toMatchObject({
      status: "deployed-ok",
      location: "sandbox",
      template: { id: "meta", version: "1.0.0", source: "builtin" },
      tags: { [RECORDED_TAG]: FROM },
    });
    expect(env.outputs).toEqual({
      apiUrl: { value: "http://infra-api.infra.svc:7780", secret: false, kind: "entrypoint" },
      kubeconfig: { secret: true },
      chartVault: { value: "0.29.1", secret: false },
    });
    expect((await registry.resources("meta")).map((r) => r.name)).toEqual(["infra"]);
    expect(engine.calls).toEqual([]);
    expect((await registry.operations("meta")).map((o) => [o.kind, o.result])).toEqual([["record", "succeeded"]]);
  });

  it("a second record replaces the outputs, and leaves a deployed-ok status's history alone", async () => {
    await record();
    await record({ outputs: { chartVault: { value: "0.30.0", secret: false } } });
    expect((await registry.get("meta"))!.outputs).toEqual({ chartVault: { value: "0.30.0", secret: false } });
    expect((await registry.history("meta")).map((h) => h.to)).toEqual(["deploying", "deployed-ok"]);
  });

  it("refuses the engine's operations on it, saying where its stack is", async () => {
    await record();
    const err = await updateEnvironment(ctx, { name: "meta", params: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(`environment meta is recorded here from ${FROM}: its stack is kept there, so update it there`);
    await expect(checkDrift(ctx, "meta")).rejects.toThrow(/recorded here from/);
    expect(engine.calls).toEqual([]);
  });

  it("never overwrites an environment this registry manages, nor takes a secret's value", async () => {
    await createEnvironment(ctx, { name: "meta", template: "basic", params: { apiToken: "t" }, location: "local" });
    await expect(record()).rejects.toThrow(/is managed here: a record of another's would hide it/);
    expect(() =>
      normalise(
        { kind: "record", environment: "x", template: "meta@1.0.0", location: "sandbox", from: FROM, outputs: { k: { secret: true, value: "s3cr3t" } } },
        { location: "local" },
      ),
    ).toThrow(UsageError);
    expect(() => normalise({ kind: "record", environment: "x", template: "meta", location: "sandbox", from: FROM }, { location: "local" })).toThrow(
      /id@version/,
    );
  });
});
