// The sandbox's real node (as root): kubelet, containerd and kube-proxy beside
// kwok's node; a Deployment of the test image (made here from Debian's busybox)
// runs there, answers through its Service from the host and through the API
// server's proxy (the egress guard lets the node's bridge through), with logs
// and exec; its pods resolve names through cluster DNS and call the API server
// with their service account; the made-up ranges never take the default
// route; and stop and
// delete leave the host as it was: routes, links, iptables, sysctls, mounts,
// cgroups, processes.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeRig, whyNoNode } from "../../../src/sandbox/node.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { countingChain } from "../../helpers/egress-counter.js";
import { waitFor } from "../../helpers/server.js";

const why = whyNoNode("/nonexistent");
let home: Home;
let kubeconfig = "";
const kubectl = (args: string[], input?: string) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: "utf8", ...(input && { input }) });

/** What the node may change on the host, read in a form two snapshots can be compared in. */
function host(): Record<string, string> {
  const sh = (file: string, args: string[]) => spawnSync(file, args, { encoding: "utf8" }).stdout ?? "";
  // Rules and chains, not counters nor the empty tables nft keeps once touched.
  const rules = (bin: string) =>
    sh(bin, [])
      .split("\n")
      .filter((l) => l.startsWith("-A") || (l.startsWith(":") && !/^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) /.test(l)))
      .map((l) => l.replace(/ \[\d+:\d+\]$/, ""))
      .sort()
      .join("\n");
  const cgroups = readdirSync("/sys/fs/cgroup")
    .filter((c) => existsSync(join("/sys/fs/cgroup", c, "infra-sandbox")))
    .join(",");
  return {
    routes: sh("ip", ["route"]),
    links: sh("ip", ["-o", "link"])
      .split("\n")
      .map((l) => l.split(":")[1]?.trim())
      .join(","),
    iptables: rules("iptables-save"),
    ip6tables: rules("ip6tables-save"),
    sysctls: ["net/ipv4/ip_forward", "net/ipv4/conf/all/route_localnet"].map((s) => readFileSync(join("/proc/sys", s), "utf8").trim()).join(","),
    mounts: readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .filter((l) => l.includes(home.env.INFRA_HOME!))
      .join("\n"),
    cgroups,
    processes: sh("pgrep", ["-fa", nodeRig()?.dir.replace(/_containerd.*/, "") ?? "node-rig"])
      .split("\n")
      .filter((l) => l && !l.includes("pgrep"))
      .join("\n"),
  };
}

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {infra.sandbox/real-node: "true"}
      tolerations: [{key: infra.sandbox/real-node, operator: Exists, effect: NoSchedule}]
      containers:
        - name: web
          image: infra.sandbox/httpd:1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;

/** A claim of the default class and a pod writing to it as PostgreSQL's user would. */
const CLAIMED = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: writer}
spec:
  nodeSelector: {infra.sandbox/real-node: "true"}
  tolerations: [{key: infra.sandbox/real-node, operator: Exists, effect: NoSchedule}]
  securityContext: {runAsUser: 999, runAsGroup: 999}
  containers: [{name: w, image: infra.sandbox/httpd:1, command: [sleep, "3600"], volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
`;

const PULLS = `
apiVersion: v1
kind: Pod
metadata: {name: pushed}
spec:
  nodeSelector: {infra.sandbox/real-node: "true"}
  tolerations: [{key: infra.sandbox/real-node, operator: Exists, effect: NoSchedule}]
  containers: [{name: web, image: ghcr.io/acme/web:2, imagePullPolicy: Always}]
---
apiVersion: v1
kind: Pod
metadata: {name: unpushed}
spec:
  nodeSelector: {infra.sandbox/real-node: "true"}
  tolerations: [{key: infra.sandbox/real-node, operator: Exists, effect: NoSchedule}]
  containers: [{name: web, image: nginx:1.27}]
`;

const ipt = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8" });
/** The packet count of a chain's last rule. */
const lastRule = (table: string, chain: string) => Number(ipt("-t", table, "-L", chain, "-n", "-v", "-x").trim().split("\n").at(-1)!.trim().split(/\s+/)[0]);

/**
 * Runs fn while a chain counts what this machine sends out of an interface
 * other than loopback and the bridge to the ports a pull would use (DNS,
 * HTTP, HTTPS); returns that count.
 */
async function hostPullsOut(fn: () => Promise<void>): Promise<number> {
  // The RETURN rules after lo and infra0 count the pull's packets that went elsewhere.
  const chain = countingChain(
    "INFRA-PULL-CHECK",
    [
      ["-o", "lo", "-j", "RETURN"],
      ["-o", "infra0", "-j", "RETURN"],
      ["-p", "udp", "--dport", "53", "-j", "RETURN"],
      ...["53", "80", "443"].map((port) => ["-p", "tcp", "--dport", port, "-j", "RETURN"]),
    ],
    2,
  );
  try {
    await fn();
    return chain.counted();
  } finally {
    chain.close();
  }
}

describe.runIf(!!why)(`where the real node cannot run here (${why})`, () => {
  it("start --real-node says why in one line and runs kwok's nodes alone", () => {
    const h = makeHome("infra-no-real-node-");
    try {
      const r = h.run(["sandbox", "start", "--real-node"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`the real node is not started: ${why}; the sandbox runs kwok's simulated nodes alone`);
      expect(h.json<{ readyNodes: number; realNode?: unknown }>(["sandbox", "status"]).readyNodes).toBe(1);
    } finally {
      h.run(["sandbox", "delete", "--yes", "--force"]);
    }
  });
});

