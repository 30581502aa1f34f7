// The components templates can use, by id. This file imports no @pulumi/*
// package: `infra template list|show` read it without loading the engine;
// `load` brings in the implementation only when a program runs.
import type { ComponentFactory } from "./types.js";

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

export interface InputInfo {
  required: boolean;
  description: string;
  /** Text the template must write as is: no expressions (a command, which a shell runs). */
  literal?: boolean;
  /** A map of names to values (environment variables). */
  map?: boolean;
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

const cluster = { kubeconfig: { required: true, description: "the cluster (meta/cluster's kubeconfig)" } };
const chartInputs = {
  charts: { required: false, description: "one mirror for every chart: https URL, oci://… or a folder" },
  overrides: { required: false, description: "chart versions and values by chart name (JSON, from the bootstrap file)" },
};
const services = async () => implementation("../meta/services/index");

/** The meta environment's parts (templates/meta). */
const metaComponents: Record<string, ComponentInfo> = {
  "meta/cluster": {
    description:
      "The meta environment's cluster from its location: the sandbox's, a kubeconfig context's, or one made on GCP (GKE Autopilot), AWS (EKS) or OpenStack (k3s).",
    inputs: { options: { required: false, description: "OpenStack's options (JSON: externalNetworkId, image, flavor, sshPublicKey, adminCidr)" } },
    outputs: {
      kubeconfig: { secret: true, description: "admin kubeconfig" },
      endpoint: { secret: false, description: "where the cluster is" },
      unseal: { secret: false, description: "the KMS key Vault unseals with, if the cloud has one" },
      cloud: { secret: false, description: "the location kind (sandbox, kubernetes, gcp, aws, openstack)" },
      region: { secret: false, description: "the region (local for sandbox and kubernetes)" },
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
    inputs: {
      ...cluster,
      ...chartInputs,
      caCert: { required: true, description: "CA certificate" },
      caKey: { required: true, description: "CA key" },
      servers: { required: false, description: "server count (default 3)" },
    },
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
    inputs: {
      ...cluster,
      ...chartInputs,
      caCert: { required: true, description: "CA certificate" },
      caKey: { required: true, description: "CA key" },
      unseal: { required: false, description: "meta/cluster's unseal" },
      replicas: { required: false, description: "replicas (default 3)" },
    },
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
    inputs: {
      ...cluster,
      ...chartInputs,
      latencySeconds: { required: false, description: "p90 latency alert threshold (default 1 s)" },
      apiHealthUrl: { required: false, description: "the URL the synthetic probe checks" },
    },
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
    inputs: {
      ...cluster,
      ...chartInputs,
      caCert: { required: true, description: "CA certificate" },
      caKey: { required: true, description: "CA key" },
      replicas: { required: false, description: "controller replicas (default 2)" },
      acmeEmail: { required: false, description: "Let's Encrypt account email" },
    },
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
    description: "The event bus (RabbitMQ), the registry database (PostgreSQL) and the infra API's Deployment and Service wired to both.",
    inputs: {
      ...cluster,
      ...chartInputs,
      apiImage: { required: false, description: "the infra API image" },
      apiReplicas: { required: false, description: "API replicas (default 2)" },
    },
    outputs: {
      apiUrl: { secret: false, description: "the API inside the cluster" },
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
    inputs: {
      ...cluster,
      ...chartInputs,
      organisation: { required: true, description: "GitHub organisation" },
      prefix: { required: false, description: "repository prefix (default infra-)" },
      cloud: { required: false, description: "this cluster's cloud" },
      region: { required: false, description: "this cluster's region" },
    },
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
    inputs: {
      length: { required: false, description: "number of words (default 2)" },
      prefix: { required: false, description: "a prefix for the name" },
    },
    outputs: { id: { secret: false, description: "the name" } },
    plugins: ["random"],
    load: async () => (await implementation("random")).pet as ComponentFactory,
  },
  "random/password": {
    description: "A random password, kept secret.",
    inputs: {
      length: { required: false, description: "number of characters (default 24)" },
      special: { required: false, description: "include special characters (default false)" },
    },
    outputs: { result: { secret: true, description: "the password" } },
    plugins: ["random"],
    load: async () => (await implementation("random")).password as ComponentFactory,
  },
  "tls/self-signed-cert": {
    description: "An ECDSA P-256 private key and a self-signed certificate for it.",
    inputs: {
      commonName: { required: true, description: "the certificate's common name" },
      dnsNames: { required: false, description: "subject alternative DNS names" },
      validityHours: { required: false, description: "validity in hours (default 720)" },
      isCa: { required: false, description: "make it a CA certificate (default false)" },
    },
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
    inputs: {
      create: {
        required: true,
        literal: true,
        description: "the command run on create (and on update when there is no update command); no expressions: read values from environment",
      },
      update: { required: false, literal: true, description: "the command run on update" },
      delete: { required: false, literal: true, description: "the command run on delete" },
      environment: {
        required: false,
        map: true,
        description:
          "variables the command sees (NAME: value, expressions allowed); the command sees no other variable of infra's but PATH, HOME, LANG and TMPDIR",
      },
      triggers: { required: false, description: "values whose change replaces the command (runs delete, then create)" },
    },
    outputs: {
      stdout: { secret: false, description: "what the last run printed" },
      stderr: { secret: false, description: "what the last run printed on stderr" },
    },
    plugins: ["command"],
    load: async () => (await implementation("command")).local as ComponentFactory,
  },
  "kubernetes/namespace": {
    description: "A namespace with a resource quota, default container limits, and a network policy that denies ingress from other namespaces.",
    inputs: {
      name: { required: false, description: "the namespace's name (default: the component's)" },
      cpu: { required: false, description: "CPU quota (default 4)" },
      memory: { required: false, description: "memory quota (default 8Gi)" },
      pods: { required: false, description: "pod quota (default 50)" },
      ingressNamespace: { required: false, description: "the ingress controller's namespace, allowed in (default ingress-nginx)" },
      kubeconfig: { required: false, description: "the cluster (default: the ambient kubeconfig)" },
    },
    outputs: { name: { secret: false, description: "the namespace" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).namespace as ComponentFactory,
  },
  "kubernetes/web-app": {
    description: "A Deployment with probes and a hardened security context, a Service, an Ingress with TLS from cert-manager, an HPA and a PDB.",
    inputs: {
      namespace: { required: true, description: "where it runs" },
      image: { required: true, description: "the container image" },
      host: { required: true, description: "the Ingress host" },
      port: { required: false, description: "the container port (default 8080)" },
      replicas: { required: false, description: "replicas, and the HPA's minimum (default 2)" },
      maxReplicas: { required: false, description: "the HPA's maximum (default 6)" },
      cpuTarget: { required: false, description: "the HPA's CPU utilisation target, % (default 70)" },
      cpu: { required: false, description: "CPU request (default 100m)" },
      cpuLimit: { required: false, description: "CPU limit (default 500m)" },
      memory: { required: false, description: "memory request and limit (default 128Mi)" },
      healthPath: { required: false, description: "the readiness and liveness path (default /healthz)" },
      tlsIssuer: { required: false, description: "cert-manager ClusterIssuer (default letsencrypt)" },
      ingressClass: { required: false, description: "IngressClass (default nginx)" },
      env: { required: false, description: "environment variables" },
      kubeconfig: { required: false, description: "the cluster (default: the ambient kubeconfig)" },
    },
    outputs: {
      url: { secret: false, description: "https://<host>" },
      service: { secret: false, description: "the Service's name" },
    },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).webApp as ComponentFactory,
  },
  "kubernetes/postgres": {
    description: "PostgreSQL as a StatefulSet with a volume, a Service and its credentials in a Secret.",
    inputs: {
      namespace: { required: true, description: "where it runs" },
      password: { required: true, description: "the app user's password (secret)" },
      version: { required: false, description: "PostgreSQL major version (default 16)" },
      storage: { required: false, description: "volume size (default 1Gi)" },
      kubeconfig: { required: false, description: "the cluster (default: the ambient kubeconfig)" },
    },
    outputs: {
      host: { secret: false, description: "the Service's cluster DNS name" },
      url: { secret: true, description: "postgres://… with the password" },
    },
    plugins: ["kubernetes"],
    load: async () => (await implementation("kubernetes")).postgres as ComponentFactory,
  },
  "openstack/network": {
    description: "A private network and subnet, routed to the external network.",
    inputs: {
      externalNetworkId: { required: true, description: "the external network's id (for the router's gateway)" },
      cidr: { required: false, description: "the subnet (default 10.20.0.0/24)" },
    },
    outputs: {
      networkId: { secret: false, description: "the network" },
      subnetId: { secret: false, description: "the subnet" },
    },
    plugins: ["openstack"],
    load: async () => (await implementation("openstack")).network as ComponentFactory,
  },
  "openstack/compose-vm": {
    description:
      "A VM booted from a volume whose cloud-init installs Docker and runs a compose file; a security group (ssh from an admin range, http, https), a keypair, a floating IP; optional log shipping with Filebeat.",
    inputs: {
      networkId: { required: true, description: "the network" },
      subnetId: { required: true, description: "the subnet" },
      sshPublicKey: { required: true, description: "the admin's public key" },
      compose: { required: true, description: "the docker-compose.yml to run" },
      adminCidr: { required: true, description: "who may reach port 22" },
      flavor: { required: false, description: "the VM size (default b2-7)" },
      image: { required: false, description: "the image name (default Debian 12)" },
      volumeSize: { required: false, description: "the boot volume, GB (default 20)" },
      externalNetwork: { required: false, description: "the floating IP pool (default Ext-Net)" },
      logEndpoint: { required: false, description: "host:port of a Logstash/Beats endpoint; no shipping when empty" },
      logToken: { required: false, description: "the log platform's token (secret)" },
    },
    outputs: {
      address: { secret: false, description: "the floating IP" },
      instanceId: { secret: false, description: "the VM" },
    },
    plugins: ["openstack"],
    load: async () => (await implementation("openstack")).composeVm as ComponentFactory,
  },
  "openstack/swift-container": {
    description: "A private, versioned Swift object container.",
    inputs: {
      name: { required: false, description: "its name (default: the component's)" },
      versioning: { required: false, description: "keep object versions (default true)" },
    },
    outputs: { name: { secret: false, description: "the container" } },
    plugins: ["openstack"],
    load: async () => (await implementation("openstack")).swiftContainer as ComponentFactory,
  },
  "gcp/network": {
    description: "A VPC with a subnet and secondary ranges for pods and services, Cloud NAT, and private service access.",
    inputs: {
      project: { required: true, description: "the GCP project" },
      region: { required: false, description: "the region (default europe-west1)" },
      cidr: { required: false, description: "the subnet (default 10.10.0.0/20)" },
      podsCidr: { required: false, description: "the pods range (default 10.64.0.0/14)" },
      servicesCidr: { required: false, description: "the services range (default 10.68.0.0/20)" },
    },
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
    inputs: {
      project: { required: true, description: "the GCP project" },
      network: { required: true, description: "the VPC" },
      subnet: { required: true, description: "the subnet (with pods and services ranges)" },
      region: { required: false, description: "the region (default europe-west1)" },
      masterCidr: { required: false, description: "the control plane range (default 172.16.0.32/28)" },
      releaseChannel: { required: false, description: "RAPID, REGULAR or STABLE (default REGULAR)" },
      deletionProtection: { required: false, description: "refuse deletion (default false)" },
    },
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
    inputs: {
      project: { required: true, description: "the GCP project" },
      network: { required: true, description: "the VPC" },
      peering: { required: true, description: "the private service access connection" },
      password: { required: true, description: "the app user's password (secret)" },
      region: { required: false, description: "the region (default europe-west1)" },
      version: { required: false, description: "POSTGRES_16 by default" },
      tier: { required: false, description: "machine tier (default db-custom-1-3840)" },
      availability: { required: false, description: "ZONAL or REGIONAL (default ZONAL)" },
      backupsKept: { required: false, description: "daily backups kept (default 7)" },
      deletionProtection: { required: false, description: "refuse deletion (default false)" },
    },
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
    inputs: {
      repo: { required: false, description: "chart source: https repository, oci:// registry or local folder" },
      version: { required: false, description: "chart version (default 4.11.3)" },
      kubeconfig: { required: false, description: "the cluster" },
    },
    outputs: { release: { secret: false, description: "the release" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).ingressNginx as ComponentFactory,
  },
  "helm/cert-manager": {
    description: "cert-manager with its CRDs and a Let's Encrypt ClusterIssuer (HTTP-01 through nginx).",
    inputs: {
      email: { required: true, description: "the ACME account's email" },
      acmeServer: { required: false, description: "the ACME directory (default Let's Encrypt production)" },
      repo: { required: false, description: "chart source: https repository, oci:// registry or local folder" },
      version: { required: false, description: "chart version (default v1.16.1)" },
      kubeconfig: { required: false, description: "the cluster" },
    },
    outputs: { issuer: { secret: false, description: "the ClusterIssuer" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).certManager as ComponentFactory,
  },
  "helm/app": {
    description: "The application's chart, with TLS ingress, its database URL in a Secret, an HPA and a PDB.",
    inputs: {
      chart: { required: true, description: "the chart's name" },
      repo: { required: true, description: "chart source: https repository, oci:// registry or local folder" },
      version: { required: true, description: "the chart version" },
      image: { required: true, description: "the image repository" },
      host: { required: true, description: "the ingress host" },
      tag: { required: false, description: "the image tag (default latest)" },
      namespace: { required: false, description: "namespace (default app)" },
      replicas: { required: false, description: "replicas and the HPA's minimum (default 2)" },
      maxReplicas: { required: false, description: "the HPA's maximum (default 6)" },
      databaseUrl: { required: false, description: "postgres://… (secret), given to the app as DATABASE_URL" },
      kubeconfig: { required: false, description: "the cluster" },
    },
    outputs: { url: { secret: false, description: "https://<host>" }, version: { secret: false, description: "the chart version" } },
    plugins: ["kubernetes"],
    load: async () => (await implementation("helm")).appChart as ComponentFactory,
  },
  "aws/vpc": {
    description: "A VPC over 2 or more availability zones: public subnets, private subnets behind one NAT gateway per zone.",
    inputs: {
      azCount: { required: false, description: "availability zones (default 2)" },
      cidr: { required: false, description: "the VPC's /16 (default 10.0.0.0/16)" },
    },
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
    inputs: {
      maxReceiveCount: { required: false, description: "tries before a task goes to the dead-letter queue (default 5)" },
      visibilityTimeout: { required: false, description: "seconds a task is hidden while it runs (default 60)" },
      alarmTopic: { required: false, description: "SNS topic for alarms" },
    },
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
    inputs: {
      cluster: { required: true, description: "the ECS cluster" },
      vpcId: { required: true, description: "the VPC" },
      publicSubnetIds: { required: true, description: "for the load balancer" },
      privateSubnetIds: { required: true, description: "for the tasks" },
      image: { required: true, description: "the API image" },
      queueUrl: { required: true, description: "where it sends tasks" },
      queueArn: { required: true, description: "the queue it may send to" },
      desiredCount: { required: false, description: "tasks (default 2)" },
      cpu: { required: false, description: "task CPU units (default 256)" },
      memory: { required: false, description: "task memory MiB (default 512)" },
      healthPath: { required: false, description: "target group health check (default /healthz)" },
      max5xxPerMinute: { required: false, description: "5xx alarm threshold (default 5)" },
      p90Seconds: { required: false, description: "p90 latency alarm threshold (default 1)" },
      alarmTopic: { required: false, description: "SNS topic for alarms" },
    },
    outputs: {
      url: { secret: false, description: "http://<load balancer>" },
      service: { secret: false, description: "the ECS service" },
    },
    plugins: ["aws"],
    load: async () => (await implementation("aws-services")).apiService as ComponentFactory,
  },
  "aws/worker-service": {
    description: "Workers on Fargate with the deployment circuit breaker and rollback, autoscaled on queue depth; X-Ray sidecar; CPU and memory alarms.",
    inputs: {
      cluster: { required: true, description: "the ECS cluster" },
      vpcId: { required: true, description: "the VPC" },
      privateSubnetIds: { required: true, description: "for the tasks" },
      image: { required: true, description: "the worker image" },
      queueUrl: { required: true, description: "where tasks come from" },
      queueArn: { required: true, description: "the queue it may consume" },
      queueName: { required: true, description: "the queue, for the scaling metric" },
      minWorkers: { required: false, description: "default 1" },
      maxWorkers: { required: false, description: "default 10" },
      messagesPerWorker: { required: false, description: "visible messages per task the autoscaler aims at (default 10)" },
      cpu: { required: false, description: "task CPU units (default 256)" },
      memory: { required: false, description: "task memory MiB (default 512)" },
      alarmTopic: { required: false, description: "SNS topic for alarms" },
    },
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
