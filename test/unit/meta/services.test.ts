// The meta environment's services (templates/meta, programs/meta/services)
// under Pulumi's mocks: what each declares against what issue 11 and seed 000
// ask. Every value is awaited, so no assertion can silently not run.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { PROJECT } from "../../../src/templates/program.js";
import { CLOUD_MOCKS, META_PARAMS } from "../../helpers/meta.js";
import { CHARTS, chartSource } from "../../../programs/meta/services/charts.js";
import { sealConfig } from "../../../programs/meta/services/vault.js";
import { applicationSetSpec, prefixPattern } from "../../../programs/meta/services/gitops.js";
import { isSecret, runTemplate, valueOf } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "meta", "1.0.0.yaml"), "builtin");
const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

async function run(config: Record<string, string>, location = "sandbox") {
  pulumi.runtime.setConfig("infra:location", location);
  // The GitHub token arrives as the engine hands a secret to a program.
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify([`${PROJECT}:githubToken`, `${PROJECT}:apiPassphrase`]);
  pulumi.runtime.setConfig("infra:locationKubeconfig", KUBECONFIG);
  const base = { ...META_PARAMS, githubToken: "ghp_meta_test_token", apiPassphrase: "meta-test-passphrase" };
  return runTemplate(template.spec, "meta", { ...base, ...config }, CLOUD_MOCKS);
}

