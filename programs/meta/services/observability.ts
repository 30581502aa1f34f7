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
import { metaRelease } from "./release.js";

/** Seed 000's alerts: CPU or memory above 90 % for 10 minutes, p90 latency, 5xx rate, the API's synthetic probe. */
export function alertRules(
  latencySeconds: number,
): { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }[] {
  const rule = (alert: string, expr: string, forTime: string, summary: string) => ({
    alert,
    expr,
    for: forTime,
    labels: { severity: "critical" },
    annotations: { summary },
  });
  return [
    rule(
      "ContainerCpuHigh",
      'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu"}) > 0.9',
      "10m",
      "CPU above 90 % of its limit for 10 minutes",
    ),
    rule(
      "ContainerMemoryHigh",
      'sum by (namespace, pod) (container_memory_working_set_bytes{container!=""}) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory"}) > 0.9',
      "10m",
      "memory above 90 % of its limit for 10 minutes",
    ),
    rule(
      "LatencyP90High",
      `histogram_quantile(0.9, sum by (le, ingress) (rate(nginx_ingress_controller_request_duration_seconds_bucket[5m]))) > ${latencySeconds}`,
      "10m",
      `p90 latency above ${latencySeconds} s`,
    ),
    rule(
      "Http5xxRateHigh",
      'sum by (ingress) (rate(nginx_ingress_controller_requests{status=~"5.."}[5m])) / sum by (ingress) (rate(nginx_ingress_controller_requests[5m])) > 0.05',
      "5m",
      "more than 5 % of requests answered 5xx",
    ),
    rule("ApiProbeFailing", 'probe_success{job="infra-api-probe"} == 0', "2m", "the infra API's health check fails"),
  ];
}

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
      prometheus: { prometheusSpec: { retention: "15d", ruleSelectorNilUsesHelmValues: false, probeSelectorNilUsesHelmValues: false } },
      alertmanager: { enabled: true },
      grafana: {
        enabled: true,
        admin: { existingSecret: "grafana-admin" },
        additionalDataSources: [{ name: "Loki", type: "loki", url: "http://loki.monitoring.svc:3100" }],
      },
    },
    { dependsOn: [grafanaSecret] },
  );
  const loki = metaRelease(ctx, "loki", monitoring, {
    deploymentMode: "SingleBinary",
    loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: "filesystem" } },
    singleBinary: { replicas: 1 },
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
      spec: { groups: [{ name: "infra", rules: alertRules(Number(a.latencySeconds)) }] },
    },
    { ...ctx.opts, dependsOn: [stack] },
  );
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
  parent.finish({ grafanaUrl, rules: rules.metadata.name, probe: probe.metadata.name });
  return { grafanaUrl, grafanaPassword: pulumi.secret(grafanaPassword.result), version: stack.version, loki: loki.version, otel: otel.version };
};
