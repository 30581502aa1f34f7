// The inputs of the kubernetes/* components (see args.ts).
import { defineArgs } from "./args.js";

const kubeconfig = { kind: "string", description: "the cluster", defaultText: "the ambient kubeconfig" } as const;

export const namespaceArgs = defineArgs({
  name: { kind: "string", description: "the namespace's name", defaultText: "the component's" },
  cpu: { kind: "string", description: "CPU quota", default: "4" },
  memory: { kind: "string", description: "memory quota", default: "8Gi" },
  pods: { kind: "number", description: "pod quota", default: 50 },
  ingressNamespace: { kind: "string", description: "the ingress controller's namespace, allowed in", default: "ingress-nginx" },
  kubeconfig,
});

export const webAppArgs = defineArgs({
  namespace: { kind: "string", description: "where it runs", required: true },
  image: { kind: "string", description: "the container image", required: true },
  host: { kind: "string", description: "the Ingress host", required: true },
  port: { kind: "number", description: "the container port", default: 8080 },
  replicas: { kind: "number", description: "replicas, and the HPA's minimum", default: 2 },
  maxReplicas: { kind: "number", description: "the HPA's maximum", default: 6 },
  cpuTarget: { kind: "number", description: "the HPA's CPU utilisation target, %", default: 70 },
  cpu: { kind: "string", description: "CPU request", default: "100m" },
  cpuLimit: { kind: "string", description: "CPU limit", default: "500m" },
  memory: { kind: "string", description: "memory request and limit", default: "128Mi" },
  healthPath: { kind: "string", description: "the readiness and liveness path", default: "/healthz" },
  tlsIssuer: { kind: "string", description: "cert-manager ClusterIssuer", default: "letsencrypt" },
  ingressClass: { kind: "string", description: "IngressClass", default: "nginx" },
  env: { kind: "any", description: "environment variables (a list of {name, value})" },
  realNode: {
    kind: "boolean",
    description: "on infra's sandbox: run the pods on its real node (its label and taint infra.sandbox/real-node), the image from the sandbox's registry",
    default: false,
  },
  kubeconfig,
});

export const postgresArgs = defineArgs({
  namespace: { kind: "string", description: "where it runs", required: true },
  password: { kind: "string", description: "the app user's password (secret)", required: true },
  version: { kind: "string", description: "PostgreSQL major version", default: "16" },
  storage: { kind: "string", description: "volume size", default: "1Gi" },
  standbys: { kind: "number", description: "streaming standbys (hot, read-only, behind the -ro Service); a parameter's value", default: 0 },
  backupSchedule: { kind: "string", description: "cron schedule of a pg_dump to the backups volume; empty or off: no backups", default: "" },
  backupKeepDays: { kind: "number", description: "days a backup is kept", default: 7 },
  backupStorage: { kind: "string", description: "the backups volume's size", default: "5Gi" },
  realNode: {
    kind: "boolean",
    description: "on infra's sandbox: run the database's pods on its real node, the image (postgres:<version>) from the sandbox's registry",
    default: false,
  },
  kubeconfig,
});
