// The components templates can use, by id. This file imports no @pulumi/*
// package: `infra template list|show` read it without loading the engine;
// `load` brings in the implementation only when a program runs.
import * as meta from "../meta/services/args.js";
import { describeInputs, type InputInfo } from "./args.js";
import { apiServiceArgs, queueArgs, vpcArgs, workerServiceArgs } from "./aws.args.js";
import { localArgs } from "./command.args.js";
import { fileArgs } from "./local.args.js";
import * as gcp from "./gcp.args.js";
import { appChartArgs, certManagerArgs, ingressNginxArgs } from "./helm.args.js";
import { namespaceArgs, postgresArgs, webAppArgs } from "./kubernetes.args.js";
import * as os from "./openstack.args.js";
import { passwordArgs, petArgs } from "./random.args.js";
import { selfSignedCertArgs } from "./tls.args.js";
import type { ComponentFactory } from "./types.js";

export type { InputInfo };

declare const __INFRA_BUNDLE__: boolean | undefined;

/**
 * A component's implementation, loaded only when a program runs. The CLI
 * bundle does not carry them (they are most of its size and no command but
 * the engine's needs them): from the bundle they come from tsc's output in
 * dist/programs/components; from source (tests) straight from the .ts files.
 */
async function implementation(file: string): Promise<Record<string, unknown>> {
  if (typeof __INFRA_BUNDLE__ === "boolean" && __INFRA_BUNDLE__) {
    const { packageRoot } = await import("../../src/core/package-root.js");
    const { pathToFileURL } = await import("node:url");
    return import(pathToFileURL(`${packageRoot()}/dist/programs/components/${file}.js`).href);
  }
  const fromSource = `./${file}.js`; // not a literal: bundlers leave it alone
  return import(fromSource);
}

export interface ComponentInfo {
  description: string;
  inputs: Record<string, InputInfo>;
  outputs: Record<string, { secret: boolean; description: string }>;
  /** The resource plugins (providers) its resources need: checked before an operation starts. */
  plugins: string[];
  /**
   * It reads the environment's location itself (stack config infra:location
   * and, for sandbox and kubernetes, infra:locationKubeconfig): a cluster it
   * uses or makes.
   */
  readsLocation?: boolean;
  /** More plugins by location kind (a cluster it makes on that cloud). */
  locationPlugins?: Record<string, string[]>;
  load: () => Promise<ComponentFactory>;
}

const services = async () => implementation("../meta/services/index");

