// The inputs of the meta environment's components (see components/args.ts).
import { defineArgs } from "../../components/args.js";

/** What every meta service reads: its cluster, the chart mirror and the bootstrap file's overrides. */
const service = {
  kubeconfig: { kind: "string", description: "the cluster (meta/cluster's kubeconfig)", required: true },
  charts: { kind: "string", description: "one mirror for every chart: https URL, oci://… or a folder" },
  overrides: { kind: "string", description: "chart versions and values by chart name (JSON, from the bootstrap file)" },
} as const;
const ca = {
  caCert: { kind: "string", description: "CA certificate", required: true },
  caKey: { kind: "string", description: "CA key", required: true },
} as const;

export const clusterArgs = defineArgs({
  options: { kind: "string", description: "OpenStack's options (JSON: externalNetworkId, image, flavor, sshPublicKey, adminCidr)" },
});

export const consulArgs = defineArgs({
  ...service,
  ...ca,
  servers: { kind: "number", description: "server count", default: 3 },
});

export const vaultArgs = defineArgs({
  ...service,
  ...ca,
  unseal: { kind: "any", description: "meta/cluster's unseal" },
  replicas: { kind: "number", description: "replicas", default: 3 },
});

export const observabilityArgs = defineArgs({
  ...service,
  latencySeconds: { kind: "number", description: "p90 latency alert threshold, seconds", default: 1 },
  apiHealthUrl: { kind: "string", description: "the URL the synthetic probe checks", default: "http://infra-api.infra.svc:7780/api/v1/health" },
  apiNamespace: { kind: "string", description: "the namespace of the infra API's Service, whose /metrics a ServiceMonitor scrapes", default: "infra" },
});

export const ingressArgs = defineArgs({
  ...service,
  ...ca,
  replicas: { kind: "number", description: "controller replicas", default: 2 },
  acmeEmail: { kind: "string", description: "Let's Encrypt account email; no Let's Encrypt issuer without it" },
  acmeServer: { kind: "string", description: "the ACME directory (Let's Encrypt production)", default: "https://acme-v02.api.letsencrypt.org/directory" },
  caIssuer: { kind: "boolean", description: "a ClusterIssuer of the meta CA (left out where cert-manager only simulates)", default: true },
});

export const platformArgs = defineArgs({
  ...service,
  apiImage: { kind: "string", description: "the infra API image", default: "ghcr.io/infra/infra:latest" },
  apiReplicas: { kind: "number", description: "API replicas", default: 2 },
  apiPassphrase: { kind: "string", description: "the secrets passphrase the API decrypts its stacks' state with (secret)" },
  apiStore: {
    kind: "string",
    description: "shared: the meta environment's PostgreSQL and RabbitMQ; embedded: SQLite on the API's volume, no bus",
    default: "shared",
  },
  apiBackend: { kind: "string", description: "the state backend of the environments the API runs; none: its volume" },
  apiTokenHash: { kind: "string", description: "SHA-256 (hex) of the bootstrapping user's write token, registered by the API at start" },
  realNode: { kind: "boolean", description: "the API's pod asks for the sandbox's real node (where containers run for real)", default: false },
  stateOnVolume: { kind: "boolean", description: "the API's home and its state on a claim (one replica); false: a bucket backend", default: true },
  imageLayout: { kind: "string", description: "infra's image as an OCI layout bootstrap built here, pushed to imageRepository" },
  imageDigest: { kind: "string", description: "that image's digest" },
  imageRepository: { kind: "string", description: "where to push it (meta/cluster's)" },
  imageRegistry: { kind: "string", description: "a registry named instead (host[:port]/path): pushed to <it>/infra with docker login's login" },
  registryLogin: { kind: "any", description: "the login that pushes there (secret)" },
  locationBackend: { kind: "string", description: "the state backend the location made (meta/cluster's), when apiBackend is not given" },
  apiAnnotations: { kind: "any", description: "annotations of the API's ServiceAccount (its cloud identity)" },
  stateCredentials: { kind: "any", description: "environment variables that reach the location's bucket where no identity can (secret)" },
  otlpEndpoint: {
    kind: "string",
    description: "where the API sends its traces (OTLP/HTTP); empty: none",
    default: "http://opentelemetry-collector.monitoring.svc:4318",
  },
});

export const gitopsArgs = defineArgs({
  ...service,
  organisation: { kind: "string", description: "GitHub organisation", required: true },
  githubToken: { kind: "string", description: "a token that lists the organisation's repositories (secret); none: no ApplicationSet" },
  prefix: { kind: "string", description: "repository prefix", default: "infra-" },
  cloud: { kind: "string", description: "this cluster's cloud", default: "sandbox" },
  region: { kind: "string", description: "this cluster's region", default: "local" },
});
