// The gke-web-app template (seeds 000 and 004), with Pulumi's mocks.
import type * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { isSecret, runTemplate, type Declared, type MockOptions } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "gke-web-app", "1.0.0.yaml"), "builtin");
const SIG = "4dabf18193072939515e22adb298388d";
let r: Awaited<ReturnType<typeof runTemplate>>;
const all = (type: string) => r.all(type);
const one = (type: string, name?: string): Declared => r.one(type, name);
let outputs: Record<string, pulumi.Output<unknown>>;
let values: Record<string, unknown>;
const unwrap = (v: any) => (v?.[SIG] ? v.value : v);

beforeAll(async () => {
  const mocks: MockOptions = {
    computed: {
      "gcp:container/cluster:Cluster": (n) => ({ name: n, endpoint: "34.1.2.3", masterAuth: { clusterCaCertificate: "Q0E=" } }),
      "gcp:sql/databaseInstance:DatabaseInstance": (n) => ({ name: `${n}-instance`, privateIpAddress: n.endsWith("replica") ? "10.30.0.6" : "10.30.0.5" }),
      "gcp:compute/router:Router": (n) => ({ name: `${n}-router` }),
      "gcp:compute/globalAddress:GlobalAddress": (n) => ({ name: `${n}-range` }),
    },
  };
  const config = {
    project: "acme-prod",
    region: "europe-west1",
    chart: "web",
    chartRepo: "oci://europe-docker.pkg.dev/acme/charts",
    chartVersion: "2.3.1",
    image: "europe-docker.pkg.dev/acme/web/server",
    tag: "2.3.1",
    domain: "acme.example",
    replicas: "3",
    maxReplicas: "12",
    dbTier: "db-custom-2-7680",
    dbAvailability: "REGIONAL",
    letsencryptEmail: "ops@acme.example",
    deletionProtection: "true",
  };
  r = await runTemplate(template.spec, "prod", config, mocks);
  ({ outputs, values } = r);
});

describe("gke-web-app: the network (seed 000)", () => {
  it("has a subnet with secondary ranges for pods and services, and private Google access", () => {
    const s = one("gcp:compute/subnetwork:Subnetwork").inputs;
    expect(s.secondaryIpRanges.map((r: { rangeName: string }) => r.rangeName)).toEqual(["pods", "services"]);
    expect(s.privateIpGoogleAccess).toBe(true);
    expect(one("gcp:compute/network:Network").inputs.autoCreateSubnetworks).toBe(false);
  });
  it("gives private nodes the internet through Cloud NAT, and Cloud SQL a private service peering", () => {
    expect(one("gcp:compute/routerNat:RouterNat").inputs).toMatchObject({
      router: "net-router",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    });
    expect(one("gcp:compute/globalAddress:GlobalAddress").inputs.purpose).toBe("VPC_PEERING");
    expect(one("gcp:servicenetworking/connection:Connection").inputs.reservedPeeringRanges).toEqual(["net-services-range"]);
  });
});