/** The meta environment's parts (templates/meta). */
const metaComponents: Record<string, ComponentInfo> = {
  "meta/cluster": {
    description:
      "The meta environment's cluster from its location: the sandbox's, a kubeconfig context's, or one made on GCP (GKE Autopilot), AWS (EKS) or OpenStack (k3s).",
    inputs: describeInputs(meta.clusterArgs),
    outputs: {
      kubeconfig: { secret: true, description: "admin kubeconfig" },
      endpoint: { secret: false, description: "where the cluster is" },
      unseal: { secret: false, description: "the KMS key Vault unseals with, if the cloud has one" },
      cloud: { secret: false, description: "the location kind (sandbox, kubernetes, gcp, aws, openstack)" },
      region: { secret: false, description: "the region (local for sandbox and kubernetes)" },
      imageRepository: { secret: false, description: "where infra's image is pushed (a cloud's registry); none elsewhere" },
      registryLogin: { secret: true, description: "the login that pushes there (the user's own credentials)" },
      stateBackend: { secret: false, description: "the API's state backend (a bucket the cloud location makes)" },
      apiAnnotations: { secret: false, description: "annotations giving the API's ServiceAccount its cloud identity" },
      stateCredentials: { secret: true, description: "what gives the API that bucket where no cloud identity can (OpenStack's EC2 credentials)" },
    },
    plugins: ["kubernetes"],
    locationPlugins: { gcp: ["gcp"], aws: ["aws"], openstack: ["openstack", "random", "tls"] },
    readsLocation: true,
    load: async () => (await services()).cluster as ComponentFactory,
  },
  "meta/ca": {
    description: "The meta environment's certificate authority (ECDSA P-256, ten years) for Consul, Vault and cert-manager.",
    inputs: {},
    outputs: { cert: { secret: false, description: "CA certificate (PEM)" }, key: { secret: true, description: "CA key (PEM)" } },
    plugins: ["tls"],
    load: async () => (await services()).ca as ComponentFactory,
  },
  "meta/consul": {
    description: "Consul servers with a PDB, gossip encryption (random key), TLS from the meta CA, ACLs on.",
    inputs: describeInputs(meta.consulArgs),
    outputs: {
      address: { secret: false, description: "https address" },
      version: { secret: false, description: "chart version" },
      servers: { secret: false, description: "server count" },
    },
    plugins: ["kubernetes", "random"],
    load: async () => (await services()).consul as ComponentFactory,
  },
  "meta/vault": {
    description: "Vault in HA on integrated Raft storage, TLS from the meta CA, auto-unseal with the cloud's KMS where there is one (Shamir keys elsewhere).",
    inputs: describeInputs(meta.vaultArgs),
    outputs: {
      address: { secret: false, description: "https address" },
      seal: { secret: false, description: "gcpckms, awskms or shamir" },
      version: { secret: false, description: "chart version" },
    },
    plugins: ["kubernetes", "tls"],
    load: async () => (await services()).vault as ComponentFactory,
  },
  "meta/observability": {
    description: "Prometheus, Alertmanager and Grafana, Loki, an OpenTelemetry collector, a blackbox probe of the infra API, and seed 000's alerts.",
    inputs: describeInputs(meta.observabilityArgs),
    outputs: {
      grafanaUrl: { secret: false, description: "Grafana" },
      grafanaPassword: { secret: true, description: "Grafana's admin password" },
      version: { secret: false, description: "kube-prometheus-stack version" },
      loki: { secret: false, description: "Loki chart version" },
      otel: { secret: false, description: "collector chart version" },
    },
    plugins: ["kubernetes", "random"],
    load: async () => (await services()).observability as ComponentFactory,
  },
  "meta/ingress": {
    description: "ingress-nginx and cert-manager with ClusterIssuers: the meta CA's, and Let's Encrypt with an ACME email.",
    inputs: describeInputs(meta.ingressArgs),
    outputs: {
      ingressClass: { secret: false, description: "IngressClass" },
      issuer: { secret: false, description: "the CA ClusterIssuer" },
      nginxVersion: { secret: false, description: "chart version" },
      certManagerVersion: { secret: false, description: "chart version" },
    },
    plugins: ["kubernetes"],
    load: async () => (await services()).ingress as ComponentFactory,
  },
  "meta/platform": {
    description:
      "The event bus (RabbitMQ), the registry database (PostgreSQL) and the infra API's Deployment and Service wired to both, or on SQLite on its own volume.",
    inputs: describeInputs(meta.platformArgs),
    outputs: {
      apiUrl: { secret: false, description: "the API inside the cluster" },
      apiStore: { secret: false, description: "where the API keeps its registry, bus and state, in words" },
      busUrl: { secret: true, description: "amqp://…" },
      databaseUrl: { secret: true, description: "postgres://…" },
      rabbitmqVersion: { secret: false, description: "chart version" },
      postgresqlVersion: { secret: false, description: "chart version" },
    },
    plugins: ["kubernetes", "random"],
    load: async () => (await services()).platform as ComponentFactory,
  },
  "meta/gitops": {
    description:
      "Argo CD and an ApplicationSet over the organisation's repositories with the prefix, folders kubernetes/<app>/<cloud>/<region>/<env>/<namespace>.",
    inputs: describeInputs(meta.gitopsArgs),
    outputs: {
      argoCdUrl: { secret: false, description: "Argo CD" },
      applicationSet: { secret: false, description: "the ApplicationSet" },
      version: { secret: false, description: "chart version" },
    },
    plugins: ["kubernetes"],
    load: async () => (await services()).gitops as ComponentFactory,
  },
};

