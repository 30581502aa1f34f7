// The one command type: every door's input checked and filled in the same way,
// and a refusal said in each door's words.
import { describe, expect, it } from "vitest";
import { COMMAND_KINDS, commandJsonSchema, fingerprint, normalise } from "../../../src/app/commands.js";
import { CLI_WORDS } from "../../../src/cli/words.js";
import { ConflictError, NEUTRAL, sayError, UsageError } from "../../../src/core/errors.js";
import { AMQP_WORDS, REST_WORDS } from "../../../src/server/words.js";

const refusal = (input: unknown) => {
  try {
    normalise(input, { location: "sandbox" });
  } catch (err) {
    return err as UsageError;
  }
  throw new Error("accepted");
};

describe("normalise", () => {
  it("fills the location from the settings the door resolved, and turns values into text", () => {
    expect(
      normalise({ kind: "create", environment: "dev", template: "basic@1.1.0", params: { n: 3, on: true }, ttl: "1d12h" }, { location: "kubernetes:prod" }),
    ).toEqual({
      kind: "create",
      environment: "dev",
      template: "basic@1.1.0",
      params: { n: "3", on: "true" },
      tags: {},
      location: "kubernetes:prod",
      ttlMs: 36 * 3_600_000,
    });
    expect(normalise({ kind: "create", environment: "dev", template: "basic", location: "local" }, { location: "sandbox" })).toMatchObject({
      location: "local",
    });
  });

  it("refuses what the use cases would refuse, naming the field, before anything runs", () => {
    expect(refusal({ kind: "explode" }).hint).toMatchObject({ field: "kind", value: "explode" });
    expect(refusal({})).toBeInstanceOf(UsageError);
    expect(refusal({ kind: "create", environment: "Dev", template: "basic" }).hint).toMatchObject({ field: "environment", value: "Dev" });
    expect(refusal({ kind: "create", environment: "a".repeat(41), template: "basic" }).hint.field).toBe("environment");
    expect(refusal({ kind: "create", environment: "dev", template: "basic", ttl: "" }).hint).toMatchObject({ field: "ttl" });
    expect(refusal({ kind: "create", environment: "dev", template: "basic", location: "mars" }).hint).toMatchObject({ field: "location", value: "mars" });
    expect(refusal({ kind: "create", environment: "dev", template: "../etc" }).hint.field).toBe("template");
    expect(refusal({ kind: "update", environment: "dev", force: true }).detail).toBe("unknown field force");
    expect(refusal({ kind: "upgrade", environment: "dev", to: "latest" }).hint.field).toBe("to");
    // A parameter's value is never echoed: it may be a secret.
    const p = refusal({ kind: "update", environment: "dev", params: { apiToken: "x".repeat(5000) } });
    expect(p.hint.field).toBe("params.apiToken");
    expect(p.hint.value).toBeUndefined();
  });

  it("gives one fingerprint per command content, whatever the field order, and never the secret itself", () => {
    const a = normalise({ kind: "create", environment: "dev", template: "basic", params: { apiToken: "hunter2", g: "x" } }, { location: "sandbox" });
    const b = normalise({ template: "basic", params: { g: "x", apiToken: "hunter2" }, environment: "dev", kind: "create" }, { location: "sandbox" });
    const c = normalise({ kind: "create", environment: "dev", template: "basic", params: { apiToken: "other", g: "x" } }, { location: "sandbox" });
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).not.toBe(fingerprint(c));
    expect(fingerprint(a)).not.toContain("hunter2");
  });

  it("publishes one JSON Schema per kind", () => {
    const s = commandJsonSchema() as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((s.oneOf ?? s.anyOf)!.length).toBe(COMMAND_KINDS.length);
    expect(COMMAND_KINDS).toEqual([
      "create",
      "update",
      "upgrade",
      "destroy",
      "recover",
      "reap",
      "extend",
      "unlock",
      "forget",
      "drift",
      "reconcile",
      "refresh",
      "health",
      "record",
      "apply",
    ]);
  });
});

describe("each door's words", () => {
  const inUse = new ConflictError("environment db is used by api: destroy it first", { remedy: { option: "cascade", effect: "to destroy it too", or: true } });
  const taken = new ConflictError("environment dev already exists (deployed-ok): pick another name", {
    remedy: { run: "update", environment: "dev", or: true },
  });
  const ttl = new UsageError("use a duration like 30m", { field: "ttl", value: "soon" });
  const param = new UsageError("x is an integer", { field: "params.x", value: "abc" });

  it("the CLI names its flags and commands", () => {
    expect(sayError(inUse, CLI_WORDS)).toBe("environment db is used by api: destroy it first, or pass --cascade to destroy it too");
    expect(sayError(taken, CLI_WORDS)).toBe("environment dev already exists (deployed-ok): pick another name, or use infra env update dev");
    expect(sayError(ttl, CLI_WORDS)).toBe("invalid --ttl 'soon': use a duration like 30m");
    expect(sayError(param, CLI_WORDS)).toBe("--param x=abc: x is an integer");
  });

  it("REST names its query parameters and routes", () => {
    expect(sayError(inUse, REST_WORDS)).toBe("environment db is used by api: destroy it first, or send it with ?cascade=true to destroy it too");
    expect(sayError(taken, REST_WORDS)).toBe("environment dev already exists (deployed-ok): pick another name, or PATCH /api/v1/environments/dev");
    expect(sayError(ttl, REST_WORDS)).toBe("invalid ttl 'soon': use a duration like 30m");
  });

  it("AMQP names the message's fields", () => {
    expect(sayError(inUse, AMQP_WORDS)).toBe("environment db is used by api: destroy it first, or send the command with cascade: true to destroy it too");
    expect(sayError(taken, AMQP_WORDS)).toBe('environment dev already exists (deployed-ok): pick another name, or send {"kind":"update","environment":"dev"}');
  });

  it("a message on its own (logs, the registry) names no door", () => {
    expect(inUse.message).toBe("environment db is used by api: destroy it first, or set cascade to destroy it too");
    expect(NEUTRAL.field("params.x")).toBe("parameter x");
    for (const e of [inUse, taken, ttl, param]) expect(e.message).not.toMatch(/--|infra env|\/api\//);
  });
});
