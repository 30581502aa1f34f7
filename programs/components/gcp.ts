// GCP components, after seeds 000 and 004: a VPC with secondary ranges for
// pods and services and Cloud NAT, GKE Autopilot with private nodes and
// workload identity, Cloud SQL PostgreSQL with backups and a streaming read
// replica on a private IP. Credentials: the user's Application Default
// Credentials, as for gcloud and Terraform.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { cloudSqlPostgresArgs, gkeAutopilotArgs, networkArgs } from "./gcp.args.js";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const network: ComponentFactory = (name, inputs) => {
  const a = withDefaults(networkArgs, inputs);
  const parent = new Group("infra:gcp:Network", name);
  const opts = { parent };
  const region = a.region;
  const project = a.project;
  const vpc = new gcp.compute.Network(name, { project, autoCreateSubnetworks: false, routingMode: "REGIONAL" }, opts);
  const subnet = new gcp.compute.Subnetwork(
    name,
    {
      project,
      region,
      network: vpc.id,
      ipCidrRange: a.cidr,
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: a.podsCidr },
        { rangeName: "services", ipCidrRange: a.servicesCidr },
      ],
    },
    opts,
  );
  // Private nodes reach the internet (images, APIs) through Cloud NAT.
  const router = new gcp.compute.Router(name, { project, region, network: vpc.id }, opts);
  new gcp.compute.RouterNat(
    name,
    {
      project,
      region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    opts,
  );
  // Private service access, for Cloud SQL on a private IP.
  const range = new gcp.compute.GlobalAddress(
    `${name}-services`,
    {
      project,
      network: vpc.id,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      prefixLength: 20,
    },
    opts,
  );
  const peering = new gcp.servicenetworking.Connection(
    name,
    {
      network: vpc.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
    },
    opts,
  );
  parent.finish({ network: vpc.id });
  return { network: vpc.id, subnet: subnet.id, peering: peering.id };
};

export const gkeAutopilot: ComponentFactory = (name, inputs) => {
  const a = withDefaults(gkeAutopilotArgs, inputs);
  const parent = new Group("infra:gcp:GkeAutopilot", name);
  const project = a.project;
  const cluster = new gcp.container.Cluster(
    name,
    {
      project,
      location: a.region,
      enableAutopilot: true,
      network: a.network,
      subnetwork: a.subnet,
      ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: a.masterCidr },
      releaseChannel: { channel: a.releaseChannel },
      workloadIdentityConfig: { workloadPool: pulumi.interpolate`${project}.svc.id.goog` },
      // An ephemeral environment must be destroyable; a long-lived one sets this.
      deletionProtection: a.deletionProtection,
    },
    { parent },
  );
  const kubeconfig = pulumi.secret(
    pulumi.all([cluster.name, cluster.endpoint, cluster.masterAuth]).apply(([n, endpoint, auth]) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: n, cluster: { server: `https://${endpoint}`, "certificate-authority-data": auth.clusterCaCertificate } }],
        contexts: [{ name: n, context: { cluster: n, user: n } }],
        "current-context": n,
        users: [
          { name: n, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin", provideClusterInfo: true } } },
        ],
      }),
    ),
  );
  parent.finish({ name: cluster.name });
  return { name: cluster.name, endpoint: cluster.endpoint, kubeconfig };
};

export const cloudSqlPostgres: ComponentFactory = (name, inputs) => {
  const a = withDefaults(cloudSqlPostgresArgs, inputs);
  const parent = new Group("infra:gcp:CloudSqlPostgres", name);
  const opts = { parent };
  const project = a.project;
  const region = a.region;
  // A private IP needs the service peering first: depend on it through the data.
  const privateNetwork = pulumi.all([a.network, a.peering]).apply(([n]) => n as string);
  const ip = { ipv4Enabled: false, privateNetwork, sslMode: "ENCRYPTED_ONLY" };
  const primary = new gcp.sql.DatabaseInstance(
    name,
    {
      project,
      region,
      databaseVersion: a.version,
      deletionProtection: a.deletionProtection,
      settings: {
        tier: a.tier,
        availabilityType: a.availability,
        ipConfiguration: ip,
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          startTime: "02:00",
          backupRetentionSettings: { retainedBackups: a.backupsKept },
        },
        insightsConfig: { queryInsightsEnabled: true },
      },
    },
    opts,
  );
  // Seed 004's streaming read replica.
  const replica = new gcp.sql.DatabaseInstance(
    `${name}-replica`,
    {
      project,
      region,
      databaseVersion: a.version,
      masterInstanceName: primary.name,
      deletionProtection: a.deletionProtection,
      replicaConfiguration: { failoverTarget: false },
      settings: { tier: a.tier, ipConfiguration: ip },
    },
    opts,
  );
  const db = new gcp.sql.Database(name, { project, instance: primary.name, name: "app" }, opts);
  const password = pulumi.secret(a.password);
  new gcp.sql.User(name, { project, instance: primary.name, name: "app", password }, opts);
  const host = primary.privateIpAddress;
  parent.finish({ host });
  return {
    host,
    replicaHost: replica.privateIpAddress,
    url: pulumi.secret(pulumi.interpolate`postgres://app:${password}@${host}:5432/${db.name}?sslmode=require`),
  };
};
