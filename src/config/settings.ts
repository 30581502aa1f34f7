// The one settings resolver: a flag, then an environment variable, then the
// config file ($INFRA_HOME/config.json, written by infra init), then a
// default. Every command, the server and the reaper resolve through here, so
// no two of them can disagree on a default.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { InfraError } from "../core/errors.js";
import { infraHome } from "../core/home.js";

export interface InfraConfig {
  backend?: string;
  location?: string;
  githubOrganisation?: string;
  repositoryPrefix?: string;
  charts?: string;
  registry?: string;
  listen?: string;
  amqpUrl?: string;
}

export interface SettingInfo {
  /** The flag as help shows it (empty: no flag). */
  flag: string;
  envVars: readonly string[];
  config?: keyof InfraConfig;
  fallback?: (home: string) => string;
  /** What a prompt or an error calls it. */
  label: string;
  secret?: boolean;
}

export const SETTINGS = {
  backend: {
    flag: "--backend <url>",
    envVars: ["INFRA_BACKEND"],
    config: "backend",
    fallback: (home) => pathToFileURL(join(home, "state")).href,
    label: "state backend",
  },
  location: { flag: "--location <loc>", envVars: ["INFRA_LOCATION"], config: "location", fallback: () => "sandbox", label: "location" },
  githubOrganisation: {
    flag: "--github-organisation <org>",
    envVars: ["INFRA_GITHUB_ORGANISATION"],
    config: "githubOrganisation",
    label: "GitHub organisation",
  },
  repositoryPrefix: {
    flag: "--repository-prefix <prefix>",
    envVars: ["INFRA_REPOSITORY_PREFIX"],
    config: "repositoryPrefix",
    fallback: () => "infra-",
    label: "repository prefix",
  },
  charts: {
    flag: "--charts <source>",
    envVars: ["INFRA_CHARTS"],
    config: "charts",
    label: "chart mirror (https URL, oci://… or a folder)",
  },
  listen: { flag: "--listen <host:port>", envVars: ["INFRA_LISTEN"], config: "listen", fallback: () => "127.0.0.1:7780", label: "server address" },
  amqpUrl: { flag: "--amqp-url <url>", envVars: ["INFRA_AMQP_URL"], config: "amqpUrl", label: "AMQP URL", secret: true },
  concurrency: { flag: "--concurrency <n>", envVars: ["INFRA_CONCURRENCY"], fallback: () => "4", label: "operations at once" },
  registry: { flag: "", envVars: ["INFRA_REGISTRY"], config: "registry", fallback: (home) => join(home, "registry.db"), label: "registry" },
  passphrase: {
    flag: "--passphrase-file <file>",
    envVars: ["INFRA_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE"],
    label: "secrets passphrase",
    secret: true,
  },
} as const satisfies Record<string, SettingInfo>;

export type SettingName = keyof typeof SETTINGS;

export interface Resolved {
  value: string | undefined;
  /** Where the value came from: flag, an environment variable's name, config, default. */
  from?: string;
}

/** Resolves without asking: undefined when nothing sets it. */
export function resolveSetting(
  name: SettingName,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  config: InfraConfig = readConfig(infraHome(env)),
): Resolved {
  const s: SettingInfo = SETTINGS[name];
  if (flag !== undefined && flag !== "") return { value: flag, from: "flag" };
  for (const v of s.envVars) if (env[v]) return { value: env[v], from: v };
  const c = s.config && config[s.config];
  if (c) return { value: c, from: "config" };
  if (s.fallback) return { value: s.fallback(infraHome(env)), from: "default" };
  return { value: undefined };
}

export function configFile(home = infraHome()): string {
  return join(home, "config.json");
}

export function readConfig(home = infraHome()): InfraConfig {
  const file = configFile(home);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as InfraConfig;
  } catch (err) {
    throw new InfraError(`cannot read ${file}: ${(err as Error).message}; fix it or run infra init again`, "usage");
  }
}

/** Written atomically, mode 0600, in a 0700 home. */
export function writeConfig(config: InfraConfig, home = infraHome()): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const file = configFile(home);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
