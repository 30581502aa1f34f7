// `infra init`: first-time set-up. Every prompt has a flag and an env var;
// without a TTY (or with --non-interactive) the defaults and the flags are
// used, and nothing is asked.
import { UsageError } from "../../core/errors.js";
import { checkBackend } from "../../engine/backend.js";
import { parseLocation } from "../../core/location.js";
import { resolveSetting, type SettingName } from "../../config/settings.js";
import { readConfig, writeConfig, type InfraConfig } from "../../config/settings.js";
import { infraHome } from "../../core/home.js";
import { interactive, promptOutput, type GlobalOptions } from "../context.js";
import { out, printJson } from "../output.js";

export interface InitOptions extends GlobalOptions {
  backend?: string;
  location?: string;
  githubOrganisation?: string;
  repositoryPrefix?: string;
}

/** Why a location will not do, in one line, or undefined. */
function locationProblem(text: string): string | undefined {
  try {
    parseLocation(text);
    return undefined;
  } catch (err) {
    return `${text.slice(0, 80)}: ${(err as UsageError).detail}`;
  }
}

/** GitHub's rule: letters, digits and single hyphens, not at either end, at most 39. */
function organisationProblem(text: string): string | undefined {
  const ok = text.length <= 39 && /^[A-Za-z0-9-]+$/.test(text) && !text.startsWith("-") && !text.endsWith("-") && !text.includes("--");
  if (text === "" || ok) return undefined;
  return `'${text.slice(0, 60)}' is not a GitHub organisation name: letters, digits and single hyphens, at most 39`;
}

function prefixProblem(text: string): string | undefined {
  return /^[A-Za-z0-9._-]{0,100}$/.test(text) ? undefined : `'${text.slice(0, 60)}' is not a repository name prefix: letters, digits, '.', '_', '-'`;
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
  const passphraseFrom = process.env.INFRA_PASSPHRASE ? "INFRA_PASSPHRASE" : process.env.PULUMI_CONFIG_PASSPHRASE ? "PULUMI_CONFIG_PASSPHRASE" : "";
  if (interactive(opts)) {
    const p = await import("@inquirer/prompts");
    const ctx = await promptOutput();
    if (opts.backend === undefined && !process.env.INFRA_BACKEND) {
      config.backend = await p.input(
        {
          message: "State backend:",
          default: config.backend,
          validate: (v) => checkBackend(v) ?? true,
        },
        ctx,
      );
    }
    // No passphrase is asked: init stores none, so one typed here would be lost. The summary says where it comes from.
    if (opts.location === undefined && !process.env.INFRA_LOCATION) {
      config.location = await p.input(
        {
          message: "Default location (sandbox, kubernetes[:ctx], gcp:…, aws:…, openstack:…):",
          default: config.location,
          validate: (v) => locationProblem(v) ?? true,
        },
        ctx,
      );
    }
    if (opts.githubOrganisation === undefined && !process.env.INFRA_GITHUB_ORGANISATION) {
      config.githubOrganisation = await p.input(
        {
          message: "GitHub organisation with template repositories (empty: none):",
          default: config.githubOrganisation,
          validate: (v) => organisationProblem(v) ?? true,
        },
        ctx,
      );
    }
    if (opts.repositoryPrefix === undefined && !process.env.INFRA_REPOSITORY_PREFIX) {
      config.repositoryPrefix = await p.input(
        { message: "Repository prefix:", default: config.repositoryPrefix, validate: (v) => prefixProblem(v) ?? true },
        ctx,
      );
    }
  }
  const bad = checkBackend(config.backend!);
  if (bad) throw new UsageError(`${bad} (--backend or INFRA_BACKEND)`);
  // Flags and variables are checked as the prompts check answers: nothing that would fail later is kept.
  for (const [problem, what] of [
    [locationProblem(config.location!), "--location or INFRA_LOCATION"],
    [organisationProblem(config.githubOrganisation!), "--github-organisation or INFRA_GITHUB_ORGANISATION"],
    [prefixProblem(config.repositoryPrefix!), "--repository-prefix or INFRA_REPOSITORY_PREFIX"],
  ] as const) {
    if (problem) throw new UsageError(`${problem} (${what})`);
  }
  const file = writeConfig(config, home);
  if (opts.json) return printJson({ file, ...config });
  out(
    [
      `wrote ${file}`,
      `  backend              ${config.backend}`,
      `  location             ${config.location}`,
      `  github organisation  ${config.githubOrganisation || "-"}`,
      `  repository prefix    ${config.repositoryPrefix}`,
      !passphraseFrom
        ? "The secrets passphrase (it encrypts every environment's secrets) is never stored: export INFRA_PASSPHRASE=… or pass --passphrase-file before commands that run the engine; they ask for it on a terminal."
        : `The passphrase comes from ${passphraseFrom}; it is not stored.`,
    ].join("\n"),
  );
}