let r: Awaited<ReturnType<typeof run>>;
/** A secret input as the mock monitor records it: wrapped with Pulumi's secret signature. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const secretValue = (x: any) => {
  expect(x?.[SECRET_SIG], "a secret").toBe("1b47061264138c4ac30d75fd1eb44270");
  return x.value;
};
const releases = () => r.all("kubernetes:helm.sh/v3:Release").map((d) => d.inputs);
const release = (chart: string) => releases().find((x) => x.chart === chart || String(x.chart).endsWith(`/${chart}`))!;

describe("the meta template on the sandbox, official chart sources", () => {
  beforeAll(async () => {
    r = await run({});
  });

  it("installs every service's official chart at its pinned version, atomically", () => {
    const charts = releases()
      .map((x) => String(x.chart).split("/").pop())
      .sort();
    expect(charts).toEqual(Object.keys(CHARTS).sort());
    for (const x of releases()) {
      const name = String(x.chart).split("/").pop()!;
      expect(x.version, name).toBe(CHARTS[name]!.version);
      expect(x.atomic).toBe(true);
    }
    expect(release("consul").repositoryOpts.repo).toBe("https://helm.releases.hashicorp.com");
    expect(release("rabbitmq").chart).toBe("oci://registry-1.docker.io/bitnamicharts/rabbitmq");
  });

  it("talks to the location's cluster, and keeps its kubeconfig secret", async () => {
    for (const p of r.all("pulumi:providers:kubernetes")) expect(secretValue(p.inputs.kubeconfig)).toBe(KUBECONFIG);
    expect(await isSecret(r.outputs.kubeconfig as pulumi.Output<unknown>)).toBe(true);
    expect(await isSecret(r.outputs.busUrl as pulumi.Output<unknown>)).toBe(true);
    expect(await isSecret(r.outputs.databaseUrl as pulumi.Output<unknown>)).toBe(true);
    expect(r.values.apiUrl).toBe("http://infra-api.infra.svc:7780");
  });

  it("the API runs as its image expects: uid 65532, read-only root, the passphrase a Secret mounted as a file", () => {
    const api = r.all("kubernetes:apps/v1:Deployment").find((d) => d.inputs.metadata.name === "infra-api")!.inputs;
    const pod = api.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe(META_PARAMS.apiImage);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.args).toEqual(["server", "--passphrase-file", "/run/secrets/infra/passphrase"]);
    expect(JSON.stringify(c.env ?? [])).not.toContain("meta-test-passphrase");
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual(["/run/secrets/infra", "/tmp", "/var/lib/infra"]);
    expect(pod.volumes.find((v: { name: string }) => v.name === "passphrase").secret.secretName).toBe("infra-passphrase");
    const secret = r.all("kubernetes:core/v1:Secret").find((d) => d.inputs.metadata.name === "infra-passphrase")!.inputs;
    expect(secretValue(secret.stringData).passphrase).toBe("meta-test-passphrase");
    expect(c.ports).toEqual([{ name: "http", containerPort: 7780 }]);
  });

  it("Consul: TLS from the meta CA, gossip encryption with a random key, ACLs, one server on the sandbox", () => {
    const v = release("consul").values;
    expect(v.global.tls).toMatchObject({ enabled: true, verify: true, httpsOnly: true, caCert: { secretName: "consul-ca" } });
    expect(v.global.acls.manageSystemACLs).toBe(true);
    expect(v.global.gossipEncryption).toEqual({ secretName: "consul-gossip", secretKey: "key" });
    expect(v.server).toMatchObject({ replicas: 1, bootstrapExpect: 1 });
    expect(r.one("random:index/randomBytes:RandomBytes").inputs.length).toBe(32);
    const gossip = r.all("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "consul-gossip")!;
    expect(secretValue(gossip.inputs.stringData)).toEqual({ key: "Z29zc2lwLWtleQ==" });
    expect(r.one("tls:index/selfSignedCert:SelfSignedCert").inputs.isCaCertificate).toBe(true);
  });

  it("Vault: HA on Raft, TLS on its listener, Shamir where the location has no KMS", () => {
    const v = release("vault").values;
    expect(v.server.ha).toMatchObject({ enabled: true, replicas: 1, raft: { enabled: true } });
    expect(v.server.ha.raft.config).toContain('storage "raft"');
    expect(v.server.ha.raft.config).toContain("tls_cert_file");
    expect(v.server.ha.raft.config).not.toContain("seal");
    expect(v.global.tlsDisable).toBe(false);
    expect(r.values.vaultSeal).toBe("shamir");
    expect(r.one("tls:index/locallySignedCert:LocallySignedCert").inputs.allowedUses).toContain("server_auth");
  });

  it("observability: the stack, Loki, a collector, the API probe and seed 000's alerts", () => {
    for (const c of ["kube-prometheus-stack", "loki", "opentelemetry-collector", "prometheus-blackbox-exporter"]) {
      expect(release(c), c).toMatchObject({ namespace: "monitoring", createNamespace: false, atomic: true, version: CHARTS[c]!.version });
    }
    const rules = r.all("kubernetes:monitoring.coreos.com/v1:PrometheusRule")[0]!.inputs.spec.groups[0].rules as { alert: string; for: string; expr: string }[];
    expect(rules.map((x) => x.alert)).toEqual(["ContainerCpuHigh", "ContainerMemoryHigh", "LatencyP90High", "Http5xxRateHigh", "ApiProbeFailing"]);
    expect(rules[0]).toMatchObject({ for: "10m" });
    expect(rules[0]!.expr).toContain("> 0.9");
    expect(rules[1]).toMatchObject({ for: "10m" });
    expect(rules[2]!.expr).toContain("histogram_quantile(0.9");
    const probe = r.all("kubernetes:monitoring.coreos.com/v1:Probe")[0]!.inputs;
    expect(probe.spec.targets.staticConfig.static).toEqual(["http://infra-api.infra.svc:7780/api/v1/health"]);
  });

  it("observability of infra itself: a ServiceMonitor on the API's /metrics, its alerts, traces to the collector", () => {
    const monitors = Object.fromEntries(r.all("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").map((m) => [m.inputs.metadata.name, m.inputs.spec]));
    expect(monitors["infra-api"]).toEqual({
      namespaceSelector: { matchNames: ["infra"] },
      selector: { matchLabels: { "app.kubernetes.io/name": "infra-api" } },
      endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
    });
    // ingress-nginx's metrics Service (its chart's controller.metrics): seed 000's latency and 5xx alerts get series.
    expect(release("ingress-nginx").values.controller.metrics.enabled).toBe(true);
    expect(monitors["ingress-nginx"]).toEqual({
      namespaceSelector: { matchNames: ["ingress-nginx"] },
      selector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } },
      endpoints: [{ port: "metrics", interval: "30s" }],
    });
    // The stack's Prometheus takes ServiceMonitors without its release label.
    expect(release("kube-prometheus-stack").values.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
    const api = r.all("kubernetes:monitoring.coreos.com/v1:PrometheusRule")[0]!.inputs.spec.groups[1];
    expect(api.name).toBe("infra-api");
    expect(api.rules.map((x: { alert: string }) => x.alert)).toEqual(["InfraOperationsFailing", "InfraApiDown", "InfraBusDisconnected"]);
    const d = r.all("kubernetes:apps/v1:Deployment").find((x) => x.inputs.metadata.name === "infra-api")!.inputs;
    expect(d.spec.template.spec.containers[0].env).toContainEqual({
      name: "OTEL_EXPORTER_OTLP_ENDPOINT",
      value: "http://opentelemetry-collector.monitoring.svc:4318",
    });
    // The Service the monitor selects names its port as the endpoint does.
    const svc = r.all("kubernetes:core/v1:Service").find((x) => x.inputs.metadata.name === "infra-api")!.inputs;
    expect(svc.metadata.labels).toMatchObject(monitors["infra-api"].selector.matchLabels);
    expect(svc.spec.ports.map((p: { name: string }) => p.name)).toContain("http");
  });

  it("ingress and certificates: nginx as the default class, cert-manager with its CRDs, a CA ClusterIssuer", () => {
    expect(release("ingress-nginx").values.controller.ingressClassResource).toEqual({ name: "nginx", default: true });
    expect(release("cert-manager").values.crds.enabled).toBe(true);
    const issuer = r.all("kubernetes:cert-manager.io/v1:ClusterIssuer").map((x) => x.inputs);
    expect(issuer).toHaveLength(1);
    expect(issuer[0]!.spec).toEqual({ ca: { secretName: "infra-meta-ca" } });
  });

  it("the API: replicas, probes, non-root, a PDB, wired to the bus and the database through a Secret", () => {
    const d = r.all("kubernetes:apps/v1:Deployment").find((x) => x.inputs.metadata.name === "infra-api")!.inputs;
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe("ghcr.io/infra/infra:1.0.0");
    expect(c.readinessProbe.httpGet.path).toBe("/api/v1/ready");
    expect(c.envFrom).toEqual([{ secretRef: { name: "infra-credentials" } }]);
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    const creds = secretValue(r.all("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "infra-credentials")!.inputs.stringData);
    expect(creds.INFRA_AMQP_URL).toMatch(/^amqp:\/\/infra:.+@rabbitmq\.infra\.svc:5672$/);
    expect(creds.INFRA_REGISTRY).toMatch(/^postgres:\/\/infra:.+@postgresql\.infra\.svc:5432\/infra$/);
    expect(r.all("kubernetes:policy/v1:PodDisruptionBudget").some((p) => p.inputs.metadata.name === "infra-api")).toBe(true);
  });

  it("GitOps: an ApplicationSet over the organisation's repositories with the prefix, seed 000's folder convention", () => {
    const spec = r.one("kubernetes:argoproj.io/v1alpha1:ApplicationSet").inputs.spec;
    const [scm, git] = spec.generators[0].matrix.generators;
    expect(scm.scmProvider.github.organization).toBe("acme");
    expect(scm.scmProvider.filters[0].repositoryMatch).toBe("^infra-");
    expect(git.git.directories[0].path).toBe("kubernetes/*/sandbox/local/*/*");
    expect(spec.template.spec.destination.namespace).toBe("{{ index .path.segments 5 }}");
    // The token the SCM generator names, made from GITHUB_TOKEN, kept secret.
    const token = r.all("kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === "github-token")!.inputs;
    expect(token.metadata.namespace).toBe("argocd");
    expect(secretValue(token.stringData).token).toBe("ghp_meta_test_token");
    expect(scm.scmProvider.github.tokenRef).toEqual({ secretName: "github-token", key: "token" });
  });
});

describe("the meta CA's ClusterIssuer", () => {
  it("is left out when asked (the sandbox, where cert-manager only simulates); cert-manager and the CA's Secret stay", async () => {
    const x = await run({ caIssuer: "false" });
    expect(x.all("kubernetes:cert-manager.io/v1:ClusterIssuer")).toEqual([]);
    expect(x.all("kubernetes:helm.sh/v3:Release").some((d) => String(d.inputs.chart).endsWith("cert-manager"))).toBe(true);
    expect(x.all("kubernetes:core/v1:Secret").some((d) => d.inputs.metadata.name === "infra-meta-ca")).toBe(true);
  });
});

describe("the API's store: shared, or embedded on its volume (the sandbox)", () => {
  const api = (x: Awaited<ReturnType<typeof run>>) => x.all("kubernetes:apps/v1:Deployment").find((d) => d.inputs.metadata.name === "infra-api")!.inputs;
  const HASH = "ab".repeat(32);

  it("embedded: SQLite and state on a claim, no bus, one replica replaced not rolled, on the real node; the token's hash registered", async () => {
    const x = await run({ apiStore: "embedded", apiTokenHash: HASH, apiRealNode: "true", apiReplicas: "3" });
    const d = api(x);
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(c.envFrom).toBeUndefined();
    expect(JSON.stringify(c.env)).not.toContain("INFRA_BACKEND");
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
    expect(pod.volumes.find((v: { name: string }) => v.name === "home")).toEqual({ name: "home", persistentVolumeClaim: { claimName: "infra-api-home" } });
    const claim = x.all("kubernetes:core/v1:PersistentVolumeClaim").find((v) => v.inputs.metadata.name === "infra-api-home")!.inputs;
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(c.args).toEqual([
      "server",
      "--passphrase-file",
      "/run/secrets/infra/passphrase",
      "--bootstrap-token-hash-file",
      "/run/secrets/infra/bootstrap-token.sha256",
    ]);
    const secret = x.all("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "infra-passphrase")!.inputs;
    expect(secretValue(secret.stringData)["bootstrap-token.sha256"]).toBe(HASH);
    expect(pod.nodeSelector).toEqual({ "infra.sandbox/real-node": "true" });
    expect(pod.tolerations).toEqual([{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }]);
    // A drain may take the one replica.
    expect(x.all("kubernetes:policy/v1:PodDisruptionBudget").find((p) => p.inputs.metadata.name === "infra-api")!.inputs.spec.minAvailable).toBe(0);
    expect(x.values.apiStore).toBe("registry SQLite and state on the API's volume, no bus");
  });

  it("shared with a bucket: PostgreSQL and RabbitMQ, the backend given, replicas as asked on no claim, no real node", async () => {
    const x = await run({ apiStore: "shared", apiBackend: "gs://acme-infra-state", apiReplicas: "3" });
    const d = api(x);
    const pod = d.spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: "infra-credentials" } }]);
    expect(pod.containers[0].env).toContainEqual({ name: "INFRA_BACKEND", value: "gs://acme-infra-state" });
    expect(pod.containers[0].args).toEqual(["server", "--passphrase-file", "/run/secrets/infra/passphrase"]);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.strategy).toBeUndefined();
    expect(pod.volumes.find((v: { name: string }) => v.name === "home")).toEqual({ name: "home", emptyDir: {} });
    expect(x.all("kubernetes:core/v1:PersistentVolumeClaim").some((v) => v.inputs.metadata.name === "infra-api-home")).toBe(false);
    expect(pod.nodeSelector).toBeUndefined();
    expect(x.values.apiStore).toBe("registry PostgreSQL, bus RabbitMQ, state gs://acme-infra-state");
  });
});

describe("switching services off, and chart overrides from the bootstrap file", () => {
  it("declares no release of a service switched off, and applies a version and values override", async () => {
    r = await run({
      consul: "false",
      gitops: "false",
      chartOverrides: JSON.stringify({ vault: { version: "0.30.0", values: { server: { ha: { replicas: 5 } } } } }),
    });
    expect(release("consul")).toBeUndefined();
    expect(release("argo-cd")).toBeUndefined();
    expect(release("vault").version).toBe("0.30.0");
    expect(release("vault").values.server.ha).toMatchObject({ replicas: 5, raft: { enabled: true } });
  });
});

describe("the meta template at a cloud location", () => {
  it("makes the cluster there, and Vault unseals with its KMS key", async () => {
    r = await run({}, "gcp:acme-prod/europe-west1");
    expect(r.one("gcp:container/cluster:Cluster").inputs.enableAutopilot).toBe(true);
    expect(r.values.vaultSeal).toBe("gcpckms");
    const v = release("vault").values;
    expect(v.server.ha.raft.config).toContain('seal "gcpckms"');
    expect(v.server.serviceAccount.annotations).toEqual({ "iam.gke.io/gcp-service-account": "meta-vault@acme-prod.iam.gserviceaccount.com" });
    const appset = r.one("kubernetes:argoproj.io/v1alpha1:ApplicationSet").inputs.spec;
    expect(appset.generators[0].matrix.generators[1].git.directories[0].path).toBe("kubernetes/*/gcp/europe-west1/*/*");
    // Three servers and replicas away from the laptop (the template's defaults).
    r = await run({ consulServers: "3", vaultReplicas: "3" }, "gcp:acme-prod/europe-west1");
    expect(release("consul").values.server).toMatchObject({ replicas: 3, disruptionBudget: { enabled: true, maxUnavailable: 1 } });
  });
});

describe("the API at a cloud location: infra's image pushed by digest to the registry the location makes, its state in a bucket", () => {
  const DIGEST = `sha256:${"c0ffee".repeat(10)}abcd`;
  const built = { apiImageLayout: "/home/alice/.infra/image/infra", apiImageDigest: DIGEST, apiStateOnVolume: "false", apiReplicas: "2" };
  const api = (x: Awaited<ReturnType<typeof run>>) => x.all("kubernetes:apps/v1:Deployment").find((d) => d.inputs.metadata.name === "infra-api")!.inputs;
  const pushOf = (x: Awaited<ReturnType<typeof run>>) => x.one("pulumi-nodejs:dynamic/infra:ImagePush").inputs;
  /** The bootstrap file's openstack: section, as clusterOptions carries it. */
  const OPENSTACK = {
    externalNetworkId: "0f9c3f2a-8a51-4bb8-b2d5-6c5e0c0a1b2c",
    image: "Ubuntu 24.04",
    flavor: "b3-8",
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb0ZmFrZWtleQ ann@box",
    adminCidr: "203.0.113.0/24",
  };

  it("gcp: Artifact Registry, a private versioned bucket, the push logged in with the user's token, workload identity", async () => {
    const x = await run(built, "gcp:acme-prod/europe-west1");
    const repo = x.one("gcp:artifactregistry/repository:Repository").inputs;
    expect(repo).toMatchObject({ project: "acme-prod", location: "europe-west1", format: "DOCKER" });
    const bucket = x.one("gcp:storage/bucket:Bucket").inputs;
    expect(bucket).toMatchObject({ uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", versioning: { enabled: true }, forceDestroy: false });
    const push = pushOf(x);
    const repository = `europe-west1-docker.pkg.dev/acme-prod/${repo.repositoryId}/infra`;
    expect(push).toMatchObject({ layout: built.apiImageLayout, digest: DIGEST, repository, image: `${repository}@${DIGEST}` });
    expect(secretValue(push.login)).toEqual({ username: "oauth2accesstoken", password: "ya29.user-access-token" });
    const d = api(x);
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe(`${repository}@${DIGEST}`);
    expect(c.env).toContainEqual({ name: "INFRA_BACKEND", value: `gs://${bucket.name}` });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.serviceAccountName).toBe("infra-api");
    expect(x.all("kubernetes:core/v1:PersistentVolumeClaim").some((v) => v.inputs.metadata.name === "infra-api-home")).toBe(false);
    const ksa = x.all("kubernetes:core/v1:ServiceAccount").find((a) => a.inputs.metadata.name === "infra-api")!.inputs;
    const gsa = x.all("gcp:serviceaccount/account:Account").find((a) => a.name.endsWith("-api"))!.inputs;
    expect(Object.keys(ksa.metadata.annotations)).toEqual(["iam.gke.io/gcp-service-account"]);
    expect(gsa.accountId).toMatch(/infra-api$/);
    expect(x.all("gcp:storage/bucketIAMMember:BucketIAMMember")[0]!.inputs.role).toBe("roles/storage.objectAdmin");
    expect(x.all("gcp:serviceaccount/iAMMember:IAMMember").map((m) => m.inputs.member)).toContain("serviceAccount:acme-prod.svc.id.goog[infra/infra-api]");
    expect(x.values.apiStore).toBe(`registry PostgreSQL, bus RabbitMQ, state gs://${bucket.name}`);
  });

  it("aws: ECR (immutable, scanned), a private encrypted versioned bucket, the push logged in with ECR's token, IRSA", async () => {
    const x = await run(built, "aws:eu-west-1");
    const repo = x.one("aws:ecr/repository:Repository").inputs;
    expect(repo).toMatchObject({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });
    expect(x.one("aws:s3/bucketVersioningV2:BucketVersioningV2").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(x.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
    const push = pushOf(x);
    const repository = `123.dkr.ecr.eu-west-1.amazonaws.com/${repo.name}`;
    expect(push).toMatchObject({ digest: DIGEST, repository, image: `${repository}@${DIGEST}` });
    expect(secretValue(push.login)).toEqual({ username: "AWS", password: "ecr-push-token" });
    const d = api(x);
    expect(d.spec.template.spec.containers[0].image).toBe(`${repository}@${DIGEST}`);
    expect(d.spec.template.spec.containers[0].env).toContainEqual({ name: "INFRA_BACKEND", value: "s3://infra-cluster-state-20261202?region=eu-west-1" });
    const ksa = x.all("kubernetes:core/v1:ServiceAccount").find((a) => a.inputs.metadata.name === "infra-api")!.inputs;
    const role = x.all("aws:iam/role:Role").find((r) => r.name.endsWith("-api"))!;
    expect(ksa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": `arn:aws:iam::123:role/${role.name}` });
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub"]).toBe(
      "system:serviceaccount:infra:infra-api",
    );
    const policy = JSON.parse(x.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-api-state"))!.inputs.policy);
    expect(policy.Statement[1]).toEqual({
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: "arn:aws:s3:::infra-cluster-state-20261202/*",
    });
  });

  it("a kubeconfig context with --registry: pushed there with docker login's login, by digest", async () => {
    const x = await run({ ...built, apiStateOnVolume: "true", apiRegistry: "registry.acme.internal:5000/platform" }, "kubernetes:prod");
    const push = pushOf(x);
    expect(push).toMatchObject({ repository: "registry.acme.internal:5000/platform/infra", digest: DIGEST });
    expect(secretValue(push.login)).toEqual({ username: "", password: "" });
    const d = api(x);
    expect(d.spec.template.spec.containers[0].image).toBe(`registry.acme.internal:5000/platform/infra@${DIGEST}`);
    // No bucket there: the state on the API's claim, one replica.
    expect(d.spec.replicas).toBe(1);
    expect(x.all("kubernetes:core/v1:PersistentVolumeClaim").some((v) => v.inputs.metadata.name === "infra-api-home")).toBe(true);
  });

  it("openstack: a protected Swift container through its S3 API, the project's EC2 credentials in a Secret, the image where --registry says", async () => {
    const options = { ...OPENSTACK, stateEndpoint: "https://s3.gra.io.cloud.ovh.net" };
    const x = await run({ ...built, apiRegistry: "registry.acme.internal/platform", clusterOptions: JSON.stringify(options) }, "openstack:ovh/GRA11");
    const container = x.one("openstack:objectstorage/container:Container");
    expect(container.inputs).toMatchObject({ name: "meta-infra-state", region: "GRA11", forceDestroy: false });
    expect(container.inputs.versioning).toBeUndefined();
    expect(x.one("openstack:identity/ec2CredentialV3:Ec2CredentialV3").inputs).toMatchObject({ region: "GRA11" });
    const secret = x.all("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "infra-state-credentials")!.inputs;
    expect(secretValue(secret.stringData)).toEqual({ AWS_ACCESS_KEY_ID: "ec2-access-id", AWS_SECRET_ACCESS_KEY: "ec2-secret-key" });
    const d = api(x);
    const c = d.spec.template.spec.containers[0];
    expect(c.env).toContainEqual({
      name: "INFRA_BACKEND",
      value: "s3://meta-infra-state?endpoint=https%3A%2F%2Fs3.gra.io.cloud.ovh.net&region=gra11&use_path_style=true",
    });
    expect(c.envFrom).toEqual([{ secretRef: { name: "infra-credentials" } }, { secretRef: { name: "infra-state-credentials" } }]);
    expect(d.spec.replicas).toBe(2);
    expect(x.all("kubernetes:core/v1:PersistentVolumeClaim").some((v) => v.inputs.metadata.name === "infra-api-home")).toBe(false);
    expect(pushOf(x)).toMatchObject({ repository: "registry.acme.internal/platform/infra", digest: DIGEST });
    // The keys appear in no plain input of any resource.
    expect(JSON.stringify(x.all("kubernetes:apps/v1:Deployment"))).not.toContain("ec2-secret-key");
  });

  it("openstack without an S3 endpoint: no container, the state on the API's claim", async () => {
    const options = OPENSTACK;
    const x = await run(
      { ...built, apiStateOnVolume: "true", apiRegistry: "registry.acme.internal/platform", clusterOptions: JSON.stringify(options) },
      "openstack:ovh/GRA11",
    );
    expect(x.all("openstack:objectstorage/container:Container")).toEqual([]);
    expect(x.all("kubernetes:core/v1:Secret").some((s) => s.inputs.metadata.name === "infra-state-credentials")).toBe(false);
    expect(api(x).spec.replicas).toBe(1);
    expect(api(x).spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "infra-credentials" } }]);
  });

  it("without an image built here, names the one given and pushes nothing", async () => {
    const x = await run({ apiStateOnVolume: "false" }, "gcp:acme-prod/europe-west1");
    expect(x.all("pulumi-nodejs:dynamic/infra:ImagePush")).toEqual([]);
    expect(api(x).spec.template.spec.containers[0].image).toBe(META_PARAMS.apiImage);
  });
});

