// The inputs of the helm/* components (see args.ts). Each chart's source and
// version are pinned here; `repo` overrides the source for air-gapped sites.
import { defineArgs } from "./args.js";

const repoText = "chart source: https repository, oci:// registry or local folder";
const kubeconfig = { kind: "string", description: "the cluster", defaultText: "the ambient kubeconfig" } as const;

export const ingressNginxArgs = defineArgs({
  repo: { kind: "string", description: repoText, default: "https://kubernetes.github.io/ingress-nginx" },
  version: { kind: "string", description: "chart version", default: "4.11.3" },
  kubeconfig,
});

export const certManagerArgs = defineArgs({
  email: { kind: "string", description: "the ACME account's email", required: true },
  acmeServer: { kind: "string", description: "the ACME directory (Let's Encrypt production)", default: "https://acme-v02.api.letsencrypt.org/directory" },
  repo: { kind: "string", description: repoText, default: "https://charts.jetstack.io" },
  version: { kind: "string", description: "chart version", default: "v1.16.1" },
  kubeconfig,
});

export const appChartArgs = defineArgs({
  chart: { kind: "string", description: "the chart's name", required: true },
  repo: { kind: "string", description: repoText, required: true },
  version: { kind: "string", description: "the chart version", required: true },
  image: { kind: "string", description: "the image repository", required: true },
  host: { kind: "string", description: "the ingress host", required: true },
  tag: { kind: "string", description: "the image tag", default: "latest" },
  namespace: { kind: "string", description: "namespace", default: "app" },
  replicas: { kind: "number", description: "replicas and the HPA's minimum", default: 2 },
  maxReplicas: { kind: "number", description: "the HPA's maximum", default: 6 },
  databaseUrl: { kind: "string", description: "postgres://… (secret), given to the app as DATABASE_URL" },
  kubeconfig,
});
