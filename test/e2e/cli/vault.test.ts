// `infra vault` through the CLI, against the stand-in Vault at --address.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { BIN, makeHome, type Home } from "../../helpers/cli.js";
import { startFakeVault, type FakeVault } from "../../helpers/fake-vault.js";

let home: Home;
let vault: FakeVault;
let address: string;

beforeAll(async () => {
  home = makeHome("infra-vault-");
  ({ vault, address } = await startFakeVault());
});
afterAll(() => vault.server.close());

/** infra, run without blocking this process: the stand-in Vault answers from it. */
function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...home.env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("infra vault", () => {
  it("init keeps the keys sealed and unseals; keys needs --show and --yes off a terminal; the keys are printed only then", async () => {
    const init = await run(["vault", "init", "--address", address]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/^meta: Vault initialised; its keys are sealed with your passphrase in .*meta\.keys\.enc/);
    expect(vault.sealed).toBe(false);
    for (const k of vault.keys) expect(init.stdout + init.stderr).not.toContain(k);
    const dir = join(home.env.INFRA_HOME!, "vault");
    expect(readdirSync(dir)).toEqual(["meta.keys.enc"]);
    expect(readFileSync(join(dir, "meta.keys.enc"), "utf8")).not.toContain(vault.keys[0]!);
    const noShow = await run(["vault", "keys"]);
    expect(noShow.code).toBe(2);
    expect(noShow.stderr.trim()).toBe("infra: infra vault keys prints secrets: pass --show to say you mean it");
    const noYes = await run(["vault", "keys", "--show"]);
    expect(noYes.code).toBe(2);
    const shown = await run(["vault", "keys", "--show", "--yes"]);
    expect(shown.code, shown.stderr).toBe(0);
    for (const k of vault.keys) expect(shown.stdout).toContain(k);
    expect(shown.stdout).toContain("root token: hvs.ROOT-TOKEN-VALUE");
    const again = await run(["vault", "init", "--address", address]);
    expect(again.code).toBe(3);
    vault.sealed = true;
    vault.given.clear();
    const unseal = await run(["vault", "unseal", "--address", address]);
    expect(unseal.code, unseal.stderr).toBe(0);
    expect(vault.sealed).toBe(false);
    const wrong = await run(["vault", "keys", "--show", "--yes"], { INFRA_PASSPHRASE: "not-it" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toMatch(/the secrets passphrase is not the one it was sealed with$/);
  });
});
