// The sandbox's own kwok stages, added after kwok's defaults (node start,
// heartbeats, pods): what a cloud or an ingress controller would do for a
// real cluster and nothing can do where no container runs. Programs written
// for a real cluster then do not hang here waiting for an address. (Volumes
// are real: see STORAGE_CLASS.)
import { PROVISIONER } from "./volumes.js";

export const SANDBOX_STAGES = `
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: infra-sandbox-service-address
spec:
  resourceRef:
    apiGroup: v1
    kind: Service
  selector:
    matchExpressions:
      - key: .spec.type
        operator: In
        values: ["LoadBalancer"]
      - key: .status.loadBalancer.ingress
        operator: DoesNotExist
  next:
    # ipMode Proxy: the address is a proxy's (the sandbox's ingress, with the real node), so
    # kube-proxy leaves 127.0.0.1 alone instead of rewriting it straight to a pod.
    statusTemplate: |
      loadBalancer:
        ingress:
          - ip: "127.0.0.1"
            ipMode: Proxy
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: infra-sandbox-ingress-address
spec:
  resourceRef:
    apiGroup: networking.k8s.io/v1
    kind: Ingress
  selector:
    matchExpressions:
      - key: .metadata.deletionTimestamp
        operator: DoesNotExist
      - key: .status.loadBalancer.ingress
        operator: DoesNotExist
  next:
    statusTemplate: |
      loadBalancer:
        ingress:
          - ip: "127.0.0.1"
`;

/**
 * The default StorageClass: the sandbox's provisioner (volumes.ts) makes a
 * PersistentVolume on a folder of the sandbox for each claim, so claims bind,
 * pods that mount them schedule as on a real cluster, and on the real node
 * write there whatever their user.
 */
export const STORAGE_CLASS = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: PROVISIONER,
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
  allowVolumeExpansion: true,
};

/** A node kwok plays: large enough for 1000 pods. */
export function node(name: string, version: string): Record<string, unknown> {
  const size = { cpu: "64", memory: "256Gi", pods: "1100", "ephemeral-storage": "1Ti" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/sandbox": "",
        type: "kwok",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake" },
    },
    spec: {},
    status: {
      allocatable: size,
      capacity: size,
      nodeInfo: {
        architecture: "amd64",
        operatingSystem: "linux",
        kubeletVersion: version,
        kubeProxyVersion: version,
        containerRuntimeVersion: "none (simulated by kwok)",
        osImage: "infra sandbox (no containers run)",
        kernelVersion: "",
        bootID: "",
        machineID: "",
        systemUUID: "",
      },
      phase: "Running",
    },
  };
}