describe.skipIf(!!why)(`the sandbox's real node${why ? ` (skipped: ${why})` : ""}`, () => {
  let before: Record<string, string>;
  beforeAll(() => {
    home = makeHome("infra-real-node-");
    kubeconfig = join(home.env.INFRA_HOME!, "sandbox", "kubeconfig");
    before = host();
    const r = home.run(["sandbox", "start", "--real-node"]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => {
    home?.run(["sandbox", "delete", "--yes", "--force"]);
  });

  it("is Ready beside kwok's node, with containerd as its runtime", () => {
    const s = home.json<{ realNode: { name: string; ready: boolean; runtime: string }; readyNodes: number }>(["sandbox", "status"]);
    expect(s.realNode).toMatchObject({ name: "sandbox-real-0", ready: true });
    expect(s.realNode.runtime).toMatch(/^containerd:\/\/2\./);
    expect(s.readyNodes).toBe(2);
    const nodes = kubectl(["get", "nodes", "-o", 'jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.containerRuntimeVersion}{"\\n"}{end}']);
    expect(nodes).toMatch(/^sandbox-real-0=containerd:\/\/2\./m);
    expect(nodes).toMatch(/^sandbox-node-0=none \(simulated by kwok\)/m);
  });

  it("changes the host while it runs (so the comparisons after stop and delete mean something)", () => {
    const now = host();
    expect(now.links).toContain("infra0");
    expect(now.routes).toMatch(/10\.96\.0\.0\/16 dev infra0/);
    expect(now.iptables).toMatch(/INFRA-SANDBOX/);
    expect(now.cgroups).not.toBe("");
    expect(now.processes).toMatch(/kubelet/);
    expect(now.processes).toMatch(/containerd/);
  });

  it("keeps the made-up ranges off the default route while it runs", () => {
    expect(execFileSync("ip", ["route", "get", "10.96.0.10"], { encoding: "utf8" })).toMatch(/dev infra0/);
    const pod = spawnSync("ip", ["route", "get", "10.244.0.5"], { encoding: "utf8" });
    expect(pod.stdout + pod.stderr).toMatch(/unreachable|No route/i);
  });

  it("runs a Deployment of the test image: its Service answers the host, logs and exec work", async () => {
    kubectl(["apply", "-f", "-"], WEB);
    kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
    const pods = kubectl(["get", "pods", "-l", "app=web", "-o", 'jsonpath={range .items[*]}{.spec.nodeName} {.status.podIP}{"\\n"}{end}']);
    for (const line of pods.trim().split("\n")) expect(line).toMatch(/^sandbox-real-0 10\.89\.0\.\d+$/);
    const ip = kubectl(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"]);
    // kube-proxy writes the Service's rules a moment after the endpoints appear.
    const body = await waitFor("the Service to answer", () => {
      const r = spawnSync("curl", ["-s", "-m", "2", `http://${ip}/`], { encoding: "utf8" });
      return r.status === 0 && r.stdout ? r.stdout : undefined;
    });
    expect(body).toBe("hello from the sandbox's real node\n");
    expect(kubectl(["logs", "deployment/web"])).toMatch(/response:200/);
    expect(kubectl(["exec", "deployment/web", "--", "sh", "-c", "echo from $(hostname)"])).toMatch(/^from web-/);
  });

  it("is reached by the API server through the egress guard (the pod proxy)", () => {
    const pod = kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"]);
    expect(kubectl(["get", "--raw", `/api/v1/namespaces/default/pods/${pod}:8080/proxy/`])).toBe("hello from the sandbox's real node\n");
    const log = readFileSync(join(home.env.INFRA_HOME!, "sandbox", "logs", "egress.log"), "utf8");
    expect(log).toMatch(/"target":"10\.89\.0\.\d+:8080","decision":"tunnel"/);
  });

  it("its pods live in a real cluster: cluster DNS, and the API server with their service account", () => {
    const exec = (cmd: string) => kubectl(["exec", "deployment/web", "--", "sh", "-c", cmd]);
    expect(exec("cat /etc/resolv.conf")).toMatch(/^nameserver 10\.96\.0\.10$/m);
    const ip = kubectl(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"]);
    expect(exec("nslookup web.default.svc.cluster.local")).toContain(`Address: ${ip}`);
    expect(exec("nslookup kubernetes.default.svc.cluster.local")).toContain("Address: 10.96.0.1");
    // A name outside the cluster is not resolved: resolving it would ask the network.
    const outside = spawnSync("kubectl", ["exec", "deployment/web", "--", "nslookup", "example.com"], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      encoding: "utf8",
    });
    expect(outside.stdout).not.toMatch(/Address: \d+\.\d+\.\d+\.\d+\s*$/m);
    kubectl(["create", "clusterrolebinding", "web-view", "--clusterrole=view", "--serviceaccount=default:default"]);
    const listed = exec("probe https://kubernetes.default.svc/api/v1/namespaces");
    expect(listed).toMatch(/^200 OK$/m);
    expect(listed).toContain('"name":"kube-system"');
  });

  it("gives a claim a volume its pod's non-root user writes to, in the sandbox's folder; gone with the claim", async () => {
    kubectl(["apply", "-f", "-"], CLAIMED);
    kubectl(["wait", "--for=condition=Ready", "pod/writer", "--timeout=60s"]);
    const volume = kubectl(["get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}"]);
    const folder = join(home.env.INFRA_HOME!, "sandbox", "volumes", volume);
    expect(kubectl(["exec", "writer", "--", "sh", "-c", "id -u; echo kept > /data/file; cat /data/file"])).toBe("999\nkept\n");
    expect(readFileSync(join(folder, "file"), "utf8")).toBe("kept\n");
    kubectl(["delete", "pod", "writer", "--grace-period=0", "--force", "--wait=true"]);
    kubectl(["delete", "pvc", "data", "--wait=true"]);
    await waitFor("the released volume to go", () =>
      !existsSync(folder) && spawnSync("kubectl", ["get", "pv", volume], { env: { ...process.env, KUBECONFIG: kubeconfig } }).status !== 0 ? true : undefined,
    );
  });

  it("pulls every image from the sandbox's registry, whatever registry it names: none from the network", async () => {
    const tar = join(home.env.INFRA_HOME!, "sandbox", "node", "images", "infra-sandbox-httpd-1.tar");
    const pushed = home.run(["sandbox", "push", tar, "ghcr.io/acme/web:2"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const out = await hostPullsOut(async () => {
      kubectl(["apply", "-f", "-"], PULLS);
      kubectl(["wait", "--for=condition=Ready", "pod/pushed", "--timeout=60s"]);
      const failed = await waitFor("nginx:1.27's pull to fail", () => {
        const events = kubectl(["get", "events", "--field-selector", "involvedObject.name=unpushed", "-o", 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
        return /Failed to pull image "nginx:1\.27".*not found/.test(events) ? events : undefined;
      });
      expect(failed).toContain("docker.io/library/nginx:1.27: not found");
    });
    expect(out).toBe(0);
    const images = kubectl(["get", "pod", "pushed", "-o", "jsonpath={.status.containerStatuses[0].imageID}"]);
    expect(images).toMatch(/^ghcr\.io\/acme\/web@sha256:/);
    kubectl(["delete", "pod", "pushed", "unpushed", "--wait=false"]);
  });

  it("its pods' packets never leave the machine: dropped off the bridge, none out of another interface", () => {
    // Counts, after the filter chains, every packet from a pod that leaves by an interface other than the bridge.
    spawnSync("iptables", ["-w", "-t", "mangle", "-D", "POSTROUTING", "-j", "INFRA-NODE-CHECK"]);
    spawnSync("iptables", ["-w", "-t", "mangle", "-X", "INFRA-NODE-CHECK"]);
    ipt("-t", "mangle", "-N", "INFRA-NODE-CHECK");
    // The bridge and loopback (this machine talking to itself at the bridge's address) are home; the last rule counts the rest.
    ipt("-t", "mangle", "-A", "INFRA-NODE-CHECK", "-o", "infra0", "-j", "RETURN");
    ipt("-t", "mangle", "-A", "INFRA-NODE-CHECK", "-o", "lo", "-j", "RETURN");
    ipt("-t", "mangle", "-A", "INFRA-NODE-CHECK", "-s", "10.89.0.0/24", "-j", "RETURN");
    ipt("-t", "mangle", "-I", "POSTROUTING", "-j", "INFRA-NODE-CHECK");
    const count = (table: string, chain: string) =>
      ipt("-t", table, "-L", chain, "-n", "-v", "-x")
        .split("\n")
        .slice(2)
        .filter((l) => l.trim())
        .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0);
    const dropsBefore = count("filter", "INFRA-SANDBOX");
    try {
      const out = spawnSync(
        "kubectl",
        ["exec", "deployment/web", "--", "sh", "-c", "nc -w 2 203.0.113.7 80 </dev/null; nc -w 2 1.1.1.1 53 </dev/null; echo done"],
        {
          env: { ...process.env, KUBECONFIG: kubeconfig },
          encoding: "utf8",
        },
      );
      expect(out.stdout).toContain("done");
      expect(count("filter", "INFRA-SANDBOX")).toBeGreaterThan(dropsBefore);
      expect(lastRule("mangle", "INFRA-NODE-CHECK")).toBe(0);
    } finally {
      spawnSync("iptables", ["-w", "-t", "mangle", "-D", "POSTROUTING", "-j", "INFRA-NODE-CHECK"]);
      spawnSync("iptables", ["-w", "-t", "mangle", "-F", "INFRA-NODE-CHECK"]);
      spawnSync("iptables", ["-w", "-t", "mangle", "-X", "INFRA-NODE-CHECK"]);
    }
  });

  it("stop leaves the host as it was, and start brings the pods back", async () => {
    // Each step's time goes to the log: on a loaded machine, which one was slow is the first question.
    const step = <T>(what: string, f: () => T | Promise<T>): Promise<T> => {
      const t0 = Date.now();
      return Promise.resolve()
        .then(f)
        .finally(() => console.log(`real node: ${what} took ${((Date.now() - t0) / 1000).toFixed(1)} s`));
    };
    // Each pod's container and whether it is ready: the Deployment's own status is the last run's
    // until the controllers catch up, so the proof is new containers, Ready, answering.
    const containers = () =>
      kubectl([
        "get",
        "pods",
        "-l",
        "app=web",
        "-o",
        'jsonpath={range .items[*]}{.status.containerStatuses[0].containerID} {.status.containerStatuses[0].ready}{"\\n"}{end}',
      ])
        .trim()
        .split("\n")
        .map((l) => l.split(" "));
    const old = containers().map(([id]) => id);
    const ip = kubectl(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"]);
    const stop = await step("sandbox stop", () => home.run(["sandbox", "stop"]));
    expect(stop.code, stop.stderr).toBe(0);
    expect(host()).toEqual(before);
    const start = await step("sandbox start", () => home.run(["sandbox", "start"]));
    expect(start.code, start.stderr).toBe(0);
    const now = await step("both pods running again, in new containers", () =>
      waitFor(
        "both pods Ready again in new containers",
        () => {
          const c = containers();
          return c.length === 2 && c.every(([id, ready]) => ready === "true" && id && !old.includes(id)) ? c : undefined;
        },
        120,
        () => kubectl(["get", "pods", "-l", "app=web", "-o", "wide"]),
      ),
    );
    expect(now).toHaveLength(2);
    const body = await step("the Service answering the host", () =>
      waitFor("the Service to answer again", () => {
        const r = spawnSync("curl", ["-s", "-m", "2", `http://${ip}/`], { encoding: "utf8" });
        return r.status === 0 && r.stdout ? r.stdout : undefined;
      }),
    );
    expect(body).toBe("hello from the sandbox's real node\n");
  });

  it("delete leaves no process, link, route, iptables rule or chain, sysctl, mount or cgroup", () => {
    expect(home.run(["sandbox", "delete", "--yes", "--force"]).code).toBe(0);
    expect(host()).toEqual(before);
  });
});
