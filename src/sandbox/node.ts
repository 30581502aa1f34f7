// The sandbox's real node, beside kwok's simulated ones: containerd (v2, with
// Debian's runc), kubelet and kube-proxy from the node rig, on a bridge of its
// own. Real containers run there, from images made on this machine. One per
// machine (its bridge and kube-proxy's chains are the host's), and only as
// root with cgroups; elsewhere the sandbox is kwok alone and says why.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";
import {
  cniConflist,
  containerdToml,
  corefile,
  kubeletYaml,
  kubeProxyYaml,
  NODE_NAME,
  type NodePorts,
  nodePaths,
  PAUSE_IMAGE,
  REAL_NODE_LABEL,
  registryHostsToml,
} from "./node-config.js";
import { DNS_USER } from "./node-cluster.js";
import { hostDown, hostUp, killShims, NODE_IP, removeCgroups, unmountUnder } from "./node-host.js";
import { buildImage, pauseImage, testImage } from "./node-images.js";
import { ensureLeaf, type Pki } from "./pki.js";
import { launch, readRun, running, terminate } from "./processes.js";

const run = promisify(execFile);

export const NODE_PARTS = ["containerd", "kubelet", "kube-proxy", "coredns"] as const;
export type NodePart = (typeof NODE_PARTS)[number];
export { NODE_NAME, REAL_NODE_LABEL };

/** Who holds the machine's one real node: the sandbox folder that started it. */
const HOLDER = "/run/infra-sandbox-node";

export interface NodeRig {
  dir: string;
  bin: (name: string) => string;
  busybox: string;
}

function modVersion(helper: string, module: string): string | undefined {
  const text = readFileSync(join(packageRoot(), "rig", "node", helper, "go.mod"), "utf8");
  for (const line of text.split("\n")) {
    const parts = line
      .trim()
      .replace(/^require\s+/, "")
      .split(/\s+/);
    if (parts[0] === module && parts[1]?.startsWith("v")) return parts[1];
  }
  return undefined;
}

/**
 * The hash scripts/node-rig.sh keys its folder with: sha256sum of each Go
 * source, go.mod and go.sum under rig/node (sorted as C sorts), then of that
 * list. Computed here too, so two checkouts with different helpers never take
 * each other's rig through the versions-only link.
 */
function rigHash(): string {
  const base = join(packageRoot(), "rig", "node");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith(".go") || e.name === "go.mod" || e.name === "go.sum") files.push(f);
    }
  };
  walk(base);
  const rel = files.map((f) => `rig/node/${f.slice(base.length + 1)}`).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
  const list = rel
    .map(
      (r) =>
        `${createHash("sha256")
          .update(readFileSync(join(packageRoot(), r)))
          .digest("hex")}  ${r}\n`,
    )
    .join("");
  return createHash("sha256").update(list).digest("hex").slice(0, 12);
}

export function nodeRig(env: NodeJS.ProcessEnv = process.env): NodeRig | undefined {
  const k8s = modVersion("kubernetes", "k8s.io/kubernetes");
  const ctd = modVersion("containerd", "github.com/containerd/containerd/v2");
  const base = env.INFRA_NODE_RIG_HOME || join(env.HOME || homedir(), ".cache", "infra", "node-rig");
  const dir = join(base, `kubernetes-${k8s}_containerd-${ctd}_${rigHash()}`);
  if (!existsSync(join(dir, ".complete"))) return undefined;
  return { dir, bin: (n) => join(dir, "bin", n), busybox: join(dir, "share", "busybox") };
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":").some((d) => d && existsSync(join(d, program)));
}

