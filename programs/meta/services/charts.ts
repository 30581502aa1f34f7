// The official charts of the meta environment's services, by name and pinned
// version, and where each comes from: its official repository, or one mirror
// for every chart (an https repository, an OCI registry, a local folder) for
// sites that cannot reach the official ones.
import { existsSync } from "node:fs";
import { join } from "node:path";

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

export interface ChartSource {
  chart: string;
  version: string;
  repositoryOpts?: { repo: string };
}

/**
 * Where chart `name` comes from: `mirror` (every chart by the same name and
 * version) or its official repository; `version` overrides the pin. A folder
 * mirror holds `<chart>/` or `<chart>-<version>.tgz`; a chart missing there
 * is one line naming it.
 */
export function chartSource(name: string, mirror?: string, version?: string): ChartSource {
  const pin = CHARTS[name];
  if (!pin) throw new Error(`no chart ${name} in infra's list (${Object.keys(CHARTS).join(", ")})`);
  const v = version || pin.version;
  const repo = mirror || pin.repo;
  if (repo.startsWith("oci://")) return { chart: `${repo.replace(/\/+$/, "")}/${name}`, version: v };
  if (/^https?:\/\//.test(repo)) return { chart: name, version: v, repositoryOpts: { repo } };
  const folder = repo.replace(/^file:\/\//, "");
  for (const candidate of [join(folder, `${name}-${v}.tgz`), join(folder, name)]) {
    if (existsSync(candidate)) return { chart: candidate, version: v };
  }
  throw new Error(`chart ${name} ${v} is not in ${folder} (expected ${name}/ or ${name}-${v}.tgz there)`);
}