export const catalogue: Record<string, ComponentInfo> = {
  "random/pet": {
    description: "A random pet name (adjective-animal), stable until its inputs change.",
    inputs: describeInputs(petArgs),
    outputs: { id: { secret: false, description: "the name" } },
    plugins: ["random"],
    load: async () => (await implementation("random")).pet as ComponentFactory,
  },
  "random/password": {
    description: "A random password, kept secret.",
    inputs: describeInputs(passwordArgs),
    outputs: { result: { secret: true, description: "the password" } },
    plugins: ["random"],
    load: async () => (await implementation("random")).password as ComponentFactory,
  },
  "tls/self-signed-cert": {
    description: "An ECDSA P-256 private key and a self-signed certificate for it.",
    inputs: describeInputs(selfSignedCertArgs),
    outputs: {
      certPem: { secret: false, description: "the certificate, PEM" },
      privateKeyPem: { secret: true, description: "the private key, PEM" },
      publicKeyPem: { secret: false, description: "the public key, PEM" },
    },
    plugins: ["tls"],
    load: async () => (await implementation("tls")).selfSignedCert as ComponentFactory,
  },
  "command/local": {
    description: "A command run on the machine running infra when the component is created, updated or deleted.",
    inputs: describeInputs(localArgs),
    outputs: {
      stdout: { secret: false, description: "what the last run printed" },
      stderr: { secret: false, description: "what the last run printed on stderr" },
    },
    plugins: ["command"],
    load: async () => (await implementation("command")).local as ComponentFactory,
  },
  "local/file": {
    description:
      "A file infra keeps for the environment on the machine that runs it ($INFRA_HOME/files/<environment>/<component>); an edit or a deletion made outside infra is drift.",
    inputs: describeInputs(fileArgs),
    outputs: {
      path: { secret: false, description: "where the file is" },
      content: { secret: false, description: "what it holds" },
    },
    plugins: [],
    load: async () => (await implementation("local-file")).file as ComponentFactory,
  },
  "kubernetes/namespace": {
    description: "A namespace with a resource quota, default container limits, and a network policy that denies ingress from other namespaces.",
    inputs: describeInputs(namespaceArgs),
    outputs: { name: { secret: false, description: "the namespace" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).namespace as ComponentFactory,
  },
  "kubernetes/web-app": {
    description: "A Deployment with probes and a hardened security context, a Service, an Ingress with TLS from cert-manager, an HPA and a PDB.",
    inputs: describeInputs(webAppArgs),
    outputs: {
      url: { secret: false, description: "https://<host>" },
      service: { secret: false, description: "the Service's name" },
    },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).webApp as ComponentFactory,
  },
  "kubernetes/postgres": {
    description:
      "PostgreSQL as a StatefulSet with a volume, a Service and its credentials in a Secret; optional hot standbys streaming from it behind a read-only Service (-ro), and scheduled pg_dump backups to a volume.",
    inputs: describeInputs(postgresArgs),
    outputs: {
      host: { secret: false, description: "the Service's cluster DNS name" },
      url: { secret: true, description: "postgres://… with the password" },
      readUrl: { secret: true, description: "postgres://… of the read-only Service (the primary's without standbys)" },
    },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).postgres as ComponentFactory,
  },
  "openstack/network": {
    description: "A private network and subnet, routed to the external network.",
    inputs: describeInputs(os.networkArgs),
    outputs: {
      networkId: { secret: false, description: "the network" },
      subnetId: { secret: false, description: "the subnet" },
    },
    plugins: ["openstack"],
    load: async () => (await implementation("openstack")).network as ComponentFactory,
  },
  "openstack/compose-vm": {
    description:
      "A VM booted from a volume whose cloud-init installs Docker and runs a compose file; a security group (ssh from an admin range, http, https), a keypair, a floating IP; optional log shipping with Filebeat; optional HTTPS (Caddy: ACME for a domain, or a certificate from the environment's CA).",
    inputs: describeInputs(os.composeVmArgs),
    outputs: {
      address: { secret: false, description: "the floating IP" },
      instanceId: { secret: false, description: "the VM" },
      url: { secret: false, description: "https://<domain or address> with an upstream, http://<address> without" },
      caCertPem: { secret: false, description: "the environment's CA certificate, when it signed the address's (empty otherwise)" },
    },
    plugins: ["openstack", "tls"],
    load: async () => (await implementation("openstack")).composeVm as ComponentFactory,
  },
  "openstack/swift-container": {
    description: "A private, versioned Swift object container.",
    inputs: describeInputs(os.swiftContainerArgs),
    outputs: { name: { secret: false, description: "the container" } },
    plugins: ["openstack"],
    load: async () => (await implementation("openstack")).swiftContainer as ComponentFactory,
  },
  "gcp/network": {
    description: "A VPC with a subnet and secondary ranges for pods and services, Cloud NAT, and private service access.",
    inputs: describeInputs(gcp.networkArgs),
    outputs: {
      network: { secret: false, description: "the VPC" },
      subnet: { secret: false, description: "the subnet" },
      peering: { secret: false, description: "the private service access connection" },
    },
    plugins: ["gcp"],
    load: async () => (await implementation("gcp")).network as ComponentFactory,
  },
  "gcp/gke-autopilot": {
    description: "A GKE Autopilot cluster with private nodes, a release channel and workload identity.",
    inputs: describeInputs(gcp.gkeAutopilotArgs),
    outputs: {
      name: { secret: false, description: "the cluster" },
      endpoint: { secret: false, description: "the API endpoint" },
      kubeconfig: { secret: true, description: "a kubeconfig using gke-gcloud-auth-plugin" },
    },
    plugins: ["gcp"],
    load: async () => (await implementation("gcp")).gkeAutopilot as ComponentFactory,
  },
  "gcp/cloudsql-postgres": {
    description: "Cloud SQL for PostgreSQL on a private IP with backups and point-in-time recovery, and a streaming read replica.",
    inputs: describeInputs(gcp.cloudSqlPostgresArgs),
    outputs: {
      host: { secret: false, description: "the primary's private IP" },
      replicaHost: { secret: false, description: "the read replica's private IP" },
      url: { secret: true, description: "postgres://… for the app" },
    },
    plugins: ["gcp"],
    load: async () => (await implementation("gcp")).cloudSqlPostgres as ComponentFactory,
  },
  "helm/ingress-nginx": {
    description: "The ingress-nginx controller (2 replicas, PDB, metrics).",
    inputs: describeInputs(ingressNginxArgs),
    outputs: { release: { secret: false, description: "the release" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).ingressNginx as ComponentFactory,
  },
  "helm/cert-manager": {
    description: "cert-manager with its CRDs and a Let's Encrypt ClusterIssuer (HTTP-01 through nginx).",
    inputs: describeInputs(certManagerArgs),
    outputs: { issuer: { secret: false, description: "the ClusterIssuer" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).certManager as ComponentFactory,
  },
  "helm/app": {
    description: "The application's chart, with TLS ingress, its database URL in a Secret, an HPA and a PDB.",
    inputs: describeInputs(appChartArgs),
    outputs: { url: { secret: false, description: "https://<host>" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).appChart as ComponentFactory,
  },
  "aws/vpc": {
    description: "A VPC over 2 or more availability zones: public subnets, private subnets behind one NAT gateway per zone.",
    inputs: describeInputs(vpcArgs),
    outputs: {
      vpcId: { secret: false, description: "the VPC" },
      publicSubnetIds: { secret: false, description: "one per zone" },
      privateSubnetIds: { secret: false, description: "one per zone" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-network")).vpc as ComponentFactory,
  },
  "aws/queue": {
    description:
      "An encrypted SQS queue with a dead-letter queue, redrive after maxReceiveCount failures, and an alarm when the dead-letter queue is not empty.",
    inputs: describeInputs(queueArgs),
    outputs: {
      url: { secret: false, description: "the queue URL" },
      arn: { secret: false, description: "the queue ARN" },
      name: { secret: false, description: "the queue name" },
      dlqArn: { secret: false, description: "the dead-letter queue ARN" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-services")).queue as ComponentFactory,
  },
  "aws/ecs-cluster": {
    description: "An ECS cluster with Container Insights, and an SNS topic for its alarms.",
    inputs: {},
    outputs: {
      name: { secret: false, description: "the cluster" },
      arn: { secret: false, description: "the cluster ARN" },
      alarmTopic: { secret: false, description: "the alarms' SNS topic" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-services")).cluster as ComponentFactory,
  },
  "aws/api-service": {
    description: "The API on Fargate behind an ALB, deployed blue/green by CodeDeploy with automatic rollback; X-Ray sidecar; 5xx and p90 latency alarms.",
    inputs: describeInputs(apiServiceArgs),
    outputs: {
      url: { secret: false, description: "http://<load balancer>" },
      service: { secret: false, description: "the ECS service" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-services")).apiService as ComponentFactory,
  },
  "aws/worker-service": {
    description: "Workers on Fargate with the deployment circuit breaker and rollback, autoscaled on queue depth; X-Ray sidecar; CPU and memory alarms.",
    inputs: describeInputs(workerServiceArgs),
    outputs: { service: { secret: false, description: "the ECS service" } },
    plugins: ["aws"],
    load: async () => (await implementation("aws-services")).workerService as ComponentFactory,
  },
  "aws/static-site": {
    description: "A private S3 bucket served over HTTPS by CloudFront through an origin access control.",
    inputs: {},
    outputs: {
      url: { secret: false, description: "https://<distribution>" },
      bucket: { secret: false, description: "the bucket to upload to" },
      distributionId: { secret: false, description: "for cache invalidations" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-static")).staticSite as ComponentFactory,
  },
  ...metaComponents,
};
