// The write token infra bootstrap shows its user once reaches the API in the
// cluster as a hash only (a Secret's key): registered at start, once; a second
// start finds it; revoked, it stays revoked.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteRegistry } from "../../../src/registry/sqlite.js";
import { authenticate, bootstrapTokenName, hashToken, registerBootstrapToken } from "../../../src/server/auth.js";

let dir: string;
let reg: SqliteRegistry;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "infra-auth-"));
  reg = new SqliteRegistry(join(dir, "registry.db"));
});
afterEach(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the bootstrap token", () => {
  const secret = "infra_bootstrap-secret-for-test";
  const hash = hashToken(secret);

  it("is registered as a write token by its hash, once, and authenticates the secret", async () => {
    expect(await registerBootstrapToken(reg, hash)).toBe("registered");
    expect(await registerBootstrapToken(reg, hash)).toBe("known");
    const t = await authenticate(reg, `Bearer ${secret}`);
    expect(t).toMatchObject({ name: bootstrapTokenName(hash), role: "write", createdBy: "infra bootstrap" });
    expect((await reg.tokens()).filter((x) => x.name.startsWith("bootstrap-"))).toHaveLength(1);
  });

  it("stays revoked when revoked", async () => {
    await registerBootstrapToken(reg, hash);
    await reg.revokeToken(bootstrapTokenName(hash), "t");
    expect(await registerBootstrapToken(reg, hash)).toBe("revoked");
    await expect(authenticate(reg, `Bearer ${secret}`)).rejects.toThrow(/unknown or revoked/);
  });

  it("refuses what is not a SHA-256, in one line", async () => {
    await expect(registerBootstrapToken(reg, "not-a-hash\n")).rejects.toThrow(/holds no SHA-256/);
    expect(await reg.tokens()).toEqual([]);
  });
});

describe("a token in X-Infra-Token", () => {
  const secret = "infra_proxied-token-for-test";

  it("authenticates where a proxy kept Authorization for itself; a malformed one or one beside Authorization does not count", async () => {
    await registerBootstrapToken(reg, hashToken(secret));
    expect(await authenticate(reg, undefined, secret)).toMatchObject({ role: "write" });
    await expect(authenticate(reg, undefined, `Bearer ${secret}`)).rejects.toThrow(/Authorization: Bearer <token> .* or X-Infra-Token: <token>/);
    await expect(authenticate(reg, undefined, [secret, secret])).rejects.toThrow(/needs a token/);
    // Authorization, when sent, is the one that counts.
    await expect(authenticate(reg, "Basic eDp5", secret)).rejects.toThrow(/needs a token/);
    await expect(authenticate(reg, undefined, "infra_someone-else")).rejects.toThrow(/unknown or revoked/);
  });
});