describe("gke-web-app: the cluster", () => {
  it("is GKE Autopilot with private nodes, workload identity and the pods/services ranges", () => {
    const c = one("gcp:container/cluster:Cluster").inputs;
    expect(c.enableAutopilot).toBe(true);
    expect(c.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(c.workloadIdentityConfig.workloadPool).toBe("acme-prod.svc.id.goog");
    expect(c.ipAllocationPolicy).toEqual({ clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
    expect(c.deletionProtection).toBe(true);
  });
  it("hands out its kubeconfig only as a secret, and every chart is installed with it", async () => {
    expect(await isSecret(outputs.kubeconfig!)).toBe(true);
    const kc = JSON.parse(values.kubeconfig as string);
    expect(kc.clusters[0].cluster.server).toBe("https://34.1.2.3");
    expect(kc.users[0].user.exec.command).toBe("gke-gcloud-auth-plugin");
    const providers = all("pulumi:providers:kubernetes");
    expect(providers.length).toBeGreaterThanOrEqual(3);
    for (const p of providers) expect(JSON.parse(unwrap(p.inputs.kubeconfig)).clusters[0].name).toBe("cluster");
  });
});

describe("gke-web-app: PostgreSQL (seed 004)", () => {
  it("has a primary with backups and point-in-time recovery on a private IP only", () => {
    const p = one("gcp:sql/databaseInstance:DatabaseInstance", "db").inputs;
    expect(p.settings.backupConfiguration).toMatchObject({ enabled: true, pointInTimeRecoveryEnabled: true });
    expect(p.settings.ipConfiguration).toMatchObject({ ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" });
    expect(p.settings).toMatchObject({ tier: "db-custom-2-7680", availabilityType: "REGIONAL" });
    expect(p.deletionProtection).toBe(true);
  });
  it("streams to a read replica", () => {
    const r = one("gcp:sql/databaseInstance:DatabaseInstance", "db-replica").inputs;
    expect(r.masterInstanceName).toBe("db-instance");
    expect(values.databaseReplicaHost).toBe("10.30.0.6");
  });
  it("keeps the app user's password and URL secret", async () => {
    expect(unwrap(one("gcp:sql/user:User").inputs.password)).toBe("mock-password");
    expect(one("gcp:sql/user:User").inputs.password[SIG]).toBeTruthy();
    const secret = one("kubernetes:core/v1:Secret").inputs.stringData;
    expect(secret[SIG]).toBeTruthy();
    expect(secret.value.DATABASE_URL).toBe("postgres://app:mock-password@10.30.0.5:5432/app?sslmode=require");
  });
});

describe("gke-web-app: on the cluster", () => {
  const rel = (name: string) => one("kubernetes:helm.sh/v3:Release", name).inputs;
  it("installs ingress-nginx and cert-manager from their official repositories at pinned versions", () => {
    expect(rel("ingress")).toMatchObject({ chart: "ingress-nginx", version: "4.11.3", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" } });
    expect(rel("ingress").values.controller).toMatchObject({ replicaCount: 2, minAvailable: 1 });
    expect(rel("certs")).toMatchObject({ chart: "cert-manager", version: "v1.16.1", repositoryOpts: { repo: "https://charts.jetstack.io" } });
    expect(rel("certs").values.crds.enabled).toBe(true);
  });
  it("issues certificates from Let's Encrypt through HTTP-01 on nginx", () => {
    const issuer = one("kubernetes:cert-manager.io/v1:ClusterIssuer").inputs;
    expect(issuer.spec.acme.email).toBe("ops@acme.example");
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: "nginx" } } }]);
  });
  it("installs the app's chart from the OCI registry given, with TLS ingress", () => {
    const app = rel("app");
    expect(app).toMatchObject({ chart: "oci://europe-docker.pkg.dev/acme/charts/web", version: "2.3.1", repositoryOpts: {} });
    expect(app.values.image).toEqual({ repository: "europe-docker.pkg.dev/acme/web/server", tag: "2.3.1" });
    expect(app.values.ingress.tls).toEqual([{ hosts: ["prod.acme.example"], secretName: "app-tls" }]);
    expect(app.values.ingress.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(app.values.envFrom).toEqual([{ secretRef: { name: "app-db" } }]);
  });
  it("autoscales the app and keeps a pod through disruptions", () => {
    expect(one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 12,
      scaleTargetRef: { kind: "Deployment", name: "app" },
    });
    expect(one("kubernetes:policy/v1:PodDisruptionBudget").inputs.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/instance": "app" } },
    });
  });
  it("promises its entrypoint and status endpoint", () => {
    expect(values.url).toBe("https://prod.acme.example");
    expect(values.health).toBe("https://prod.acme.example/healthz");
    expect(values.chartVersion).toBe("2.3.1");
  });
});
