// The sandbox on the real control plane: start, what a client sees, the
// objects kwok and the sandbox's stages bring to life, stop/start, delete, and
// bad input. kubectl and the API server are the rig's, of one version.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../../src/core/process.js";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let kubeconfig: string;

function kubectl(args: string[], input?: string): string {
  return execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: "utf8", timeout: 120_000, ...(input && { input }) });
}

function sandbox(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return home.run(["sandbox", ...args], extra);
}

function status(): Record<string, any> {
  return JSON.parse(sandbox(["status", "--json"]).stdout);
}

beforeAll(() => {
  home = makeHome("infra-sandbox-");
  kubeconfig = join(home.env.INFRA_HOME!, "sandbox", "kubeconfig");
});
afterAll(() => {
  sandbox(["delete", "--yes", "--force"]);
});

describe("infra sandbox start", () => {
  it("starts a control plane a client can use, and says no container runs", () => {
    const r = sandbox(["start"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sandbox: started in [\d.]+ s — Kubernetes v1\.36\.3 at https:\/\/127\.0\.0\.1:\d+, 1 node Ready/);
    expect(r.stdout).toContain("The sandbox runs no containers");
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const version = JSON.parse(kubectl(["version", "-o", "json"]));
    expect(version.serverVersion.gitVersion).toBe("v1.36.3");
    // The tests' kubectl is the rig's, not the machine's: an older one is outside
    // the skew policy, and 1.32's exec over WebSocket dropped the server's errors.
    expect(version.clientVersion.gitVersion).toBe("v1.36.3");
    const nodes = JSON.parse(kubectl(["get", "nodes", "-o", "json"])).items;
    expect(nodes[0].status.conditions.find((c: { type: string }) => c.type === "Ready").status).toBe("True");
  });

  it("is a no-op when it already runs", () => {
    const r = sandbox(["start"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sandbox: already running/);
  });

  it("reports each process with its pid, ports, uptime and memory", () => {
    const s = status();
    expect(s.state).toBe("running");
    expect(s.kubeconfig).toBe(kubeconfig);
    expect(s.processes.map((p: { program: string }) => p.program)).toEqual([
      "egress",
      "registry",
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    ]);
    for (const p of s.processes) {
      expect(p.state).toBe("running");
      expect(p.pid).toBeGreaterThan(1);
      expect(p.memoryBytes).toBeGreaterThan(1_000_000);
    }
    expect(s.note).toContain("no containers");
    const text = sandbox(["status"]).stdout;
    expect(text).toMatch(/kube-apiserver\s+running\s+\d+\s+\d+/);
    expect(text).toMatch(/egress\s+running\s+\d+/);
    // The rig's kubectl is first on the tests' PATH: it fits, and nothing is said of it.
    expect(s.kubectl).toMatchObject({ version: "v1.36.3", skew: 0, fits: true });
    expect(text).not.toContain("kubectl:");
  });

  it("says when the kubectl on PATH is too far from its API server, and which one fits", () => {
    const old = mkdtempSync(join(tmpdir(), "infra-old-kubectl-"));
    writeFileSync(join(old, "kubectl"), `#!/bin/sh\necho '{"clientVersion":{"gitVersion":"v1.32.4"}}'\n`, { mode: 0o755 });
    const r = sandbox(["status"], { PATH: `${old}:${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^kubectl: {4}v1\.32\.4 on PATH is 4 minor versions from the API server's v1\.36\.3 \(kubectl supports one either way\): use the sandbox rig's, \/.+\/bin\/kubectl$/m,
    );
  });
});

describe("objects in the sandbox", () => {
  it("a Deployment of 3 replicas becomes Ready", () => {
    kubectl(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"]);
    kubectl(["rollout", "status", "deployment/web", "--timeout=90s"]);
    const d = JSON.parse(kubectl(["get", "deployment", "web", "-o", "json"]));
    expect(d.status.readyReplicas).toBe(3);
  });

  it("a PersistentVolumeClaim binds", () => {
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      }),
    );
    kubectl(["wait", "--for=jsonpath={.status.phase}=Bound", "pvc/data", "--timeout=60s"]);
    const pvc = JSON.parse(kubectl(["get", "pvc", "data", "-o", "json"]));
    expect(pvc.spec.storageClassName).toBe("standard");
    expect(pvc.status.capacity.storage).toBe("1Gi");
  });

  it("a LoadBalancer Service and an Ingress get an address", () => {
    kubectl(["expose", "deployment", "web", "--port=80", "--type=LoadBalancer", "--name=lb"]);
    kubectl(["create", "ingress", "web", "--rule=web.sandbox.test/*=lb:80"]);
    kubectl(["wait", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}=127.0.0.1", "service/lb", "--timeout=60s"]);
    kubectl(["wait", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}=127.0.0.1", "ingress/web", "--timeout=60s"]);
  });

  it("a namespace deletion completes", () => {
    kubectl(["create", "namespace", "scratch"]);
    kubectl(["-n", "scratch", "create", "deployment", "app", "--image=busybox", "--replicas=2"]);
    kubectl(["-n", "scratch", "rollout", "status", "deployment/app", "--timeout=60s"]);
    kubectl(["delete", "namespace", "scratch", "--wait=true", "--timeout=90s"]);
    expect(spawnSync("kubectl", ["get", "namespace", "scratch"], { env: { ...process.env, KUBECONFIG: kubeconfig } }).status).not.toBe(0);
  });
});

describe("stop and start", () => {
  it("keeps the objects", () => {
    const r = sandbox(["stop"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sandbox: stopped .*the data stays/);
    expect(status().state).toBe("stopped");
    expect(sandbox(["start"]).code).toBe(0);
    const d = JSON.parse(kubectl(["get", "deployment", "web", "-o", "json"]));
    expect(d.spec.replicas).toBe(3);
  });

  it("hands the nodes to the new kwok at once: a pod made right after start runs", () => {
    const lease = () => JSON.parse(kubectl(["-n", "kube-node-lease", "get", "lease", "sandbox-node-0", "-o", "json"])).spec.holderIdentity as string;
    const before = lease();
    expect(sandbox(["stop"]).code).toBe(0);
    expect(sandbox(["start"]).code).toBe(0);
    // kwok names itself afresh each run; the old run's lease would keep the node from it until it ran out (40 s).
    expect(lease()).not.toBe(before);
    kubectl(["run", "fresh", "--image=nginx:1.27"]);
    kubectl(["wait", "--for=jsonpath={.status.phase}=Running", "pod/fresh", "--timeout=30s"]);
  });

  it("after a crash, reports the dead process and starts again", () => {
    const s = status();
    const kwok = s.processes.find((p: { program: string }) => p.program === "kwok");
    process.kill(kwok.pid, "SIGKILL");
    spawnSync("sleep", ["0.3"]);
    const after = status();
    expect(after.state).toBe("degraded");
    expect(after.processes.find((p: { program: string }) => p.program === "kwok").state).toBe("crashed");
    expect(sandbox(["status"]).stdout).toMatch(/kwok \(pid \d+\) has stopped: .*infra sandbox start restarts the sandbox/);
    const r = sandbox(["start"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kwok \(pid \d+\) had stopped/);
    expect(status().state).toBe("running");
  });
});

describe("bad input, one line each", () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
  });
  afterAll(() => blocker.close());

  it("a port that is taken", () => {
    expect(sandbox(["stop"]).code).toBe(0);
    const port = (blocker.address() as { port: number }).port;
    const r = sandbox(["start", "--port", String(port)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `infra: port ${port} on 127.0.0.1 (the sandbox's API server) is taken by another program: stop it, or pass infra sandbox start --port <another port>`,
    );
  });

  it("a missing program", () => {
    const r = sandbox(["start"], { INFRA_SANDBOX_RIG_HOME: join(home.dir, "no-rig") });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^infra: the sandbox's programs \(Kubernetes v1\.36\.3, etcd v3\.6\.16, kwok v0\.8\.0\) are not built: run npm run sandbox-rig/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a damaged data folder", () => {
    const data = join(home.env.INFRA_HOME!, "sandbox", "etcd", "member");
    for (const sub of ["snap", "wal"]) {
      for (const f of readdirSync(join(data, sub))) writeFileSync(join(data, sub, f), "damaged ".repeat(64));
    }
    const r = sandbox(["start", "--timeout", "60"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^infra: the sandbox's etcd exited as it started .*infra sandbox delete starts afresh/);
    expect(status().processes.every((p: { state: string }) => p.state === "stopped")).toBe(true);
  });
});

describe("infra sandbox delete", () => {
  it("leaves nothing behind: no process, no file, no port", async () => {
    expect(sandbox(["start", "--timeout", "5"], {}).code).not.toBe(0); // still damaged
    const before = JSON.parse(sandbox(["status", "--json"]).stdout);
    const r = sandbox(["delete", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(home.env.INFRA_HOME!, "sandbox"))).toBe(false);
    // Exited, not merely unsignalable: this machine's PID 1 reaps orphans late, and
    // until it does an exited program still answers signal 0 as a zombie.
    for (const p of before.processes) if (p.pid) expect(isAlive(p.pid), `${p.program} (pid ${p.pid}) still runs`).toBe(false);
    // a fresh start works again, and delete frees its port
    expect(sandbox(["start"]).code).toBe(0);
    const port = Number(new URL(status().server).port);
    expect(sandbox(["delete", "--yes"]).code).toBe(0);
    const free = await new Promise<boolean>((res) => {
      const s = createServer();
      s.once("error", () => res(false));
      s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
    });
    expect(free).toBe(true);
  });
});