describe("chart sources", () => {
  it("one mirror serves every chart by name and pinned version: https, oci:// or a folder", () => {
    expect(chartSource("vault", "https://charts.example.com/mirror")).toEqual({
      chart: "vault",
      version: "0.29.1",
      repositoryOpts: { repo: "https://charts.example.com/mirror" },
    });
    expect(chartSource("vault", "oci://registry.example.com/charts/")).toEqual({ chart: "oci://registry.example.com/charts/vault", version: "0.29.1" });
    const dir = mkdtempSync(join(tmpdir(), "infra-charts-"));
    mkdirSync(join(dir, "vault"));
    writeFileSync(join(dir, "consul-1.6.1.tgz"), "");
    expect(chartSource("vault", dir).chart).toBe(join(dir, "vault"));
    expect(chartSource("consul", `file://${dir}`).chart).toBe(join(dir, "consul-1.6.1.tgz"));
    expect(() => chartSource("loki", dir)).toThrow(`chart loki 6.18.0 is not in ${dir} (expected loki/ or loki-6.18.0.tgz there)`);
  });

  it("a repository prefix is matched literally", () => {
    expect(prefixPattern("infra.")).toBe("^infra\\.");
    expect(applicationSetSpec("acme", "svc-", "gcp", "europe-west1").generators[0]!.matrix.generators[1]!.git!.directories[0]!.path).toBe(
      "kubernetes/*/gcp/europe-west1/*/*",
    );
  });
});

