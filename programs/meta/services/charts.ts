// The official charts of the meta environment's services, by name and pinned
// version, and where each comes from: its official repository, or one mirror
// for every chart (an https repository, an OCI registry, a local folder) for
// sites that cannot reach the official ones.
import { chartFrom, type ChartSource } from "../../components/chart-source.js";

export interface ChartPin {
  repo: string;
  version: string;
}

export const CHARTS: Record<string, ChartPin> = {
  consul: { repo: "https://helm.releases.hashicorp.com", version: "1.6.1" },
  vault: { repo: "https://helm.releases.hashicorp.com", version: "0.29.1" },
  "kube-prometheus-stack": { repo: "https://prometheus-community.github.io/helm-charts", version: "65.5.0" },
  "prometheus-blackbox-exporter": { repo: "https://prometheus-community.github.io/helm-charts", version: "9.0.1" },
  loki: { repo: "https://grafana.github.io/helm-charts", version: "6.18.0" },
  "opentelemetry-collector": { repo: "https://open-telemetry.github.io/opentelemetry-helm-charts", version: "0.108.0" },
  "ingress-nginx": { repo: "https://kubernetes.github.io/ingress-nginx", version: "4.11.3" },
  "cert-manager": { repo: "https://charts.jetstack.io", version: "v1.16.1" },
  rabbitmq: { repo: "oci://registry-1.docker.io/bitnamicharts", version: "15.0.3" },
  postgresql: { repo: "oci://registry-1.docker.io/bitnamicharts", version: "16.0.3" },
  "argo-cd": { repo: "https://argoproj.github.io/argo-helm", version: "7.6.12" },
};

/**
 * Where chart `name` comes from: `mirror` (every chart by the same name and
 * version) or its official repository; `version` overrides the pin.
 */
export function chartSource(name: string, mirror?: string, version?: string): ChartSource {
  const pin = CHARTS[name];
  if (!pin) throw new Error(`no chart ${name} in infra's list (${Object.keys(CHARTS).join(", ")})`);
  return chartFrom(mirror || pin.repo, name, version || pin.version);
}
