// Vault's Shamir keys, against a stand-in Vault (its sys/init, sys/unseal and
// sys/seal-status endpoints, over HTTP): no Vault server runs on these
// machines (the sandbox's pods are kwok's). The keys are sealed with the
// passphrase before anything else, never written in clear, shown on request.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initVault, showVaultKeys, unsealVault } from "../../../src/app/vault.js";
import { ConflictError, UsageError } from "../../../src/core/errors.js";
import { directAccess } from "../../../src/vault/access.js";
import { kubeEndpoint } from "../../../src/kube/http.js";
import { keysFile } from "../../../src/vault/keystore.js";
import { appBench, type Bench } from "../../helpers/app.js";
import { startFakeVault, type FakeVault } from "../../helpers/fake-vault.js";

let b: Bench;
let vault: FakeVault;
let address: string;

beforeEach(async () => {
  b = appBench();
  ({ vault, address } = await startFakeVault());
});
afterEach(() => vault.server.close());

describe("infra vault", () => {
  it("initialises Vault, seals the keys with the passphrase, never in clear, and unseals it", async () => {
    const access = directAccess(address);
    const r = await initVault(b.ctx, { environment: "meta", access, passphrase: "pass-1" });
    expect(r.file).toBe(keysFile(b.dir, "meta"));
    expect(r.unsealed).toHaveLength(1);
    expect(vault.sealed).toBe(false);
    expect(vault.given.size).toBe(3);
    const bytes = readFileSync(r.file, "utf8");
    for (const k of vault.keys) expect(bytes).not.toContain(k);
    expect(bytes).not.toContain("ROOT-TOKEN");
    await expect(initVault(b.ctx, { environment: "meta", access, passphrase: "pass-1" })).rejects.toThrow(ConflictError);
  });

  it("unseals again after a restart with the kept keys; a wrong passphrase says so", async () => {
    const access = directAccess(address);
    await initVault(b.ctx, { environment: "meta", access, passphrase: "pass-1" });
    vault.sealed = true;
    vault.given.clear();
    await expect(unsealVault(b.ctx, { environment: "meta", access, passphrase: "wrong" })).rejects.toThrow(
      /the secrets passphrase is not the one it was sealed with/,
    );
    expect(await unsealVault(b.ctx, { environment: "meta", access, passphrase: "pass-1" })).toHaveLength(1);
    expect(vault.sealed).toBe(false);
    expect(await unsealVault(b.ctx, { environment: "meta", access, passphrase: "pass-1" })).toEqual([]); // nothing sealed
  });

  it("shows the keys and the root token to an operator who asks", async () => {
    await initVault(b.ctx, { environment: "meta", access: directAccess(address), passphrase: "pass-1" });
    const keys = await showVaultKeys(b.ctx, { environment: "meta", passphrase: "pass-1" });
    expect(keys.keys).toEqual(vault.keys);
    expect(keys.rootToken).toBe("hvs.ROOT-TOKEN-VALUE");
    expect(keys.threshold).toBe(3);
  });

  it("refuses a Vault someone else initialised, and names what is missing", async () => {
    vault.initialized = true;
    await expect(initVault(b.ctx, { environment: "meta", access: directAccess(address), passphrase: "p" })).rejects.toThrow(/was initialised, not by infra/);
    await expect(showVaultKeys(b.ctx, { environment: "other", passphrase: "p" })).rejects.toThrow(UsageError);
  });
});

describe("reaching Vault through the API server", () => {
  it("reads the client certificate of a kubeconfig, or runs its credential plugin as kubectl would", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const kubeconfig = `apiVersion: v1
current-context: c
contexts: [{ name: c, context: { cluster: k, user: u } }]
clusters: [{ name: k, cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: ${b64("CA")} } }]
users: [{ name: u, user: { client-certificate-data: ${b64("CERT")}, client-key-data: ${b64("KEY")} } }]
`;
    const ep = kubeEndpoint(kubeconfig, parse);
    expect(ep.base.href).toBe("https://127.0.0.1:6443/");
    expect(ep.tls).toEqual({ ca: "CA", cert: "CERT", key: "KEY" });
    // A plugin that prints a token made of its argument and its env entry, saying whether it may prompt.
    const dir = mkdtempSync(join(tmpdir(), "infra-exec-"));
    const plugin = join(dir, "auth-plugin");
    writeFileSync(
      plugin,
      `#!${process.execPath}\nconst info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);\nconsole.log(JSON.stringify({ kind: "ExecCredential", status: { token: process.argv[2] + "-" + process.env.PLUGIN_REGION + "-" + info.spec.interactive } }));\n`,
      { mode: 0o755 },
    );
    const exec = (command: string) =>
      kubeconfig.replace(
        /users: .*/,
        `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: "${command}", args: [tok], env: [{ name: PLUGIN_REGION, value: eu }], installHint: "install it with gcloud components install" } } }]`,
      );
    const viaPlugin = kubeEndpoint(exec(plugin), parse);
    expect(viaPlugin.headers).toEqual({ authorization: "Bearer tok-eu-false" });
    expect(viaPlugin.tls).toEqual({ ca: "CA" });
    expect(() => kubeEndpoint(exec(join(dir, "gke-gcloud-auth-plugin")), parse)).toThrow(
      /credential plugin .*gke-gcloud-auth-plugin is not installed: install it with gcloud components install$/,
    );
    writeFileSync(plugin, `#!${process.execPath}\nconsole.error("token expired: run gcloud auth login"); process.exit(1);\n`, { mode: 0o755 });
    expect(() => kubeEndpoint(exec(plugin), parse)).toThrow(/auth-plugin failed: token expired: run gcloud auth login$/);
  });
});
