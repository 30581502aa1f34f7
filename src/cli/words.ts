// How the CLI says an input and a remedy: flags and commands. The use cases
// carry hints as data (src/core/errors.ts); this is where they become words.
import type { Remedy, Words } from "../core/errors.js";

const FLAGS: Record<string, string> = {
  name: "environment name",
  environment: "environment name",
  template: "--template",
  ttl: "--ttl",
  location: "--location",
  tags: "--tag",
  to: "--to",
  cascade: "--cascade",
  limit: "--limit",
  format: "--format",
  depth: "--depth",
  dependsOn: "--depends-on",
  neededBy: "--needed-by",
  status: "--status",
  since: "--since",
  before: "--before",
  actor: "--actor",
  parallel: "--parallel",
  apiBackend: "--api-backend",
};

function flag(field: string): string {
  if (field.startsWith("params.")) return `--param ${field.slice(7)}`;
  if (field.startsWith("tags.")) return `--tag ${field.slice(5)}`;
  return FLAGS[field] ?? field;
}

function remedy(r: Remedy): string {
  if ("option" in r) return `pass --${r.option}${r.effect ? ` ${r.effect}` : ""}`;
  if ("run" in r) {
    switch (r.run) {
      case "recover":
        return `run infra env recover ${r.environment}`;
      case "update":
        return `use infra env update ${r.environment}`;
      case "create":
        return `create it again with infra env create ${r.environment}`;
      case "unlock":
        return `if that run is gone for good, infra env unlock ${r.environment} --force`;
      case "destroy-cascade":
        return `infra env destroy ${r.environment} --cascade`;
      case "forget":
        return `if the cluster is gone for good, infra env forget ${r.environment}`;
      case "health":
        return `infra env health ${r.environment} checks again`;
    }
  }
  switch (r.see) {
    case "environments":
      return "see infra env list";
    case "templates":
      return "see infra template list";
    case "template":
      return `see infra template show ${r.id}`;
    case "logs":
      return `events: infra env logs ${r.id} --operation ${r.operation}`;
  }
}

export const CLI_WORDS: Words = {
  field: flag,
  valued: (field, value) => (field.startsWith("params.") || field.startsWith("tags.") ? `${flag(field)}=${value}` : `invalid ${flag(field)} '${value}'`),
  remedy,
};
