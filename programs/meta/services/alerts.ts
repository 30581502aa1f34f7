// The meta environment's alert rules, as Prometheus reads them (a
// PrometheusRule's groups): seed 000's for every workload, and infra's own from
// its API's metrics. Kept apart from the component so a test can load them into
// a real Prometheus without Pulumi.

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const rule = (alert: string, expr: string, forTime: string, summary: string, severity = "critical"): AlertRule => ({
  alert,
  expr,
  for: forTime,
  labels: { severity },
  annotations: { summary },
});

/** Seed 000's alerts: CPU or memory above 90 % for 10 minutes, p90 latency, 5xx rate, the API's synthetic probe. */
export function alertRules(latencySeconds: number): AlertRule[] {
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

/**
 * infra's own, from what its API's /metrics says (a ServiceMonitor's job is
 * named after the Service: infra-api): operations that failed, an API nobody
 * can scrape, a bus the API lost.
 */
export function apiRules(job = "infra-api"): AlertRule[] {
  return [
    rule(
      "InfraOperationsFailing",
      'sum by (kind) (increase(infra_operations_finished_total{result="failed"}[15m])) > 0',
      "0m",
      "infra operations failed in the last 15 minutes (infra audit, infra env history say which)",
      "warning",
    ),
    rule("InfraApiDown", `absent(up{job="${job}"} == 1)`, "5m", "no infra API answers Prometheus's scrape"),
    rule("InfraBusDisconnected", `max by (instance) (infra_bus_connected{job="${job}"}) == 0`, "5m", "an infra API has lost its AMQP bus"),
  ];
}
