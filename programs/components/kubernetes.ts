// Kubernetes components: what seed 000 calls production-ready for an app in a
// namespace of a shared cluster. Each takes an optional kubeconfig (the meta
// environment's output); without it the ambient kubeconfig is used.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { namespaceArgs, postgresArgs, webAppArgs } from "./kubernetes.args.js";
import { Group } from "./group.js";
import { kubeOptions } from "./kube-provider.js";
import { placement } from "./placement.js";
import { backups, type ExtrasArgs, PG_HBA, standbys } from "./postgres-extras.js";
import type { ComponentFactory } from "./types.js";

const labels = (app: pulumi.Input<string>) => ({ "app.kubernetes.io/name": app, "app.kubernetes.io/managed-by": "infra" });

export const namespace: ComponentFactory = (name, inputs) => {
  const a = withDefaults(namespaceArgs, inputs);
  const parent = new Group("infra:kubernetes:Namespace", name);
  const opts = kubeOptions(name, a, parent);
  const nsName = a.name ?? name;
  const ns = new k8s.core.v1.Namespace(name, { metadata: { name: nsName, labels: { "app.kubernetes.io/managed-by": "infra" } } }, opts);
  const namespaced = { ...opts, dependsOn: [ns] };
  const metaIn = { namespace: ns.metadata.name };
  new k8s.core.v1.ResourceQuota(
    `${name}-quota`,
    {
      metadata: { ...metaIn, name: "quota" },
      spec: {
        hard: {
          "requests.cpu": a.cpu,
          "limits.cpu": a.cpu,
          "requests.memory": a.memory,
          "limits.memory": a.memory,
          pods: pulumi.output(a.pods).apply(String),
        },
      },
    },
    namespaced,
  );
  // Every container gets requests and limits even if its spec forgets them,
  // so the quota above can be enforced.
  new k8s.core.v1.LimitRange(
    `${name}-limits`,
    {
      metadata: { ...metaIn, name: "defaults" },
      spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
    },
    namespaced,
  );
  // Deny all ingress except from this namespace and the ingress controller's.
  new k8s.networking.v1.NetworkPolicy(
    `${name}-isolation`,
    {
      metadata: { ...metaIn, name: "isolation" },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": a.ingressNamespace } } }],
          },
        ],
      },
    },
    namespaced,
  );
  parent.finish({ name: ns.metadata.name });
  return { name: ns.metadata.name };
};

export const webApp: ComponentFactory = (name, inputs) => {
  const a = withDefaults(webAppArgs, inputs);
  const parent = new Group("infra:kubernetes:WebApp", name);
  const opts = kubeOptions(name, a, parent);
  const ns = a.namespace;
  const port = a.port;
  const replicas = a.replicas;
  const appLabels = labels(name);
  const health = a.healthPath;
  const probe = { httpGet: { path: health, port: "http" }, periodSeconds: 10 };
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { namespace: ns, name, labels: appLabels },
      spec: {
        replicas,
        selector: { matchLabels: appLabels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: appLabels },
          spec: {
            ...placement(a.realNode),
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name,
                image: a.image,
                ports: [{ name: "http", containerPort: port }],
                resources: {
                  requests: { cpu: a.cpu, memory: a.memory },
                  limits: { cpu: a.cpuLimit, memory: a.memory },
                },
                readinessProbe: probe,
                livenessProbe: { ...probe, initialDelaySeconds: 10 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                ...(a.env !== undefined && { env: a.env as pulumi.Input<k8s.types.input.core.v1.EnvVar[]> }),
              },
            ],
          },
        },
      },
    },
    opts,
  );
  const service = new k8s.core.v1.Service(
    name,
    {
      metadata: { namespace: ns, name, labels: appLabels },
      spec: { selector: appLabels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
    opts,
  );
  const host = a.host;
  new k8s.networking.v1.Ingress(
    name,
    {
      metadata: {
        namespace: ns,
        name,
        annotations: { "cert-manager.io/cluster-issuer": a.tlsIssuer },
      },
      spec: {
        ingressClassName: a.ingressClass,
        tls: [{ hosts: [host], secretName: `${name}-tls` }],
        rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] } }],
      },
    },
    opts,
  );
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    name,
    {
      metadata: { namespace: ns, name },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: replicas,
        maxReplicas: a.maxReplicas,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuTarget } } }],
      },
    },
    opts,
  );
  // At least one pod stays through voluntary disruptions (node drains, upgrades).
  new k8s.policy.v1.PodDisruptionBudget(
    name,
    {
      metadata: { namespace: ns, name },
      spec: { minAvailable: 1, selector: { matchLabels: appLabels } },
    },
    opts,
  );
  const url = pulumi.interpolate`https://${host}`;
  parent.finish({ url });
  return { url, service: service.metadata.name };
};

