// `infra init`: first-time set-up. Every prompt has a flag and an env var;
// without a TTY (or with --non-interactive) the defaults and the flags are
// used, and nothing is asked.
import { UsageError } from "../../core/errors.js";
import { checkBackend } from "../../engine/backend.js";
import { resolveSetting, type SettingName } from "../../config/settings.js";
import { infraHome, interactive, promptOutput, readConfig, writeConfig, type GlobalOptions, type InfraConfig } from "../context.js";
import { out, printJson } from "../output.js";

export interface InitOptions extends GlobalOptions {
  backend?: string;
  location?: string;
  githubOrganisation?: string;
  repositoryPrefix?: string;
}

export async function init(opts: InitOptions): Promise<void> {
  const home = infraHome();
  const before = readConfig(home);
  const pick = (name: SettingName, flag: string | undefined) => resolveSetting(name, flag, process.env, before).value ?? "";
  const config: InfraConfig = {
    backend: pick("backend", opts.backend),
    location: pick("location", opts.location),
    githubOrganisation: pick("githubOrganisation", opts.githubOrganisation),
    repositoryPrefix: pick("repositoryPrefix", opts.repositoryPrefix),
  };
  let passphraseFrom = process.env.INFRA_PASSPHRASE ? "INFRA_PASSPHRASE" : process.env.PULUMI_CONFIG_PASSPHRASE ? "PULUMI_CONFIG_PASSPHRASE" : "";
  if (interactive(opts)) {
    const p = await import("@inquirer/prompts");
    const ctx = await promptOutput();
    if (opts.backend === undefined && !process.env.INFRA_BACKEND) {
      config.backend = await p.input({
        message: "State backend:",
        default: config.backend,
        validate: (v) => checkBackend(v) ?? true,
      }, ctx);
    }
    if (!passphraseFrom) {
      const a = await p.password({ message: "Secrets passphrase (never stored):", mask: "*" }, ctx);
      const b = await p.password({ message: "Passphrase again:", mask: "*" }, ctx);
      if (!a || a !== b) throw new UsageError(a ? "the two passphrases differ: run infra init again" : "the passphrase is empty: run infra init again");
      passphraseFrom = "prompt";
    }
    if (opts.location === undefined && !process.env.INFRA_LOCATION) {
      config.location = await p.input({ message: "Default location (sandbox, kubernetes[:ctx], gcp:…, aws:…, openstack:…):", default: config.location }, ctx);
    }
    if (opts.githubOrganisation === undefined && !process.env.INFRA_GITHUB_ORGANISATION) {
      config.githubOrganisation = await p.input({ message: "GitHub organisation with template repositories (empty: none):", default: config.githubOrganisation }, ctx);
    }
    if (opts.repositoryPrefix === undefined && !process.env.INFRA_REPOSITORY_PREFIX) {
      config.repositoryPrefix = await p.input({ message: "Repository prefix:", default: config.repositoryPrefix }, ctx);
    }
  }
  const bad = checkBackend(config.backend!);
  if (bad) throw new UsageError(`${bad} (--backend or INFRA_BACKEND)`);
  const file = writeConfig(config, home);
  if (opts.json) return printJson({ file, ...config });
  out(
    [
      `wrote ${file}`,
      `  backend              ${config.backend}`,
      `  location             ${config.location}`,
      `  github organisation  ${config.githubOrganisation || "-"}`,
      `  repository prefix    ${config.repositoryPrefix}`,
      passphraseFrom === "prompt" || !passphraseFrom
        ? "The passphrase is not stored: export INFRA_PASSPHRASE=… before commands that run the engine."
        : `The passphrase comes from ${passphraseFrom}; it is not stored.`,
    ].join("\n"),
  );
}
