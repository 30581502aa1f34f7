// The sandbox: a real Kubernetes control plane on loopback (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler) with kwok playing
// the nodes and pods. No container runs: Deployments become Ready because kwok
// marks their pods running. Start, status, stop and delete; data, logs,
// certificates and the admin kubeconfig live under $INFRA_HOME/sandbox.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { join } from "node:path";
import { InfraError, UsageError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";
import { Kube } from "./kube.js";
import { NODE_NAME, NODE_PARTS, apiserverKubeletClient, prepareHost, startNode, stopNode, whyNoNode } from "./node.js";
import { applyClusterObjects } from "./node-cluster.js";
import type { NodePorts } from "./node-config.js";
import { NODE_IP, NODE_SUBNET } from "./node-host.js";
import { ensurePki, pkiPaths, type Pki } from "./pki.js";
import { launch, logReason, memoryOf, readRun, running, runRecords, terminate, type RunRecord } from "./processes.js";
import { registryAnswers, registryBinary, registryCert } from "./registry.js";
import { PROGRAMS, sandboxRig, type Program as RigProgram, type SandboxRig } from "./rig.js";
import { freePort, portIsFree } from "./ports.js";
import { node, SANDBOX_STAGES, STORAGE_CLASS } from "./stages.js";

export const NO_CONTAINERS = "The sandbox runs no containers: kwok simulates nodes and pods (Deployments become Ready, nothing listens, no image is pulled).";
export const SOME_CONTAINERS =
  "Pods that tolerate the taint infra.sandbox/real-node and select its label run for real on the real node, their images pulled from the sandbox's registry only; kwok simulates the others.";

/** The sandbox's processes: the rig's programs, the egress guard (ours, run by node) and the image registry. */
export const PARTS = ["egress", "registry", ...PROGRAMS] as const;
export type Program = (typeof PARTS)[number] | (typeof NODE_PARTS)[number];

/** The processes of a sandbox with or without its real node. */
function partsOf(state: State | undefined): Program[] {
  // A rig made without Go has no registry: the sandbox runs without one (and said so at start).
  const parts = state && !state.ports.registry ? PARTS.filter((p) => p !== "registry") : [...PARTS];
  return state?.realNode ? [...parts, ...NODE_PARTS] : parts;
}

/**
 * The addresses the sandbox makes up, and why nothing on this machine answers
 * them. The egress guard refuses them with these words, which the API server
 * puts in its own error (a webhook call, kubectl logs, an aggregated API).
 */
export const SERVICE_RANGE = "10.96.0.0/16";
export const POD_RANGE = "10.244.0.0/16";
export const NODE_RANGE = "10.240.0.0/16";
const MADE_UP = [
  {
    cidr: SERVICE_RANGE,
    why: "is a Service address the sandbox made up: kwok simulates the pods behind it and runs nothing, so nothing on this machine answers",
  },
  { cidr: POD_RANGE, why: "is a pod address kwok made up: the pod is simulated and runs nothing" },
  { cidr: NODE_RANGE, why: "is a node kwok simulates: it has no kubelet, so there are no logs, exec or port-forward" },
];
/** A Unix socket's path is at most 107 bytes (sun_path). */
const SOCKET_PATH_MAX = 107;

export interface SandboxPaths {
  dir: string;
  state: string;
  kubeconfig: string;
  pki: string;
  etcdData: string;
  logs: string;
  run: string;
  kwokConfig: string;
  egressConfig: string;
  egressSelector: string;
  egressSocket: string;
  /** The image registry's blobs and manifests. */
  registry: string;
  /** Claims' volumes (volumes.ts). */
  volumes: string;
}

export function sandboxPaths(home: string): SandboxPaths {
  const dir = join(home, "sandbox");
  return {
    dir,
    state: join(dir, "state.json"),
    kubeconfig: join(dir, "kubeconfig"),
    pki: join(dir, "pki"),
    etcdData: join(dir, "etcd"),
    logs: join(dir, "logs"),
    run: join(dir, "run"),
    kwokConfig: join(dir, "kwok.yaml"),
    egressConfig: join(dir, "egress.json"),
    egressSelector: join(dir, "egress-selector.yaml"),
    egressSocket: join(dir, "run", "egress.sock"),
    registry: join(dir, "registry"),
    volumes: join(dir, "volumes"),
  };
}

interface Ports {
  apiserver: number;
  etcdClient: number;
  etcdPeer: number;
  controllerManager: number;
  scheduler: number;
  /** The image registry's (absent in a sandbox made before it had one). */
  registry?: number;
}

interface State {
  ports: Ports;
  nodes: number;
  createdAt: string;
  /** Asked for a real node (kubelet, containerd) beside kwok's. */
  realNode?: boolean;
  nodePorts?: NodePorts;
  /** With the real node: where the sandbox's ingress serves Ingress rules on 127.0.0.1. */
  ingress?: { http: number; https: number };
}

export interface StartOptions {
  /** The API server's port (default: the one it had, else a free one). */
  port?: number;
  nodes?: number;
  /** Run a real node beside kwok's (remembered; false turns it off). */
  realNode?: boolean;
  timeoutMs?: number;
  say?: (line: string) => void;
}

export interface ProcessStatus {
  program: Program;
  state: "running" | "stopped" | "crashed";
  pid?: number;
  ports: number[];
  uptimeSeconds?: number;
  memoryBytes?: number;
  log: string;
  lastLog?: string;
}

export interface RealNodeStatus {
  name: string;
  ready: boolean;
  runtime?: string;
}

export interface RegistryStatus {
  /** host:port on loopback, what an image name starts with to be pushed there. */
  address: string;
  /** The CA that signed its certificate (the sandbox's). */
  ca: string;
}

export interface SandboxStatus {
  state: "running" | "stopped" | "degraded" | "absent";
  registry?: RegistryStatus;
  /** With the real node: the ports on 127.0.0.1 where Ingress rules are served (LoadBalancer ports are their own). */
  ingress?: { http: number; https: number };
  /** The real node, when the sandbox has one. */
  realNode?: RealNodeStatus;
  kubeconfig?: string;
  server?: string;
  version?: string;
  readyNodes?: number;
  processes: ProcessStatus[];
  note: string;
}

function readState(p: SandboxPaths): State | undefined {
  if (!existsSync(p.state)) return undefined;
  try {
    return JSON.parse(readFileSync(p.state, "utf8")) as State;
  } catch {
    throw new UsageError(`${p.state} cannot be read: the sandbox's data is damaged; infra sandbox delete starts afresh (it removes every object)`);
  }
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function nodePorts(): Promise<NodePorts> {
  return {
    kubelet: await freePort(),
    kubeletHealthz: await freePort(),
    proxyHealthz: await freePort(),
    proxyMetrics: await freePort(),
    dnsHealth: await freePort(),
    dnsReady: await freePort(),
  };
}

/**
 * The ingress's port: the standard one when free (the sandbox's Ingress
 * addresses are 127.0.0.1, so URLs work as written), else the one it had,
 * else any, said in one line.
 */
async function ingressPort(standard: number, old: number | undefined, say: (line: string) => void): Promise<number> {
  if (await portIsFree(standard)) return standard;
  const port = old !== undefined && old !== standard && (await portIsFree(old)) ? old : await freePort();
  say(`port ${standard} on 127.0.0.1 is taken by another program: the sandbox's ingress serves ${standard === 80 ? "http" : "https"} on ${port} instead`);
  return port;
}

async function choosePorts(old: Ports | undefined, apiserver: number | undefined, registry: boolean): Promise<Ports> {
  const keep = async (p: number | undefined) => (p !== undefined && (await portIsFree(p)) ? p : freePort());
  const api = apiserver ?? old?.apiserver;
  if (api !== undefined && !(await portIsFree(api))) {
    throw new UsageError(
      `port ${api} on 127.0.0.1 (the sandbox's API server) is taken by another program: stop it, or pass infra sandbox start --port <another port>${apiserver === undefined ? " (the kubeconfig will follow)" : ""}`,
    );
  }
  return {
    apiserver: api ?? (await freePort()),
    etcdClient: await keep(old?.etcdClient),
    etcdPeer: await keep(old?.etcdPeer),
    controllerManager: await keep(old?.controllerManager),
    scheduler: await keep(old?.scheduler),
    ...(registry && { registry: await keep(old?.registry) }),
  };
}

function kubeconfigText(port: number, pki: Pki): string {
  const b64 = (f: string) => readFileSync(f).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: infra-sandbox",
    "    cluster:",
    `      server: https://127.0.0.1:${port}`,
    "      tls-server-name: localhost",
    `      certificate-authority-data: ${b64(pki.caCert)}`,
    "users:",
    "  - name: infra-sandbox-admin",
    "    user:",
    `      client-certificate-data: ${b64(pki.adminCert)}`,
    `      client-key-data: ${b64(pki.adminKey)}`,
    "contexts:",
    "  - name: infra-sandbox",
    "    context:",
    "      cluster: infra-sandbox",
    "      user: infra-sandbox-admin",
    "current-context: infra-sandbox",
    "",
  ].join("\n");
}

/**
 * kube-apiserver sends every connection it makes through the egress guard:
 * `cluster` (webhooks and aggregated APIs named by a Service, a node's logs,
 * exec and port-forward, the proxies) and `controlplane` (webhooks named by a
 * URL, which may point anywhere). Only `etcd` is dialled directly: loopback.
 */
function egressSelectorText(socket: string): string {
  const selection = (name: string) => [
    `  - name: ${name}`,
    "    connection:",
    "      proxyProtocol: HTTPConnect",
    "      transport:",
    "        uds:",
    `          udsName: ${JSON.stringify(socket)}`,
  ];
  return [
    "apiVersion: apiserver.k8s.io/v1beta1",
    "kind: EgressSelectorConfiguration",
    "egressSelections:",
    ...selection("cluster"),
    ...selection("controlplane"),
    "",
  ].join("\n");
}

function egressScript(): string {
  const f = join(packageRoot(), "dist", "src", "sandbox", "egress-main.js");
  if (!existsSync(f)) throw new InfraError(`the sandbox's egress guard ${f} is not built: run npm run build`, "usage");
  return f;
}

function commandLines(
  _rig: SandboxRig,
  p: SandboxPaths,
  pki: Pki,
  ports: Ports,
  kubeletClient: { cert: string; key: string },
): Record<RigProgram, { args: string[]; ports: number[] }> {
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  return {
    etcd: {
      ports: [ports.etcdClient, ports.etcdPeer],
      args: [
        "--name=sandbox",
        `--data-dir=${p.etcdData}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=sandbox=${peerUrl}`,
        "--auto-compaction-retention=1",
        "--listen-metrics-urls=",
      ],
    },
    "kube-apiserver": {
      ports: [ports.apiserver],
      args: [
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-cluster-ip-range=${SERVICE_RANGE}`,
        `--egress-selector-config-file=${p.egressSelector}`,
        // A node's address, never its name: a name would go to the host's resolver.
        "--kubelet-preferred-address-types=InternalIP",
        `--kubelet-client-certificate=${kubeletClient.cert}`,
        `--kubelet-client-key=${kubeletClient.key}`,
        `--kubelet-certificate-authority=${pki.caCert}`,
        // Webhooks and aggregated APIs are dialled at their pods' addresses, not the Service's:
        // the egress guard then tunnels a real pod's and refuses a simulated one's with the reason.
        "--enable-aggregator-routing=true",
        "--authorization-mode=Node,RBAC",
        "--allow-privileged=true",
        "--endpoint-reconciler-type=none",
      ],
    },
    "kube-controller-manager": {
      ports: [ports.controllerManager],
      args: [
        `--kubeconfig=${p.kubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.controllerManager}`,
        `--root-ca-file=${pki.caCert}`,
        `--service-account-private-key-file=${pki.saKey}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
        "--leader-elect=false",
      ],
    },
    "kube-scheduler": {
      ports: [ports.scheduler],
      args: [
        `--kubeconfig=${p.kubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.scheduler}`,
        "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
        "--leader-elect=false",
      ],
    },
    kwok: {
      ports: [],
      args: [
        `--kubeconfig=${p.kubeconfig}`,
        `--config=${p.kwokConfig}`,
        // Only the nodes the sandbox made for kwok: the real node is kubelet's.
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        `--cidr=${POD_RANGE.replace(".0/", ".1/")}`,
        "--node-ip=10.240.0.1",
        "--node-lease-duration-seconds=40",
      ],
    },
  };
}

function etcdHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/health", timeout: 1000 }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"true"')));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

export class Sandbox {
  readonly paths: SandboxPaths;

  constructor(home: string) {
    this.paths = sandboxPaths(home);
  }

  private state(): State | undefined {
    try {
      return readState(this.paths);
    } catch {
      return undefined;
    }
  }

  private record(program: Program): RunRecord | undefined {
    return readRun(this.paths.run, program);
  }

  /** Each program's state: running, stopped (no run file) or crashed (its process is gone). */
  processes(): ProcessStatus[] {
    return partsOf(this.state()).map((program) => {
      const r = this.record(program);
      const log = join(this.paths.logs, `${program}.log`);
      if (!r) return { program, state: "stopped", ports: [], log };
      if (!running(r)) return { program, state: "crashed", pid: r.pid, ports: r.ports, log, lastLog: logReason(this.paths.logs, program) };
      return {
        program,
        state: "running",
        pid: r.pid,
        ports: r.ports,
        uptimeSeconds: Math.round((Date.now() - Date.parse(r.startedAt)) / 1000),
        memoryBytes: memoryOf(r.pid),
        log,
      };
    });
  }

  /** The API server's URL, when there is a sandbox. */
  server(): string | undefined {
    const state = this.state();
    return state ? `https://127.0.0.1:${state.ports.apiserver}` : undefined;
  }

  /** Where the sandbox's ingress answers, for status checks; or why nothing there can answer. */
  ingress(): { http: number; https: number; ca: string } | { why: string } {
    const state = this.state();
    if (!state) return { why: "there is no sandbox (infra sandbox start)" };
    if (!state.realNode || !state.ingress) {
      return { why: "the sandbox runs no containers: kwok simulates its pods, nothing answers (infra sandbox start --real-node runs them)" };
    }
    if (!running(this.record("egress")) || !running(this.record("kubelet"))) return { why: "the sandbox is not running (infra sandbox start)" };
    return { ...state.ingress, ca: pkiPaths(this.paths.pki).caCert };
  }

  async status(): Promise<SandboxStatus> {
    const state = readState(this.paths);
    const processes = this.processes();
    if (!state) return { state: "absent", processes, note: NO_CONTAINERS };
    const up = processes.filter((p) => p.state === "running").length;
    const base = {
      kubeconfig: this.paths.kubeconfig,
      server: `https://127.0.0.1:${state.ports.apiserver}`,
      processes,
      note: state.realNode ? SOME_CONTAINERS : NO_CONTAINERS,
      ...(state.realNode && state.ingress && { ingress: state.ingress }),
      ...(state.ports.registry && { registry: { address: `127.0.0.1:${state.ports.registry}`, ca: pkiPaths(this.paths.pki).caCert } }),
    };
    if (up === 0) return { state: "stopped", ...base };
    const kube = new Kube(state.ports.apiserver, pkiPaths(this.paths.pki));
    const [version, nodes, real] = await Promise.all([
      kube.serverVersion(),
      kube.readyNodes().catch((): string[] => []),
      state.realNode ? kube.nodeInfo(NODE_NAME).catch(() => undefined) : undefined,
    ]);
    return {
      state: up === partsOf(state).length && version ? "running" : "degraded",
      ...base,
      ...(version && { version }),
      readyNodes: nodes.length,
      ...(state.realNode && { realNode: { name: NODE_NAME, ready: nodes.includes(NODE_NAME), ...(real?.runtime && { runtime: real.runtime }) } }),
    };
  }

  /** Starts what is not running; a running sandbox is left as it is. */
  async start(opts: StartOptions = {}): Promise<{ started: boolean; status: SandboxStatus }> {
    const say = opts.say ?? (() => {});
    const rig = sandboxRig();
    const egress = egressScript();
    const p = this.paths;
    if (Buffer.byteLength(p.egressSocket) > SOCKET_PATH_MAX) {
      throw new UsageError(
        `the sandbox's folder ${p.dir} is too deep for the Unix socket of its egress guard (${Buffer.byteLength(p.egressSocket)} bytes, at most ${SOCKET_PATH_MAX}): set INFRA_HOME to a shorter path`,
      );
    }
    const before = this.processes();
    const wantNode = opts.realNode ?? readState(p)?.realNode ?? false;
    if (
      before.every((x) => x.state === "running") &&
      (opts.port === undefined || readState(p)?.ports.apiserver === opts.port) &&
      wantNode === !!readState(p)?.realNode
    ) {
      const status = await this.status();
      if (status.state === "running") return { started: false, status };
    }
    // Anything left of a killed or crashed run goes first: stale run files, half a control plane.
    for (const x of before) {
      if (x.state === "crashed") say(`${x.program} (pid ${x.pid}) had stopped${x.lastLog ? `: ${x.lastLog}` : ""}`);
    }
    await this.stopProcesses();

    for (const d of [p.dir, p.logs, p.run, p.registry]) mkdirSync(d, { recursive: true, mode: 0o700 });
    const old = readState(p);
    const registryProgram = registryBinary(rig.dir);
    if (!registryProgram) say("the image registry is not started: the sandbox rig was built without Go (install Go and run scripts/sandbox-rig.sh)");
    const ports = await choosePorts(old?.ports, opts.port, !!registryProgram);
    if (old?.ports.registry && ports.registry && old.ports.registry !== ports.registry) {
      say(
        `the registry's port ${old.ports.registry} is taken by another program: it listens on ${ports.registry} now (its images are kept; names with 127.0.0.1:${old.ports.registry} need the new port)`,
      );
    }
    const pki = await ensurePki(p.pki);
    const kubeletClient = await apiserverKubeletClient(pki);
    const registryTls = await registryCert(pki);
    const registryAddress = `127.0.0.1:${ports.registry}`;
    // The real node when asked for and this machine can run it; else kwok alone, and one line says why.
    const noNode = wantNode
      ? (whyNoNode(p.dir) ?? (registryProgram ? undefined : "it pulls images from the sandbox's registry only, and the sandbox rig has none"))
      : undefined;
    if (noNode) say(`the real node is not started: ${noNode}; the sandbox runs kwok's simulated nodes alone`);
    const realNode = wantNode && !noNode;
    const state: State = {
      ports,
      nodes: opts.nodes ?? old?.nodes ?? 1,
      createdAt: old?.createdAt ?? new Date().toISOString(),
      realNode: wantNode,
      ...(realNode && {
        nodePorts: old?.nodePorts?.dnsReady ? old.nodePorts : await nodePorts(),
        ingress: { http: await ingressPort(80, old?.ingress?.http, say), https: await ingressPort(443, old?.ingress?.https, say) },
      }),
    };
    writeAtomic(p.kubeconfig, kubeconfigText(ports.apiserver, pki));
    writeAtomic(p.kwokConfig, `${readFileSync(rig.defaultStages, "utf8").trim()}\n---\n${SANDBOX_STAGES.trim()}\n`);
    writeAtomic(p.state, JSON.stringify(state, null, 2));
    // With the real node, the guard's process also forwards the bridge's address to the API server.
    const forward = realNode ? [{ listen: { host: NODE_IP, port: ports.apiserver }, to: { host: "127.0.0.1", port: ports.apiserver } }] : [];
    const ingress = realNode
      ? {
          apiserverPort: ports.apiserver,
          pkiDir: p.pki,
          http: state.ingress!.http,
          https: state.ingress!.https,
          serviceRange: SERVICE_RANGE,
          podSubnet: NODE_SUBNET,
        }
      : undefined;
    writeAtomic(
      p.egressConfig,
      JSON.stringify(
        {
          socket: p.egressSocket,
          allow: realNode ? [NODE_SUBNET] : [],
          explain: MADE_UP,
          forward,
          ...(ingress && { ingress }),
          // Claims get volumes from the guard's process (volumes.ts), so pods that mount them schedule, and run on the real node.
          volumes: { apiserverPort: ports.apiserver, pkiDir: p.pki, dir: p.volumes },
        },
        null,
        2,
      ),
    );
    writeAtomic(p.egressSelector, egressSelectorText(p.egressSocket));

    const lines = commandLines(rig, p, pki, ports, kubeletClient);
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    const start = (program: RigProgram) => launch(p.run, p.logs, program, rig.bin(program), lines[program].args, lines[program].ports);
    const waitFor = async (what: string, watch: Program[], ok: () => Promise<boolean>) => {
      while (!(await ok())) {
        for (const program of watch) {
          if (!running(this.record(program))) throw this.exitedAtStart(program);
        }
        if (Date.now() > deadline) {
          throw new InfraError(`the sandbox did not become ready in time (${what}): see the logs in ${p.logs}, or infra sandbox status`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      // The guard first: the API server must never find the cluster network without it.
      if (realNode) await prepareHost(p.dir);
      rmSync(p.egressSocket, { force: true });
      launch(p.run, p.logs, "egress", process.execPath, [egress, p.egressConfig], []);
      await waitFor("the egress guard", ["egress"], async () => existsSync(p.egressSocket));
      if (registryProgram) {
        launch(
          p.run,
          p.logs,
          "registry",
          registryProgram,
          ["--addr", registryAddress, "--cert", registryTls.cert, "--key", registryTls.key, "--dir", p.registry],
          [ports.registry!],
        );
      }
      start("etcd");
      await waitFor("etcd", ["etcd"], () => etcdHealthy(ports.etcdClient));
      start("kube-apiserver");
      const kube = new Kube(ports.apiserver, pki);
      await waitFor("the API server's /readyz", ["etcd", "kube-apiserver"], () => kube.readyz());
      if (registryProgram) await waitFor("the image registry", ["registry"], () => registryAnswers(ports.registry!, pki.caCert));
      start("kube-controller-manager");
      start("kube-scheduler");
      // kwok draws a new name each run and leaves a node alone while another name's lease on it
      // lasts: the stopped run's leases would keep every pod Pending for up to 40 s after a resume.
      // That run is gone (stopped above), so its leases go too.
      const nodes = Array.from({ length: state.nodes }, (_, i) => `sandbox-node-${i}`);
      for (const n of nodes) await kube.deleteLease(n);
      start("kwok");
      await kube.ensure("/apis/storage.k8s.io/v1/storageclasses", STORAGE_CLASS);
      for (const n of nodes) await kube.ensure("/api/v1/nodes", node(n, rig.versions.kubernetes));
      if (realNode) {
        await applyClusterObjects(kube, ports.apiserver);
        await startNode({
          sandboxDir: p.dir,
          runDir: p.run,
          logDir: p.logs,
          pki,
          apiserverPort: ports.apiserver,
          ports: state.nodePorts!,
          registry: { address: registryAddress, ca: pki.caCert },
          timeoutMs: opts.timeoutMs ?? 120_000,
        });
        await waitFor("the real node Ready", partsOf(state), async () => (await kube.readyNodes().catch((): string[] => [])).includes(NODE_NAME));
      }
      // Ready once this run's kwok holds every node (a resumed node's Ready condition is the old run's).
      await waitFor("a Ready node", partsOf({ ...state, realNode: false }), async () => {
        const ready = await kube.readyNodes().catch((): string[] => []);
        const held = await Promise.all(nodes.map((n) => kube.leaseHolder(n).catch(() => undefined)));
        return ready.length >= 1 && held.every(Boolean);
      });
    } catch (err) {
      // Half a control plane is worse than none: stop what did start.
      await this.stopProcesses();
      throw err;
    }
    return { started: true, status: await this.status() };
  }

  private exitedAtStart(program: Program): InfraError {
    const tail = logReason(this.paths.logs, program);
    const hint =
      program === "etcd" && /corrupt|checksum|snapshot|wal|member|invalid database|crc/i.test(tail)
        ? `its data folder ${this.paths.etcdData} looks damaged: infra sandbox delete starts afresh (it removes every object)`
        : `see ${join(this.paths.logs, `${program}.log`)}`;
    return new InfraError(`the sandbox's ${program} exited as it started${tail ? ` (${tail})` : ""}: ${hint}`);
  }

  private async stopProcesses(wipe = false): Promise<string[]> {
    const stopped: string[] = [];
    // The real node first, while the API server still answers; it undoes what it did to the host.
    const hadNode = NODE_PARTS.filter((n) => running(this.record(n)));
    await stopNode(this.paths.dir, this.paths.run, wipe);
    stopped.push(...hadNode);
    for (const program of [...PARTS].reverse()) {
      if (await terminate(this.paths.run, program)) stopped.push(program);
    }
    // Run files of programs this version does not know (an older infra).
    for (const other of runRecords(this.paths.run)) await terminate(this.paths.run, other);
    return stopped;
  }

  /** Stops every process; the data stays. */
  async stop(): Promise<string[]> {
    return this.stopProcesses();
  }

  /** Stops every process and removes every file of the sandbox. */
  async delete(): Promise<boolean> {
    await this.stopProcesses(true);
    const existed = existsSync(this.paths.dir);
    rmSync(this.paths.dir, { recursive: true, force: true });
    return existed;
  }
}