export const postgres: ComponentFactory = (name, inputs) => {
  const a = withDefaults(postgresArgs, inputs);
  const parent = new Group("infra:kubernetes:Postgres", name);
  const opts = kubeOptions(name, a, parent);
  const ns = a.namespace;
  const appLabels = labels(name);
  const password = pulumi.secret(a.password);
  // Shape, not data: how many standbys and whether there are backups decide which objects exist.
  const standbyCount = a.standbys;
  const schedule = a.backupSchedule === "off" ? "" : a.backupSchedule;
  if (typeof standbyCount !== "number" || typeof schedule !== "string") {
    throw new Error(`${name}: standbys and backupSchedule must be given as values (a parameter), not another component's output`);
  }
  const replicated = standbyCount > 0;
  // With standbys the Service must reach the primary only: its pods say their role.
  const primaryLabels = replicated ? { ...appLabels, "infra.dev/postgres-role": "primary" } : appLabels;
  const secret = new k8s.core.v1.Secret(
    name,
    {
      metadata: { namespace: ns, name },
      stringData: { POSTGRES_PASSWORD: password, POSTGRES_USER: "app", POSTGRES_DB: "app" },
    },
    opts,
  );
  const service = new k8s.core.v1.Service(
    name,
    {
      metadata: { namespace: ns, name, labels: appLabels },
      spec: { selector: primaryLabels, ports: [{ name: "postgres", port: 5432, targetPort: "postgres" }] },
    },
    opts,
  );
  const hba = replicated
    ? new k8s.core.v1.ConfigMap(`${name}-hba`, { metadata: { namespace: ns, name: `${name}-hba`, labels: appLabels }, data: { "pg_hba.conf": PG_HBA } }, opts)
    : undefined;
  const image = pulumi.interpolate`postgres:${a.version}`;
  new k8s.apps.v1.StatefulSet(
    name,
    {
      metadata: { namespace: ns, name, labels: appLabels },
      spec: {
        serviceName: service.metadata.name,
        replicas: 1,
        selector: { matchLabels: appLabels },
        template: {
          metadata: { labels: primaryLabels },
          spec: {
            ...placement(a.realNode),
            securityContext: { runAsUser: 999, fsGroup: 999 },
            containers: [
              {
                name: "postgres",
                image,
                ...(hba && { args: ["postgres", "-c", "hba_file=/etc/postgresql/pg_hba.conf"] }),
                ports: [{ name: "postgres", containerPort: 5432 }],
                envFrom: [{ secretRef: { name: secret.metadata.name } }],
                env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
                readinessProbe: { exec: { command: ["pg_isready", "-U", "app"] }, periodSeconds: 10 },
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                volumeMounts: [
                  { name: "data", mountPath: "/var/lib/postgresql/data" },
                  ...(hba ? [{ name: "hba", mountPath: "/etc/postgresql/pg_hba.conf", subPath: "pg_hba.conf" }] : []),
                ],
              },
            ],
            ...(hba && { volumes: [{ name: "hba", configMap: { name: hba.metadata.name } }] }),
          },
        },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: a.storage } } } }],
      },
    },
    opts,
  );
  const host = pulumi.interpolate`${service.metadata.name}.${ns}.svc.cluster.local`;
  const extras: ExtrasArgs = {
    name,
    namespace: ns,
    image,
    secretName: secret.metadata.name,
    primaryHost: host,
    standbys: standbyCount,
    backupSchedule: schedule,
    backupKeepDays: a.backupKeepDays,
    backupStorage: a.backupStorage,
    storage: a.storage,
    realNode: a.realNode,
    labels: (n) => labels(n) as Record<string, string>,
    opts,
  };
  const read = standbys(extras);
  backups(extras);
  parent.finish({ host });
  const url = (h: pulumi.Input<string>) => pulumi.secret(pulumi.interpolate`postgres://app:${password}@${h}:5432/app`);
  // No standby: reads go to the primary, so the read URL always works.
  return { host, url: url(host), readUrl: url(read?.readHost ?? host) };
};
