// Nothing leaves the machine: the sandbox's API server reaches the cluster
// network only through its egress guard. A webhook served by a simulated pod,
// kubectl logs of a kwok pod and an aggregated API on a simulated Service each
// fail with the reason, and an iptables counter on OUTPUT proves that no
// packet went to an address the sandbox made up. A webhook on loopback still
// works, through the guard.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asRoot, type EgressCounter, egressCounter } from "../../helpers/egress-counter.js";
import { useSandbox } from "../../helpers/sandbox.js";
import { waitFor } from "../../helpers/server.js";

const sandbox = useSandbox("infra-egress-");
let counter: EgressCounter;
const leaked = () => counter.leaked();

function apply(doc: unknown): void {
  execFileSync("kubectl", ["apply", "-f", "-"], {
    input: JSON.stringify(doc),
    env: { ...process.env, KUBECONFIG: sandbox.kubeconfigFile },
    encoding: "utf8",
  });
}

/** A validating webhook on creating ConfigMaps in the test's labelled namespace, failing closed. */
function webhookOn(name: string, webhook: string, clientConfig: Record<string, unknown>): void {
  apply({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name },
    webhooks: [
      {
        name: webhook,
        clientConfig,
        rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }],
        namespaceSelector: { matchLabels: { "egress-test": "yes" } },
        failurePolicy: "Fail",
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
      },
    ],
  });
}

function attempt(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync("kubectl", args, { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigFile }, encoding: "utf8" });
  return { code: r.status, stderr: r.stderr };
}

describe.skipIf(!asRoot)("the sandbox's egress guard (as root, with iptables)", () => {
  let hook: Server;
  beforeAll(async () => {
    // Not through the real node's bridge (another test's): that stays on the machine.
    counter = egressCounter("INFRA-EGRESS-CHECK", { reject: true });
    sandbox.kubectl(["create", "namespace", "hooks"]);
    sandbox.kubectl(["create", "namespace", "hooked"]);
    sandbox.kubectl(["label", "namespace", "hooked", "egress-test=yes"]);
    sandbox.kubectl(["-n", "hooks", "create", "deployment", "hook", "--image=example.invalid/hook:1", "--port=8443"]);
    sandbox.kubectl(["-n", "hooks", "expose", "deployment", "hook", "--port=443", "--target-port=8443"]);
    sandbox.kubectl(["-n", "hooks", "rollout", "status", "deployment/hook", "--timeout=60s"]);
  });
  afterAll(() => {
    hook?.close();
    counter?.close();
  });

  it("an admission webhook served by a simulated pod: refused with the reason, nothing sent", () => {
    webhookOn("simulated-hook", "simulated.hooks.example.com", { service: { namespace: "hooks", name: "hook", path: "/validate", port: 443 } });
    try {
      // Dialled at the pod's address (aggregator routing), which kwok made up.
      const r = attempt(["-n", "hooked", "create", "configmap", "c1", "--from-literal=a=b"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/failed calling webhook "simulated\.hooks\.example\.com"/);
      expect(r.stderr).toMatch(/10\.244\.\d+\.\d+:8443 is a pod address kwok made up: the pod is simulated and runs nothing/);
    } finally {
      sandbox.kubectl(["delete", "validatingwebhookconfiguration", "simulated-hook"]);
    }
    expect(leaked()).toBe(0);
  });

  it("kubectl logs and exec of a kwok pod: refused with the reason, nothing sent", () => {
    const pod = sandbox.kubectl(["-n", "hooks", "get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]);
    const logs = attempt(["-n", "hooks", "logs", pod]);
    expect(logs.code).not.toBe(0);
    expect(logs.stderr).toMatch(/10\.240\.0\.1:10250 is a node kwok simulates: it has no kubelet, so there are no logs, exec or port-forward/);
    const exec = attempt(["-n", "hooks", "exec", pod, "--", "true"]);
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toMatch(/is a node kwok simulates/);
    expect(leaked()).toBe(0);
  });

  it("an aggregated API on a simulated Service: unavailable with the reason, nothing sent", async () => {
    apply({
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: "v1.egress.example.com" },
      spec: {
        group: "egress.example.com",
        version: "v1",
        service: { namespace: "hooks", name: "hook", port: 443 },
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 1000,
        versionPriority: 15,
      },
    });
    try {
      const message = await waitFor("the APIService's Available condition", () => {
        const m = sandbox.kubectl(["get", "apiservice", "v1.egress.example.com", "-o", 'jsonpath={.status.conditions[?(@.type=="Available")].message}']);
        return /made up/.test(m) ? m : undefined;
      });
      expect(message).toMatch(/10\.244\.\d+\.\d+:8443 is a pod address kwok made up/);
      expect(attempt(["get", "--raw", "/apis/egress.example.com/v1"]).code).not.toBe(0);
    } finally {
      sandbox.kubectl(["delete", "apiservice", "v1.egress.example.com"]);
    }
    expect(leaked()).toBe(0);
  });

  it("a webhook URL off the machine, by address or by name: refused with the reason, nothing sent", () => {
    for (const [name, url, why] of [
      ["address", "https://203.0.113.7/validate", /203\.0\.113\.7:443 is not on this machine, and the sandbox never sends a packet off it/],
      ["name", "https://hooks.example.com/validate", /hooks\.example\.com is a name, and the sandbox resolves no names off this machine/],
    ] as const) {
      webhookOn(`outside-${name}`, `${name}.outside.example.com`, { url });
      try {
        const r = attempt(["-n", "hooked", "create", "configmap", `c-${name}`, "--from-literal=a=b"]);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(why);
      } finally {
        sandbox.kubectl(["delete", "validatingwebhookconfiguration", `outside-${name}`]);
      }
    }
    expect(leaked()).toBe(0);
  });

  it("a webhook on loopback is reached, through the guard", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egress-hook-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    hook = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const review = JSON.parse(body) as { request: { uid: string } };
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            apiVersion: "admission.k8s.io/v1",
            kind: "AdmissionReview",
            response: { uid: review.request.uid, allowed: false, status: { message: "refused by the loopback hook" } },
          }),
        );
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const port = (hook.address() as { port: number }).port;
    webhookOn("loopback-hook", "loopback.hooks.example.com", {
      url: `https://127.0.0.1:${port}/validate`,
      caBundle: readFileSync(join(dir, "cert.pem")).toString("base64"),
    });
    try {
      // Not spawnSync: the hook answers from this process, so its event loop must run.
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn("kubectl", ["-n", "hooked", "create", "configmap", "c2", "--from-literal=a=b"], {
          env: { ...process.env, KUBECONFIG: sandbox.kubeconfigFile },
        });
        let stderr = "";
        c.stderr.on("data", (d) => (stderr += d));
        c.on("close", (code) => resolve({ code, stderr }));
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/refused by the loopback hook/);
      const guardLog = readFileSync(join(sandbox.dir, "logs", "egress.log"), "utf8");
      expect(guardLog).toContain(`"target":"127.0.0.1:${port}"`);
    } finally {
      sandbox.kubectl(["delete", "validatingwebhookconfiguration", "loopback-hook"]);
    }
    expect(leaked()).toBe(0);
  });
});