/** Why this machine cannot run the real node now (one line), or undefined when it can. */
export function whyNoNode(sandboxDir: string): string | undefined {
  if (process.getuid?.() !== 0) return "it needs root (kubelet, containerd and the bridge change the host)";
  if (!existsSync("/sys/fs/cgroup/cgroup.controllers") && !existsSync("/sys/fs/cgroup/cpu")) return "this machine has no cgroup file system";
  for (const [program, pkg] of [
    ["runc", "runc"],
    ["iptables", "iptables"],
    ["ip", "iproute2"],
    ["tar", "tar"],
  ] as const) {
    if (!onPath(program)) return `${program} is not installed (apt-get install ${pkg})`;
  }
  if (!existsSync("/usr/lib/cni/bridge")) return "the CNI plugins are not installed (apt-get install containernetworking-plugins)";
  if (!nodeRig()) return "its programs are not built (run scripts/node-rig.sh)";
  const holder = existsSync(HOLDER) ? readFileSync(HOLDER, "utf8").trim() : "";
  if (holder && holder !== sandboxDir && existsSync(holder) && running(readRun(join(holder, "run"), "kubelet"))) {
    return `the sandbox in ${holder} runs this machine's real node (one per machine)`;
  }
  return undefined;
}

async function nodeCerts(pki: Pki) {
  const node = await ensureLeaf(
    pki,
    "node",
    `/O=system:nodes/CN=system:node:${NODE_NAME}`,
    `subjectAltName=DNS:${NODE_NAME},IP:${NODE_IP}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n`,
  );
  const proxy = await ensureLeaf(pki, "kube-proxy", "/CN=system:kube-proxy", "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
  const dns = await ensureLeaf(pki, "coredns", `/CN=${DNS_USER}`, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
  return { node, proxy, dns };
}

/** The API server's client certificate for kubelets (logs, exec, port-forward). */
export function apiserverKubeletClient(pki: Pki) {
  return ensureLeaf(
    pki,
    "apiserver-kubelet-client",
    "/O=system:masters/CN=kube-apiserver-kubelet-client",
    "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n",
  );
}

function kubeconfig(server: string, ca: string, cert: string, key: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "sandbox", cluster: { server, "certificate-authority": ca, "tls-server-name": "localhost" } }],
    users: [{ name: "node", user: { "client-certificate": cert, "client-key": key } }],
    contexts: [{ name: "sandbox", context: { cluster: "sandbox", user: "node" } }],
    "current-context": "sandbox",
  });
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, watch: () => string | undefined, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    const dead = watch();
    if (dead) throw new InfraError(`the real node's ${dead} exited as it started: see its log`);
    if (Date.now() > end) throw new InfraError(`the real node did not become ready in time (${what})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface NodeStart {
  sandboxDir: string;
  runDir: string;
  logDir: string;
  pki: Pki;
  apiserverPort: number;
  ports: NodePorts;
  /** The sandbox's registry: where every image the node pulls comes from. */
  registry: { address: string; ca: string };
  timeoutMs: number;
}

/** The node's folders and its changes to the host (the bridge first: the API forward listens on it). */
export async function prepareHost(sandboxDir: string): Promise<void> {
  const n = nodePaths(sandboxDir);
  for (const d of [n.dir, n.cniConf, n.cniData, n.podLogs, n.images, n.kubeletRoot, join(n.registryHosts, "_default")])
    mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(HOLDER, sandboxDir, { mode: 0o600 });
  await hostUp(n.dir);
}

/** Starts containerd, loads the local images, starts kubelet, kube-proxy and CoreDNS. */
export async function startNode(s: NodeStart): Promise<void> {
  const rig = nodeRig()!;
  const n = nodePaths(s.sandboxDir);
  await prepareHost(s.sandboxDir);
  const runc = onPath("runc") ? "runc" : "/usr/sbin/runc";
  writeFileSync(n.containerdConfig, containerdToml(n, runc), { mode: 0o600 });
  writeFileSync(join(n.registryHosts, "_default", "hosts.toml"), registryHostsToml(s.registry.address, s.registry.ca), { mode: 0o600 });
  writeFileSync(join(n.cniConf, "10-infra-sandbox.conflist"), cniConflist(n), { mode: 0o600 });
  // No cluster DNS yet: pods get no resolver rather than the host's, which would ask the network.
  writeFileSync(n.resolvConf, "", { mode: 0o644 });
  const certs = await nodeCerts(s.pki);
  const server = `https://127.0.0.1:${s.apiserverPort}`;
  writeFileSync(n.kubeletKubeconfig, kubeconfig(server, s.pki.caCert, certs.node.cert, certs.node.key), { mode: 0o600 });
  writeFileSync(n.proxyKubeconfig, kubeconfig(server, s.pki.caCert, certs.proxy.cert, certs.proxy.key), { mode: 0o600 });
  writeFileSync(n.dnsKubeconfig, kubeconfig(server, s.pki.caCert, certs.dns.cert, certs.dns.key), { mode: 0o600 });
  writeFileSync(n.corefile, corefile(n, s.ports), { mode: 0o600 });
  writeFileSync(n.kubeletConfig, kubeletYaml(n, s.pki.caCert, certs.node.cert, certs.node.key, s.ports), { mode: 0o600 });
  writeFileSync(n.proxyConfig, kubeProxyYaml(n, s.ports), { mode: 0o600 });

  const path = `${join(rig.dir, "bin")}:/usr/sbin:/usr/bin:/sbin:/bin`;
  const dead = (parts: NodePart[]) => () => parts.find((p) => !running(readRun(s.runDir, p)));
  launch(s.runDir, s.logDir, "containerd", rig.bin("containerd"), ["--config", n.containerdConfig], [], path);
  await waitFor("containerd's socket", () => existsSync(n.socket), dead(["containerd"]), s.timeoutMs);
  for (const image of [pauseImage(rig.bin("pause"), PAUSE_IMAGE), testImage(rig.busybox, rig.bin("probe"))]) {
    const tar = await buildImage(n.images, image);
    await run(rig.bin("ctr"), ["--address", n.socket, "--namespace", "k8s.io", "images", "import", "--local", tar], { timeout: 60_000 });
  }
  launch(
    s.runDir,
    s.logDir,
    "kubelet",
    rig.bin("kubelet"),
    [
      `--config=${n.kubeletConfig}`,
      `--kubeconfig=${n.kubeletKubeconfig}`,
      `--root-dir=${n.kubeletRoot}`,
      `--cert-dir=${join(n.kubeletRoot, "pki")}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      `--node-labels=${REAL_NODE_LABEL}=true,type=real`,
    ],
    [s.ports.kubelet, s.ports.kubeletHealthz],
    path,
  );
  launch(s.runDir, s.logDir, "kube-proxy", rig.bin("kube-proxy"), [`--config=${n.proxyConfig}`], [s.ports.proxyHealthz, s.ports.proxyMetrics], path);
  launch(s.runDir, s.logDir, "coredns", rig.bin("coredns"), ["-conf", n.corefile], [53, s.ports.dnsHealth, s.ports.dnsReady], path);
  await waitFor("kubelet's /healthz", () => healthy(s.ports.kubeletHealthz), dead(["containerd", "kubelet"]), s.timeoutMs);
  await waitFor("CoreDNS's /ready", () => healthy(s.ports.dnsReady, "/ready"), dead(["coredns"]), s.timeoutMs);
}

async function healthy(port: number, path = "/healthz"): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** Stops the node and undoes everything it did to the host; the images and pod data folder stay unless `wipe`. */
export async function stopNode(sandboxDir: string, runDir: string, wipe = false): Promise<void> {
  const n = nodePaths(sandboxDir);
  const wasOurs = existsSync(HOLDER) && readFileSync(HOLDER, "utf8").trim() === sandboxDir;
  const anyRecord = NODE_PARTS.some((p) => readRun(runDir, p));
  // A sandbox that never had a real node (most of them) stops without hashing the node rig.
  if (!wasOurs && !anyRecord && !existsSync(n.dir)) return;
  const rig = nodeRig();
  await terminate(runDir, "coredns");
  await terminate(runDir, "kube-proxy");
  await terminate(runDir, "kubelet");
  // The containers: their shims outlive containerd, their processes sit in the node's cgroups.
  if (rig) killShims(rig.bin("containerd-shim-runc-v2"), n.socket);
  await removeCgroups();
  await terminate(runDir, "containerd");
  await unmountUnder(n.dir);
  if (wasOurs || anyRecord) await hostDown(n.dir, rig?.bin("kube-proxy"));
  if (wasOurs) rmSync(HOLDER, { force: true });
  if (wipe) rmSync(n.dir, { recursive: true, force: true });
}
