// Observability: Prometheus, Alertmanager and Grafana (kube-prometheus-stack),
// Loki, an OpenTelemetry collector, a blackbox exporter for the synthetic
// probe of the infra API, and seed 000's alerts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { observabilityArgs } from "./args.js";
import { namespace, serviceContext } from "./common.js";
import { alertRules, apiRules } from "./alerts.js";
import { metaRelease } from "./release.js";

export const observability: ComponentFactory = (name, inputs) => {
  const a = withDefaults(observabilityArgs, inputs);
  const parent = new Group("infra:meta:Observability", name);
  const ctx = serviceContext(name, a, parent);
  const ns = namespace("monitoring", ctx);
  const grafanaPassword = new random.RandomPassword(`${name}-grafana`, { length: 24, special: false }, { parent });
  const grafanaSecret = new k8s.core.v1.Secret(
    `${name}-grafana`,
    {
      metadata: { namespace: ns.metadata.name, name: "grafana-admin" },
      stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result },
    },
    ctx.opts,
  );
  const monitoring = ns.metadata.name;
  const stack = metaRelease(
    ctx,
    "kube-prometheus-stack",
    monitoring,
    {
      prometheus: {
        prometheusSpec: {
          retention: "15d",
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          serviceMonitorSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: { enabled: true },
      grafana: {
        enabled: true,
        admin: { existingSecret: "grafana-admin" },
        additionalDataSources: [{ name: "Loki", type: "loki", url: "http://loki.monitoring.svc:3100" }],
      },
    },
    { dependsOn: [grafanaSecret] },
  );
  // One binary on a filesystem volume. The chart (6.x) defaults to SimpleScalable with 3 replicas
  // of read, write and backend, and refuses both at once; it also asks for a schema of our own.
  const loki = metaRelease(ctx, "loki", monitoring, {
    deploymentMode: "SingleBinary",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: {
        configs: [{ from: "2024-04-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
    },
    singleBinary: { replicas: 1 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    // memcached caches (8 GiB for chunks by default) are for a scaled-out Loki, not one binary.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
  });
  const otel = metaRelease(ctx, "opentelemetry-collector", monitoring, {
    mode: "deployment",
    image: { repository: "otel/opentelemetry-collector-contrib" },
    config: { exporters: { otlphttp: { endpoint: "http://loki.monitoring.svc:3100/otlp" } } },
  });
  const blackbox = metaRelease(ctx, "prometheus-blackbox-exporter", monitoring, {});
  const rules = new k8s.apiextensions.CustomResource(
    `${name}-alerts`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { namespace: ns.metadata.name, name: "infra-alerts", labels: { release: "kube-prometheus-stack" } },
      spec: {
        groups: [
          { name: "infra", rules: alertRules(Number(a.latencySeconds)) },
          { name: "infra-api", rules: apiRules() },
        ],
      },
    },
    { ...ctx.opts, dependsOn: [stack] },
  );
  const monitor = (id: string, monitorName: string, spec: Record<string, unknown>) =>
    new k8s.apiextensions.CustomResource(
      `${name}-${id}`,
      { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { namespace: ns.metadata.name, name: monitorName }, spec },
      { ...ctx.opts, dependsOn: [stack] },
    );
  // infra's API's own /metrics (operations, workers, drift, the bus), scraped every 30 s.
  const apiMonitor = monitor("api-metrics", "infra-api", {
    namespaceSelector: { matchNames: [a.apiNamespace] },
    selector: { matchLabels: { "app.kubernetes.io/name": "infra-api" } },
    endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
  });
  // ingress-nginx's request metrics (its chart's metrics Service, port "metrics"): seed 000's p90-latency and
  // 5xx alerts read them. Made here, not by the ingress chart, which is installed before this stack's CRDs.
  const ingressMonitor = monitor("ingress-metrics", "ingress-nginx", {
    namespaceSelector: { matchNames: ["ingress-nginx"] },
    selector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } },
    endpoints: [{ port: "metrics", interval: "30s" }],
  });
  const probe = new k8s.apiextensions.CustomResource(
    `${name}-api-probe`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Probe",
      metadata: { namespace: ns.metadata.name, name: "infra-api-probe" },
      spec: {
        jobName: "infra-api-probe",
        interval: "30s",
        module: "http_2xx",
        prober: { url: "prometheus-blackbox-exporter.monitoring.svc:9115" },
        targets: { staticConfig: { static: [pulumi.output(a.apiHealthUrl)] } },
      },
    },
    { ...ctx.opts, dependsOn: [stack, blackbox] },
  );
  const grafanaUrl = pulumi.interpolate`http://kube-prometheus-stack-grafana.${ns.metadata.name}.svc`;
  parent.finish({
    grafanaUrl,
    rules: rules.metadata.name,
    probe: probe.metadata.name,
    apiMonitor: apiMonitor.metadata.name,
    ingressMonitor: ingressMonitor.metadata.name,
  });
  return { grafanaUrl, grafanaPassword: pulumi.secret(grafanaPassword.result), version: stack.version, loki: loki.version, otel: otel.version };
};
