// `infra vault init | unseal | keys --show`: Vault's Shamir keys for a meta
// environment whose location has no KMS (see src/app/vault.ts).
import { UsageError } from "../../core/errors.js";
import { parseLocation } from "../../core/location.js";
import type { AppContext } from "../../app/ports.js";
import type { VaultAccess } from "../../vault/access.js";
import { withApp, type EngineOptions } from "../app-context.js";
import { interactive, passphrase, promptOutput } from "../context.js";
import { out, printJson } from "../output.js";

export interface VaultOptions extends EngineOptions {
  environment?: string;
  address?: string;
  caFile?: string;
  show?: boolean;
}

/** Vault of the environment: at --address, or through its cluster's API server. */
async function access(ctx: AppContext, name: string, opts: VaultOptions): Promise<VaultAccess> {
  const { directAccess, kubeAccess } = await import("../../vault/access.js");
  if (opts.address) {
    const { readFileSync } = await import("node:fs");
    let ca: string | undefined;
    try {
      ca = opts.caFile ? readFileSync(opts.caFile, "utf8") : undefined;
    } catch (err) {
      throw new UsageError(`cannot read --ca-file ${opts.caFile}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    return directAccess(opts.address, ca);
  }
  const env = await ctx.registry.get(name);
  if (!env || env.status === "destroyed") throw new UsageError(`no environment ${name} to reach Vault in (infra bootstrap makes meta), or pass --address`);
  if (env.outputs.vaultSeal && env.outputs.vaultSeal.value !== "shamir")
    throw new UsageError(`Vault of ${name} unseals itself with ${String(env.outputs.vaultSeal.value)}: there are no Shamir keys to keep`);
  const { parse } = await import("yaml");
  const kind = parseLocation(env.location).kind;
  let kubeconfig: string;
  if (kind === "sandbox" || kind === "kubernetes") {
    kubeconfig = await ctx.clusters!.kubeconfig(env.location, (message) => ctx.listen?.({ type: "notice", message }));
  } else {
    const template = await ctx.templates.recorded(env.template);
    const session = await ctx.engine.open(name, template.spec);
    kubeconfig = String((await session.outputs()).kubeconfig?.value ?? "");
    if (!kubeconfig) throw new UsageError(`${name} has no kubeconfig output to reach Vault with: pass --address`);
  }
  return kubeAccess(kubeconfig, parse);
}

export async function vaultCommand(action: "init" | "unseal" | "keys", opts: VaultOptions): Promise<void> {
  const name = opts.environment ?? "meta";
  if (action === "keys" && !opts.show) throw new UsageError("infra vault keys prints secrets: pass --show to say you mean it");
  const secret = await passphrase(opts);
  const { initVault, unsealVault, showVaultKeys } = await import("../../app/vault.js");
  await withApp(
    opts,
    () => name,
    async (ctx) => {
      if (action === "keys") {
        if (!opts.yes) {
          if (!interactive(opts)) throw new UsageError(`infra vault keys --show asks first: pass --yes to print the keys of ${name} without asking`);
          const { confirm } = await import("@inquirer/prompts");
          if (!(await confirm({ message: `print the unseal keys and root token of ${name}'s Vault on this terminal?`, default: false }, await promptOutput())))
            return out("not shown");
        }
        const keys = await showVaultKeys(ctx, { environment: name, passphrase: secret });
        if (opts.json) return printJson(keys);
        return out(
          [
            `unseal keys of ${name}'s Vault (${keys.threshold} of ${keys.keys.length} unseal it):`,
            ...keys.keys.map((k, i) => `  ${i + 1}. ${k}`),
            `root token: ${keys.rootToken}`,
          ].join("\n"),
        );
      }
      const a = await access(ctx, name, opts);
      if (action === "init") {
        const r = await initVault(ctx, { environment: name, access: a, passphrase: secret });
        if (opts.json) return printJson({ environment: name, keysFile: r.file, unsealed: r.unsealed });
        return out(
          `${name}: Vault initialised; its keys are sealed with your passphrase in ${r.file} (infra vault keys --show prints them); unsealed: ${r.unsealed.join(", ") || "none"}`,
        );
      }
      const unsealed = await unsealVault(ctx, { environment: name, access: a, passphrase: secret });
      if (opts.json) return printJson({ environment: name, unsealed });
      out(unsealed.length ? `${name}: unsealed ${unsealed.join(", ")}` : `${name}: no Vault server was sealed`);
    },
  );
}
