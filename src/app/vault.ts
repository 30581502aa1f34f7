// Use cases: Vault's Shamir keys where the location has no KMS (sandbox,
// kubeconfig context, OpenStack). infra initialises Vault once, keeps the
// unseal keys and root token sealed with the secrets passphrase (keystore),
// unseals every server, and shows the keys only when an operator asks.
import { existsSync } from "node:fs";
import { ConflictError } from "../core/errors.js";
import type { Registry } from "../registry/types.js";
import type { VaultAccess } from "../vault/access.js";
import { keysFile, openKeys, sealKeys, type VaultKeys } from "../vault/keystore.js";

export interface VaultContext {
  registry: Registry;
  actor: { who: string };
  home: string;
  now: () => Date;
}

export interface VaultInput {
  environment: string;
  access: VaultAccess;
  passphrase: string;
}

/** Unseals every Vault server that is sealed; returns the pods it unsealed. */
export async function unsealAll(access: VaultAccess, keys: VaultKeys): Promise<string[]> {
  const done: string[] = [];
  for (const pod of await access.pods()) {
    const status = (await access.call("GET", "/v1/sys/seal-status", undefined, pod)) as { sealed: boolean };
    if (!status.sealed) continue;
    for (const key of keys.keys.slice(0, keys.threshold)) {
      const r = (await access.call("POST", "/v1/sys/unseal", { key }, pod)) as { sealed: boolean };
      if (!r.sealed) break;
    }
    done.push(pod);
  }
  return done;
}

export async function initVault(ctx: VaultContext, input: VaultInput & { shares?: number; threshold?: number }): Promise<{ file: string; unsealed: string[] }> {
  const file = keysFile(ctx.home, input.environment);
  if (existsSync(file))
    throw new ConflictError(`Vault of ${input.environment} is initialised already, its keys sealed in ${file}: infra vault unseal opens it`);
  const status = (await input.access.call("GET", "/v1/sys/init")) as { initialized: boolean };
  if (status.initialized) throw new ConflictError(`Vault of ${input.environment} was initialised, not by infra: infra has no keys for it`);
  const shares = input.shares ?? 5;
  const threshold = input.threshold ?? 3;
  const r = (await input.access.call("PUT", "/v1/sys/init", { secret_shares: shares, secret_threshold: threshold })) as {
    keys_base64: string[];
    root_token: string;
  };
  const keys: VaultKeys = { keys: r.keys_base64, threshold, rootToken: r.root_token, initializedAt: ctx.now().toISOString() };
  // Sealed first: whatever fails after, the keys are kept.
  sealKeys(file, keys, input.passphrase);
  await ctx.registry.audit(ctx.actor.who, "vault-initialised", input.environment, { shares, threshold, file });
  return { file, unsealed: await unsealAll(input.access, keys) };
}

export async function unsealVault(ctx: VaultContext, input: VaultInput): Promise<string[]> {
  const keys = openKeys(keysFile(ctx.home, input.environment), input.passphrase);
  const unsealed = await unsealAll(input.access, keys);
  if (unsealed.length) await ctx.registry.audit(ctx.actor.who, "vault-unsealed", input.environment, { pods: unsealed });
  return unsealed;
}

/** The keys, for an operator who asked (the caller confirms first); audited. */
export async function showVaultKeys(ctx: VaultContext, input: { environment: string; passphrase: string }): Promise<VaultKeys> {
  const keys = openKeys(keysFile(ctx.home, input.environment), input.passphrase);
  await ctx.registry.audit(ctx.actor.who, "vault-keys-shown", input.environment, {});
  return keys;
}
