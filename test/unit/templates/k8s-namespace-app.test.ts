// The k8s-namespace-app template, with Pulumi's mocks: what seed 000 asks of a
// production-ready app in a namespace.
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../../src/templates/program.js";
import { isSecret, runTemplate } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "k8s-namespace-app", "1.0.0.yaml"), "builtin");
const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

function run(config: Record<string, string>) {
  const base = {
    image: "ghcr.io/acme/web:1.4.2",
    port: "8080",
    replicas: "2",
    maxReplicas: "6",
    domain: "apps.example.com",
    postgres: "false",
    cluster: "meta",
  };
  return runTemplate(template.spec, "pr-7", { ...base, ...config }, { stackOutputs: { meta: { kubeconfig: KUBECONFIG } } });
}

let r: Awaited<ReturnType<typeof run>>;

describe("k8s-namespace-app without a database", () => {
  beforeEach(async () => {
    r = await run({});
  });

  it("talks to the meta environment's cluster through its kubeconfig", () => {
    expect(r.one("pulumi:pulumi:StackReference").inputs.name).toBe(`organization/${PROJECT}/meta`);
    const providers = r.declared.filter((d) => d.type === "pulumi:providers:kubernetes");
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) expect(p.inputs.kubeconfig).toBe(KUBECONFIG);
  });

  it("isolates the namespace: quota, default limits, ingress only from itself and the ingress controller", () => {
    expect(r.one("kubernetes:core/v1:Namespace").inputs.metadata.name).toBe("pr-7");
    expect(r.one("kubernetes:core/v1:ResourceQuota").inputs.spec.hard).toMatchObject({ "limits.cpu": "4", "limits.memory": "8Gi", pods: "50" });
    expect(r.one("kubernetes:core/v1:LimitRange").inputs.spec.limits[0]).toMatchObject({ type: "Container", default: { cpu: "500m" } });
    const np = r.one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs.spec;
    expect(np.podSelector).toEqual({});
    expect(np.policyTypes).toEqual(["Ingress"]);
    expect(np.ingress[0].from).toEqual([{ podSelector: {} }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
  });

  it("runs the app with replicas, probes, resources and a locked-down security context", () => {
    const d = r.one("kubernetes:apps/v1:Deployment").inputs;
    expect(d.metadata.namespace).toBe("pr-7");
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe("ghcr.io/acme/web:1.4.2");
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080 }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
    expect(c.resources.limits.cpu).toBe("500m");
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("exposes it through a Service and an Ingress with TLS from cert-manager", () => {
    expect(r.one("kubernetes:core/v1:Service").inputs.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http" }]);
    const ing = r.one("kubernetes:networking.k8s.io/v1:Ingress").inputs;
    expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.spec.tls).toEqual([{ hosts: ["pr-7.apps.example.com"], secretName: "app-tls" }]);
    expect(ing.spec.rules[0].host).toBe("pr-7.apps.example.com");
    expect(ing.spec.rules[0].http.paths[0].backend.service.name).toBe("app");
  });

  it("autoscales on CPU and keeps a pod through disruptions", () => {
    const hpa = r.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec;
    expect(hpa).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: "Deployment", name: "app" } });
    expect(hpa.metrics[0].resource).toEqual({ name: "cpu", target: { type: "Utilization", averageUtilization: 70 } });
    const pdb = r.one("kubernetes:policy/v1:PodDisruptionBudget").inputs.spec;
    expect(pdb.minAvailable).toBe(1);
    expect(pdb.selector.matchLabels).toEqual(r.one("kubernetes:apps/v1:Deployment").inputs.spec.selector.matchLabels);
  });

  it("declares no database, and promises its entrypoint and status endpoint", () => {
    expect(r.declared.some((d) => d.type.includes("StatefulSet") || d.type.includes("RandomPassword"))).toBe(false);
    expect(r.values.url).toBe("https://pr-7.apps.example.com");
    expect(r.values.health).toBe("https://pr-7.apps.example.com/healthz");
    expect(r.values.namespace).toBe("pr-7");
    expect(r.values.databaseUrl).toBeUndefined();
    // Not exported at all: an undefined output makes the engine warn "Undefined value" on every run.
    expect(Object.keys(r.outputs)).not.toContain("databaseUrl");
  });
});

describe("k8s-namespace-app with PostgreSQL", () => {
  beforeEach(async () => {
    r = await run({ postgres: "true", replicas: "3", maxReplicas: "9" });
  });

  it("adds PostgreSQL with a volume, a readiness check and generated credentials in a Secret", async () => {
    const sts = r.one("kubernetes:apps/v1:StatefulSet").inputs.spec;
    expect(sts.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("1Gi");
    expect(sts.template.spec.containers[0].image).toBe("postgres:16");
    expect(sts.template.spec.containers[0].readinessProbe.exec.command).toEqual(["pg_isready", "-U", "app"]);
    expect(r.one("random:index/randomPassword:RandomPassword")).toBeTruthy();
    // The whole of stringData reaches the engine as a secret.
    const data = r.one("kubernetes:core/v1:Secret").inputs.stringData;
    expect(data["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
    expect(data.value).toMatchObject({ POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: "mock-password" });
    expect(await isSecret(r.outputs.databaseUrl!)).toBe(true);
    expect(r.values.databaseUrl).toBe("postgres://app:mock-password@db.pr-7.svc.cluster.local:5432/app");
  });

  it("follows the replica parameters", () => {
    expect(r.one("kubernetes:apps/v1:Deployment").inputs.spec.replicas).toBe(3);
    expect(r.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
  });
});

describe("k8s-namespace-app 1.2.0 on the sandbox's real node", () => {
  const v12 = loadTemplateFile(join(packageRoot(), "templates", "k8s-namespace-app", "1.2.0.yaml"), "builtin");
  const runV12 = (realNode: string) => {
    pulumi.runtime.setConfig("infra:locationKubeconfig", KUBECONFIG);
    return runTemplate(v12.spec, "shop", {
      image: "ghcr.io/acme/web:1",
      port: "8080",
      replicas: "1",
      maxReplicas: "2",
      domain: "apps.example.com",
      postgres: "false",
      realNode,
    });
  };

  it("asks for the real node (its label, its taint tolerated) only when realNode is true", async () => {
    const on = (await runV12("true")).one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
    expect(on.nodeSelector).toEqual({ "infra.sandbox/real-node": "true" });
    expect(on.tolerations).toEqual([{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }]);
    const off = (await runV12("false")).one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
    expect(off.nodeSelector).toBeUndefined();
    expect(off.tolerations).toBeUndefined();
  });
});
