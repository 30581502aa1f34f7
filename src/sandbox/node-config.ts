// The real node's configuration files: containerd's (version 3, its own
// root, state and socket), the CNI network on the sandbox's bridge, kubelet's
// and kube-proxy's. Every path is under the sandbox's node folder, so nothing
// lands in /var/lib or /etc.
import { join } from "node:path";
import { BRIDGE, CGROUP_ROOT, NODE_IP, NODE_SUBNET } from "./node-host.js";

export const NODE_NAME = "sandbox-real-0";
/** The cluster DNS Service's address (kube-dns), served by CoreDNS on the node's bridge. */
export const DNS_IP = "10.96.0.10";
export const PAUSE_IMAGE = "infra.sandbox/pause:1";
/** The label and taint the real node carries: a pod goes there only when it asks. */
export const REAL_NODE_LABEL = "infra.sandbox/real-node";

export interface NodePaths {
  dir: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  socket: string;
  cniConf: string;
  cniData: string;
  kubeletConfig: string;
  kubeletRoot: string;
  kubeletKubeconfig: string;
  proxyConfig: string;
  proxyKubeconfig: string;
  podLogs: string;
  resolvConf: string;
  images: string;
  corefile: string;
  dnsKubeconfig: string;
  /** containerd's registry hosts (config_path): every pull goes to the sandbox's registry. */
  registryHosts: string;
}

export function nodePaths(sandboxDir: string): NodePaths {
  const dir = join(sandboxDir, "node");
  return {
    dir,
    containerdConfig: join(dir, "containerd.toml"),
    containerdRoot: join(dir, "containerd", "root"),
    containerdState: join(dir, "containerd", "state"),
    socket: join(dir, "containerd", "containerd.sock"),
    cniConf: join(dir, "cni"),
    cniData: join(dir, "cni-data"),
    kubeletConfig: join(dir, "kubelet.yaml"),
    kubeletRoot: join(dir, "kubelet"),
    kubeletKubeconfig: join(dir, "kubelet.kubeconfig"),
    proxyConfig: join(dir, "kube-proxy.yaml"),
    proxyKubeconfig: join(dir, "kube-proxy.kubeconfig"),
    podLogs: join(dir, "pods"),
    resolvConf: join(dir, "resolv.conf"),
    images: join(dir, "images"),
    corefile: join(dir, "Corefile"),
    dnsKubeconfig: join(dir, "coredns.kubeconfig"),
    registryHosts: join(dir, "registry-hosts"),
  };
}

const q = (s: string) => JSON.stringify(s);

export function containerdToml(n: NodePaths, runc: string): string {
  return `version = 3
root = ${q(n.containerdRoot)}
state = ${q(n.containerdState)}

[grpc]
  address = ${q(n.socket)}

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = ${q(PAUSE_IMAGE)}
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = ${q(n.registryHosts)}

[plugins."io.containerd.cri.v1.runtime"]
  # This machine's bounding set may lack CAP_SYS_RESOURCE: the pause container's -998 cannot be set.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = ${q(runc)}
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = ${q(n.cniConf)}

[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
`;
}

/**
 * containerd's `_default` host: every registry a pod names (docker.io, ghcr.io,
 * the sandbox's own) resolves to the sandbox's registry on loopback, the same
 * repository path under it (`nginx:1.27` is `library/nginx:1.27` there).
 * So a pull never leaves the machine: an image nobody pushed is "not found".
 */
export function registryHostsToml(address: string, ca: string): string {
  return `server = ${q(`https://${address}`)}\nca = ${q(ca)}\n`;
}

/** The pods' network: the sandbox's bridge, no masquerading (nothing is meant to leave). */
export function cniConflist(n: NodePaths): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: "infra-sandbox",
      plugins: [
        {
          type: "bridge",
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: "host-local", ranges: [[{ subnet: NODE_SUBNET, gateway: NODE_IP }]], routes: [{ dst: "0.0.0.0/0" }], dataDir: n.cniData },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export interface NodePorts {
  kubelet: number;
  kubeletHealthz: number;
  proxyHealthz: number;
  proxyMetrics: number;
  dnsHealth: number;
  dnsReady: number;
}

export function kubeletYaml(n: NodePaths, ca: string, cert: string, key: string, ports: NodePorts): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${NODE_IP}
port: ${ports.kubelet}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: ${ports.kubeletHealthz}
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${q(ca)}}
authorization: {mode: Webhook}
tlsCertFile: ${q(cert)}
tlsPrivateKeyFile: ${q(key)}
cgroupDriver: cgroupfs
cgroupRoot: /${CGROUP_ROOT}
cgroupsPerQOS: true
failSwapOn: false
failCgroupV1: false
containerRuntimeEndpoint: unix://${n.socket}
podLogsDir: ${q(n.podLogs)}
volumePluginDir: ${q(join(n.dir, "volume-plugins"))}
# Pods resolve through the cluster's DNS only: the host's resolver would ask the network.
resolvConf: ${q(n.resolvConf)}
clusterDNS: [${DNS_IP}]
clusterDomain: cluster.local
serializeImagePulls: false
evictionHard: {memory.available: "50Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Images here are the sandbox's own (imported, or from its registry without a login): there is no
# credential to check again. kubelet's default re-pulls an image it once pulled under another name
# (the same image pushed as ghcr.io/acme/web:2), which fails for the imported test image after a restart.
imagePullCredentialsVerificationPolicy: NeverVerify
enableServer: true
# kubelet's own iptables chains (KUBE-FIREWALL drops 127/8 from elsewhere): the sandbox needs none of them.
makeIPTablesUtilChains: false
registerNode: true
registerWithTaints:
  - {key: ${q(REAL_NODE_LABEL)}, value: "true", effect: NoSchedule}
`;
}

export function kubeProxyYaml(n: NodePaths, ports: NodePorts): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: ${q(n.proxyKubeconfig)}}
hostnameOverride: ${NODE_NAME}
mode: iptables
bindAddress: ${NODE_IP}
healthzBindAddress: 127.0.0.1:${ports.proxyHealthz}
metricsBindAddress: 127.0.0.1:${ports.proxyMetrics}
clusterCIDR: ${NODE_SUBNET}
# Node ports only on the sandbox's bridge, never on an interface others can reach.
nodePortAddresses: [${q(NODE_SUBNET)}]
# Service traffic is masqueraded to the bridge's address, so a pod reaching a Service whose pod
# shares its bridge gets its replies back without br_netfilter (which the host may not have).
iptables: {masqueradeAll: true}
# Leave the host's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
`;
}

/**
 * CoreDNS for the cluster's names, on the node's bridge. Nothing else: a name
 * outside the cluster is refused, never forwarded (that would ask the network).
 */
export function corefile(n: NodePaths, ports: NodePorts): string {
  return `cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind ${NODE_IP}
    ready 127.0.0.1:${ports.dnsReady}
    health 127.0.0.1:${ports.dnsHealth}
    errors
    cache 30
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig ${JSON.stringify(n.dnsKubeconfig)} sandbox
        pods insecure
    }
}
`;
}
