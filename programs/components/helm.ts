// Helm charts by name and pinned version, each source overridable for
// air-gapped sites through the `repo` input: an https repository (default, the
// chart's official one), an OCI registry (oci://…), or a local folder.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartFrom } from "./chart-source.js";
import { withDefaults } from "./args.js";
import { appChartArgs, certManagerArgs, ingressNginxArgs } from "./helm.args.js";
import { Group } from "./group.js";
import { atomicRelease } from "./helm-release.js";
import { kubeOptions } from "./kube-provider.js";
import type { ComponentFactory } from "./types.js";

function release(
  name: string,
  from: { repo: pulumi.Input<string>; version: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
  chart: pulumi.Input<string>,
  namespace: pulumi.Input<string>,
  values: pulumi.Input<Record<string, unknown>>,
) {
  const source = pulumi.all([from.repo, chart, from.version]).apply(([repo, c, v]) => chartFrom(repo, c, v));
  return atomicRelease(name, { source, namespace, createNamespace: true, values }, opts);
}

export const ingressNginx: ComponentFactory = (name, inputs) => {
  const a = withDefaults(ingressNginxArgs, inputs);
  const parent = new Group("infra:helm:IngressNginx", name);
  const r = release(name, a, kubeOptions(name, a, parent), "ingress-nginx", "ingress-nginx", {
    controller: {
      replicaCount: 2,
      minAvailable: 1,
      metrics: { enabled: true },
      service: { externalTrafficPolicy: "Local" },
    },
  });
  parent.finish({ release: r.name });
  return { release: r.name, version: r.version };
};

export const certManager: ComponentFactory = (name, inputs) => {
  const a = withDefaults(certManagerArgs, inputs);
  const parent = new Group("infra:helm:CertManager", name);
  const opts = kubeOptions(name, a, parent);
  const r = release(name, a, opts, "cert-manager", "cert-manager", { crds: { enabled: true } });
  // Let's Encrypt through HTTP-01 on the nginx ingress class.
  const issuer = new k8s.apiextensions.CustomResource(
    `${name}-letsencrypt`,
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "letsencrypt" },
      spec: {
        acme: {
          server: a.acmeServer,
          email: a.email,
          privateKeySecretRef: { name: "letsencrypt-account" },
          solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
        },
      },
    },
    { ...opts, dependsOn: [r] },
  );
  parent.finish({ issuer: issuer.metadata.name });
  return { issuer: issuer.metadata.name, version: r.version };
};

/** The application's own chart, with its database URL in a Secret, an HPA and a PDB around its Deployment. */
export const appChart: ComponentFactory = (name, inputs) => {
  const a = withDefaults(appChartArgs, inputs);
  const parent = new Group("infra:helm:AppChart", name);
  const ns = a.namespace;
  const popts = kubeOptions(name, a, parent);
  const nsObj = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: ns } }, popts);
  const dbSecret =
    a.databaseUrl === undefined
      ? undefined
      : new k8s.core.v1.Secret(
          `${name}-db`,
          {
            metadata: { namespace: nsObj.metadata.name, name: `${name}-db` },
            stringData: { DATABASE_URL: pulumi.secret(a.databaseUrl) },
          },
          popts,
        );
  const host = a.host;
  const r = release(name, a, popts, a.chart, nsObj.metadata.name, {
    image: { repository: a.image, tag: a.tag },
    replicaCount: a.replicas,
    ingress: {
      enabled: true,
      className: "nginx",
      annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
      hosts: [{ host, paths: [{ path: "/", pathType: "Prefix" }] }],
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
    },
    ...(dbSecret && { envFrom: [{ secretRef: { name: dbSecret.metadata.name } }] }),
  });
  // The chart's Deployment is named after the release (Helm's convention).
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    name,
    {
      metadata: { namespace: nsObj.metadata.name, name },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: r.name },
        minReplicas: a.replicas,
        maxReplicas: a.maxReplicas,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
    },
    { ...popts, dependsOn: [r] },
  );
  new k8s.policy.v1.PodDisruptionBudget(
    name,
    {
      metadata: { namespace: nsObj.metadata.name, name },
      spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/instance": r.name } } },
    },
    { ...popts, dependsOn: [r] },
  );
  const url = pulumi.interpolate`https://${host}`;
  parent.finish({ url });
  return { url, version: r.version };
};
