// The inputs of the gcp/* components (see args.ts).
import { defineArgs } from "./args.js";

const project = { kind: "string", description: "the GCP project", required: true } as const;
const region = { kind: "string", description: "the region", default: "europe-west1" } as const;
const deletionProtection = { kind: "boolean", description: "refuse deletion", default: false } as const;

export const networkArgs = defineArgs({
  project,
  region,
  cidr: { kind: "string", description: "the subnet", default: "10.10.0.0/20" },
  podsCidr: { kind: "string", description: "the pods range", default: "10.64.0.0/14" },
  servicesCidr: { kind: "string", description: "the services range", default: "10.68.0.0/20" },
});

export const gkeAutopilotArgs = defineArgs({
  project,
  network: { kind: "string", description: "the VPC", required: true },
  subnet: { kind: "string", description: "the subnet (with pods and services ranges)", required: true },
  region,
  masterCidr: { kind: "string", description: "the control plane range", default: "172.16.0.32/28" },
  releaseChannel: { kind: "string", description: "RAPID, REGULAR or STABLE", default: "REGULAR" },
  deletionProtection,
});

export const cloudSqlPostgresArgs = defineArgs({
  project,
  network: { kind: "string", description: "the VPC", required: true },
  peering: { kind: "string", description: "the private service access connection", required: true },
  password: { kind: "string", description: "the app user's password (secret)", required: true },
  region,
  version: { kind: "string", description: "the PostgreSQL version", default: "POSTGRES_16" },
  tier: { kind: "string", description: "machine tier", default: "db-custom-1-3840" },
  availability: { kind: "string", description: "ZONAL or REGIONAL", default: "ZONAL" },
  backupsKept: { kind: "number", description: "daily backups kept", default: 7 },
  deletionProtection,
});