describe("Vault's seal by location", () => {
  it("auto-unseals with GCP KMS or AWS KMS, binding the cloud identity to Vault's service account", async () => {
    const gcp = sealConfig({
      kind: "gcpckms",
      project: pulumi.output("acme-prod"),
      region: "europe-west1",
      keyRing: pulumi.output("meta"),
      cryptoKey: pulumi.output("vault"),
      serviceAccount: pulumi.output("vault@acme-prod.iam.gserviceaccount.com"),
    });
    expect(await valueOf(gcp.stanza)).toContain('seal "gcpckms"');
    expect(await valueOf(gcp.stanza)).toContain('crypto_key = "vault"');
    expect(await valueOf(gcp.annotations)).toEqual({ "iam.gke.io/gcp-service-account": "vault@acme-prod.iam.gserviceaccount.com" });
    const aws = sealConfig({ kind: "awskms", region: "eu-west-1", keyId: pulumi.output("k-1"), roleArn: pulumi.output("arn:aws:iam::1:role/vault") });
    expect(await valueOf(aws.stanza)).toContain('kms_key_id = "k-1"');
    expect(await valueOf(aws.annotations)).toEqual({ "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/vault" });
  });
});

describe("bootstrap's progress", () => {
  it("names the part of the meta environment a resource belongs to", async () => {
    const { sectionOf } = await import("../../../src/app/bootstrap.js");
    expect(sectionOf("urn:pulumi:meta::infra-env::infra:meta:Cluster::cluster")).toBe("cluster");
    expect(sectionOf("urn:pulumi:meta::infra-env::infra:meta:Authority$tls:index/privateKey:PrivateKey::ca-ca")).toBe("cluster");
    expect(sectionOf("urn:pulumi:meta::infra-env::infra:meta:Consul$kubernetes:helm.sh/v3:Release::consul")).toBe("platform services");
    expect(sectionOf("urn:pulumi:meta::infra-env::infra:meta:GitOps$kubernetes:argoproj.io/v1alpha1:ApplicationSet::gitops-apps")).toBe("GitOps");
    expect(sectionOf("urn:pulumi:meta::infra-env::pulumi:pulumi:Stack::infra-env-meta")).toBeUndefined();
  });
});
