// What the real node brings into the cluster so its pods live in a real one:
// the `kubernetes` Service's endpoint (the API server, forwarded from the
// node's bridge), the cluster DNS Service (kube-dns, CoreDNS on the bridge),
// and what CoreDNS may read. The API server keeps no endpoints of its own in
// the sandbox (--endpoint-reconciler-type=none): these are the sandbox's.
import type { Kube } from "./kube.js";
import { DNS_IP } from "./node-config.js";
import { NODE_IP } from "./node-host.js";

/** The user CoreDNS's client certificate names. */
export const DNS_USER = "system:infra-sandbox-dns";
const MANAGED = { "endpointslice.kubernetes.io/managed-by": "infra-sandbox" };

function slice(namespace: string, name: string, service: string, ports: { name: string; port: number; protocol: string }[]) {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { namespace, name, labels: { "kubernetes.io/service-name": service, ...MANAGED } },
    addressType: "IPv4",
    endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }],
    ports,
  };
}

export async function applyClusterObjects(kube: Kube, apiserverPort: number): Promise<void> {
  await kube.apply(
    "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
    "kubernetes-infra-sandbox",
    slice("default", "kubernetes-infra-sandbox", "kubernetes", [{ name: "https", port: apiserverPort, protocol: "TCP" }]),
  );
  await kube.apply("/api/v1/namespaces/kube-system/services", "kube-dns", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { namespace: "kube-system", name: "kube-dns", labels: { "k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS" } },
    spec: {
      clusterIP: DNS_IP,
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      ],
    },
  });
  await kube.apply(
    "/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices",
    "kube-dns-infra-sandbox",
    slice("kube-system", "kube-dns-infra-sandbox", "kube-dns", [
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, protocol: "TCP" },
    ]),
  );
  await kube.apply("/apis/rbac.authorization.k8s.io/v1/clusterroles", "infra-sandbox:dns", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "infra-sandbox:dns" },
    rules: [
      { apiGroups: [""], resources: ["services", "pods", "namespaces"], verbs: ["list", "watch"] },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
    ],
  });
  await kube.apply("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "infra-sandbox:dns", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "infra-sandbox:dns" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "infra-sandbox:dns" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: DNS_USER }],
  });
}
